/**
 * The JSON Schemas in `schemas/`, compiled once with ajv and used wherever the
 * library reads or writes JSON that leaves or enters the process.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';

/** The schemas shipped in `schemas/<name>.schema.json`. */
export type SchemaName =
  'agent-state' | 'event' | 'finding' | 'fleet-finding' | 'fleet-sample' | 'pcap-report' | 'report' | 'reputation';

/** Raised when data does not match its schema; the message lists the first problems. */
export class SchemaError extends Error {
  constructor(
    readonly schema: SchemaName,
    readonly problems: readonly string[],
  ) {
    super(`not a valid ${schema}: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? '; ...' : ''}`);
    this.name = 'SchemaError';
  }
}

/** `schemas/` sits two levels above this module in both `src/core` and `dist/core`. */
export const SCHEMA_DIR = join(__dirname, '..', '..', 'schemas');

/** Every schema's `$id` is this base plus its file name. */
const SCHEMA_BASE = 'https://logsleuth.dev/schemas/';

let ajv: Ajv | undefined;

/** All schemas are registered together so they can `$ref` each other by file name. */
function registry(): Ajv {
  if (!ajv) {
    ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
    for (const file of readdirSync(SCHEMA_DIR).filter((name) => name.endsWith('.schema.json'))) {
      ajv.addSchema(JSON.parse(readFileSync(join(SCHEMA_DIR, file), 'utf8')) as object);
    }
  }
  return ajv;
}

function validator(name: SchemaName): ValidateFunction {
  const validate = registry().getSchema(`${SCHEMA_BASE}${name}.schema.json`);
  if (!validate) throw new Error(`schema '${name}' is missing from ${SCHEMA_DIR}`);
  return validate;
}

function describe(error: ErrorObject): string {
  return `${error.instancePath || '/'} ${error.message ?? 'is invalid'}`;
}

/** The problems `data` has against schema `name`; empty when valid. */
export function schemaProblems(name: SchemaName, data: unknown): string[] {
  const validate = validator(name);
  return validate(data) ? [] : (validate.errors ?? []).map(describe);
}

/** Throws a SchemaError unless `data` is valid against schema `name`. */
export function assertValid<T>(name: SchemaName, data: unknown): asserts data is T {
  const problems = schemaProblems(name, data);
  if (problems.length) throw new SchemaError(name, problems);
}
