/**
 * The JSON Schemas in `schemas/`, used wherever the library reads or writes
 * JSON that leaves or enters the process: the validator the build generated
 * (dist/core/validators/<name>.js), else one compiled with ajv when first used.
 */
import { join } from 'node:path';
import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';
import type * as SchemaRegistry from './schema-registry';

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
export const SCHEMA_BASE = 'https://logsleuth.dev/schemas/';

const validators = new Map<SchemaName, ValidateFunction>();
let ajv: Ajv | undefined;

/** The build's validator of `name`; undefined when running from the sources (src/ has no validators). */
function generatedValidator(name: SchemaName): ValidateFunction | undefined {
  try {
    return require(`./validators/${name}`) as ValidateFunction;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return undefined;
    throw error;
  }
}

function validator(name: SchemaName): ValidateFunction {
  let validate = validators.get(name);
  if (validate) return validate;
  // ajv's compiler loads only when a validator was not generated.
  validate =
    generatedValidator(name) ??
    (ajv ??= (require('./schema-registry') as typeof SchemaRegistry).schemaRegistry()).getSchema(
      `${SCHEMA_BASE}${name}.schema.json`,
    );
  if (!validate) throw new Error(`schema '${name}' is missing from ${SCHEMA_DIR}`);
  validators.set(name, validate);
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
