/**
 * Reading and writing the JSON files logsleuth exchanges with other tools
 * (reputation databases, reports): validated against their schema both ways,
 * written atomically so a crash or a full disk never leaves a half-written file.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { nestingDepth } from './json-depth';
import { type SchemaName, assertValid } from './schemas';

/**
 * Writes `content` to `path` atomically: a temporary file in the same directory,
 * flushed to disk, then renamed over the target. On any failure the temporary
 * file is removed and the previous file (if any) is left untouched.
 */
export async function writeFileAtomic(path: string, content: string | Uint8Array): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(temp, 'wx', 0o644);
    await handle.writeFile(content);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await fs.rename(temp, path);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await fs.rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
  await removeStaleTemporaries(path);
}

/** Whether a process with this pid exists on this host (EPERM: it does, as another user). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the temporary files that writers of `path` killed mid-write (SIGKILL,
 * power loss) left behind: `.<name>.<pid>.<hex>.tmp` whose pid no longer runs.
 * Best effort: a listing or removal that fails leaves the file for next time.
 */
async function removeStaleTemporaries(path: string): Promise<void> {
  const prefix = `.${basename(path)}.`;
  const names = await fs.readdir(dirname(path)).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const [pid, hex, ...rest] = name.slice(prefix.length, -'.tmp'.length).split('.');
    const writer = Number(pid);
    if (rest.length > 0 || hex?.length !== 8 || !Number.isSafeInteger(writer) || String(writer) !== pid) continue;
    if (writer <= 0 || writer === process.pid || isAlive(writer)) continue;
    await fs.rm(join(dirname(path), name), { force: true }).catch(() => undefined);
  }
}

/** Validates `data` against `schema`, then writes it as pretty JSON, atomically. */
export async function writeJsonFile(path: string, schema: SchemaName, data: unknown): Promise<void> {
  assertValid(schema, data);
  await writeFileAtomic(path, `${JSON.stringify(data, null, 2)}\n`);
}

/**
 * Reads a JSON file and validates it. Keys named `__proto__` are dropped while
 * parsing so hostile files cannot reach an object's prototype.
 */
export async function readJsonFile<T>(path: string, schema: SchemaName): Promise<T> {
  const text = await fs.readFile(path, 'utf8');
  // The reviver below (and ajv after it) recurse: refuse deep nesting before it overflows the stack.
  if (nestingDepth(text) > MAX_JSON_DEPTH)
    throw new Error(`${path}: not a valid ${schema}: nested deeper than ${MAX_JSON_DEPTH} levels`);
  let data: unknown;
  try {
    data = parseJsonSafely(text);
  } catch (error) {
    throw new Error(`${path}: not JSON (${(error as Error).message})`, { cause: error });
  }
  assertValid<T>(schema, data);
  return data;
}

/** Deepest nesting {@link readJsonFile} accepts: far beyond any schema of ours, far below the stack's limit. */
export const MAX_JSON_DEPTH = 64;

/** JSON.parse without `__proto__` keys (they would otherwise become own properties that later spreads copy). */
export function parseJsonSafely(text: string): unknown {
  return JSON.parse(text, (key, value: unknown) => (key === '__proto__' ? undefined : value));
}
