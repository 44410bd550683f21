/**
 * ajv compiling the JSON Schemas of `schemas/`: at run time when validators
 * were not generated (the sources run through jest or tsx), and at build time
 * as ajv's standalone code (`scripts/standalone-validators.js` writes
 * dist/core/validators/<name>.js), so that the CLI neither loads ajv's compiler nor
 * compiles a schema in each run.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type Options } from 'ajv';
import standaloneCode from 'ajv/dist/standalone';
import { SCHEMA_BASE, SCHEMA_DIR } from './schemas';

const SUFFIX = '.schema.json';

/** The file names of the schemas (`<name>.schema.json`). */
function schemaFiles(): string[] {
  return readdirSync(SCHEMA_DIR).filter((name) => name.endsWith(SUFFIX));
}

/** The names of the schemas (their file names less `.schema.json`). */
export function schemaNames(): string[] {
  return schemaFiles().map((file) => file.slice(0, -SUFFIX.length));
}

/** All schemas registered together, so that they can `$ref` each other by file name; `extra` adds to the options. */
export function schemaRegistry(extra: Options = {}): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, ...extra });
  for (const file of schemaFiles()) ajv.addSchema(JSON.parse(readFileSync(join(SCHEMA_DIR, file), 'utf8')) as object);
  return ajv;
}

/**
 * Each schema's validator as a CommonJS module (by name) that exports it, with
 * the schemas it refers to: a run loads only the code of what it validates.
 */
export function standaloneValidators(): Map<string, string> {
  const ajv = schemaRegistry({ code: { source: true } });
  return new Map(
    schemaNames().map((name) => [name, standaloneCode(ajv, ajv.getSchema(`${SCHEMA_BASE}${name}${SUFFIX}`)!)]),
  );
}
