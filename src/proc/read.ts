/**
 * Reading /proc safely. Entries vanish between a directory listing and the read
 * (a process exits, a socket closes) and some are unreadable for other users'
 * processes: those are expected, so they come back as `undefined` for the
 * caller to count as skipped, never as a throw.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** What every /proc reader returns: what it read and how many entries it had to skip. */
export interface ReadResult<T> {
  items: T[];
  /** Entries that vanished, were unreadable or malformed. */
  skipped: number;
}

/** Error codes that mean "this entry is gone or not ours to read", not a bug. */
const EXPECTED = new Set(['ENOENT', 'ESRCH', 'EACCES', 'EPERM', 'EISDIR', 'ENOTDIR', 'EINVAL', 'ELOOP', 'EIO']);

function expected(error: unknown): boolean {
  return typeof error === 'object' && error !== null && EXPECTED.has((error as NodeJS.ErrnoException).code ?? '');
}

/** The file's bytes, or undefined when it vanished or is unreadable. */
export function readBytes(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch (error) {
    if (expected(error)) return undefined;
    throw error;
  }
}

/**
 * The file as UTF-8 text, or undefined when it vanished or is unreadable.
 * Invalid bytes become U+FFFD; the ASCII delimiters the parsers look for
 * (`)`, spaces, colons) never occur inside a multi-byte sequence.
 */
export function readText(path: string): string | undefined {
  return readBytes(path)?.toString('utf8');
}

/** A directory's entry names, or undefined when it vanished or is unreadable. */
export function listDir(path: string): string[] | undefined {
  try {
    return readdirSync(path);
  } catch (error) {
    if (expected(error)) return undefined;
    throw error;
  }
}

/** A symlink's target, or undefined when it vanished or is unreadable. */
export function readLink(path: string): string | undefined {
  try {
    return readlinkSync(path);
  } catch (error) {
    if (expected(error)) return undefined;
    throw error;
  }
}

/** The numeric entries of a /proc root: the process ids, ascending. */
export function listPids(procRoot: string): number[] {
  const pids: number[] = [];
  for (const name of listDir(procRoot) ?? []) {
    const code = name.charCodeAt(0);
    if (code < 0x30 || code > 0x39) continue;
    const pid = Number(name);
    if (Number.isSafeInteger(pid) && pid > 0 && String(pid) === name) pids.push(pid);
  }
  return pids.sort((a, b) => a - b);
}
