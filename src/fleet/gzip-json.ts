/**
 * Reading a fleet message's gzip'd JSON (against its schema): inflated to a
 * bound (a gzip bomb is refused, not inflated), parsed, then checked with
 * ajv, each failure one clear error naming what the message is not.
 */
import { gunzipSync } from 'node:zlib';
import { type SchemaName, schemaProblems } from '../core/schemas';

/**
 * The value gzip'd JSON holds, inflated to at most `maxBytes`; throws
 * `not <what>: ...` (`what` with its article: `an event batch`) when it is not JSON.
 */
export function inflateJson(data: Uint8Array, maxBytes: number, what: string): unknown {
  try {
    return JSON.parse(gunzipSync(data, { maxOutputLength: maxBytes }).toString('utf8'));
  } catch (error) {
    throw new Error(`not ${what}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

/** The value of gzip'd JSON valid against `schema`; throws `not a <what>: ...` for anything else. */
export function decodeGzipJson<T>(data: Uint8Array, schema: SchemaName, maxBytes: number, what: string): T {
  const value = inflateJson(data, maxBytes, `a ${what}`);
  const problems = schemaProblems(schema, value);
  if (problems.length) throw new Error(`not a ${what}: ${problems.slice(0, 3).join('; ')}`);
  return value as T;
}
