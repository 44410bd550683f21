/**
 * Reading /proc safely. Entries vanish between a directory listing and the read
 * (a process exits, a socket closes) and some are unreadable for other users'
 * processes: those are expected, so they come back as `undefined` for the
 * caller to count as skipped, never as a throw.
 */
import { closeSync, openSync, readSync, readdirSync, readlinkSync } from 'node:fs';

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

/** One buffer reused by every read: /proc files are small and read one at a time. */
let shared = Buffer.allocUnsafe(1 << 16);

/**
 * Reads a whole file into the shared buffer; returns the byte count, or
 * undefined when it vanished or is unreadable. Reads until a read returns 0:
 * the kernel's seq_files (most of /proc) hand out at most a page or so per
 * read, so a short read is not the end.
 */
function readShared(path: string): number | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    if (expected(error)) return undefined;
    throw error;
  }
  try {
    let length = 0;
    for (;;) {
      if (length === shared.length) {
        const grown = Buffer.allocUnsafe(shared.length * 2);
        shared.copy(grown, 0, 0, length);
        shared = grown;
      }
      const got = readSync(fd, shared, length, shared.length - length, null);
      if (got === 0) return length;
      length += got;
    }
  } catch (error) {
    // ESRCH and friends: the process exited between open and read.
    if (expected(error)) return undefined;
    throw error;
  } finally {
    closeSync(fd);
  }
}

/** The file's bytes, or undefined when it vanished or is unreadable. */
export function readBytes(path: string): Buffer | undefined {
  const length = readShared(path);
  return length === undefined ? undefined : Buffer.from(shared.subarray(0, length));
}

/**
 * The file as UTF-8 text, or undefined when it vanished or is unreadable.
 * Invalid bytes become U+FFFD; the ASCII delimiters the parsers look for
 * (`)`, spaces, colons) never occur inside a multi-byte sequence.
 */
export function readText(path: string): string | undefined {
  const length = readShared(path);
  return length === undefined ? undefined : shared.toString('utf8', 0, length);
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
