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
 * A read shorter than this, and shorter than asked, ends a kernel socket
 * table: seq_file fills its page-sized buffer with whole records until the
 * next one no longer fits (reads of /proc/net/tcp return 4050 bytes, 27
 * records of 150, then the rest), so only the last read returns less than a
 * page minus one record (records are 128 to 178 bytes).
 */
const SEQ_TABLE_LAST_READ = 3072;

/**
 * How a read knows it reached the end. `eof`: a read returns 0, since
 * seq_files (most of /proc) hand out about a page per read. `seq-table`: a
 * read shorter than SEQ_TABLE_LAST_READ (every read of /proc/net/tcp walks
 * the kernel's whole socket hash, so the read that would only confirm the end
 * costs as much as all the others). `whole`: a read shorter than asked, for
 * the files the kernel writes whole on the first read (a process's stat,
 * status, io and cmdline): a sample reads four per process, and each saves
 * the read that would return 0.
 */
export type ReadEnd = 'eof' | 'seq-table' | 'whole';

/**
 * Reads a whole file into the shared buffer; returns the byte count, or
 * undefined when it vanished or is unreadable.
 */
function readShared(path: string, end: ReadEnd = 'eof'): number | undefined {
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
      const wanted = shared.length - length;
      const got = readSync(fd, shared, length, wanted, null);
      length += got;
      if (got === 0 || (end !== 'eof' && got < wanted && (end === 'whole' || got < SEQ_TABLE_LAST_READ))) return length;
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
export function readBytes(path: string, end: ReadEnd = 'eof'): Buffer | undefined {
  const length = readShared(path, end);
  return length === undefined ? undefined : Buffer.from(shared.subarray(0, length));
}

/**
 * The file as UTF-8 text, or undefined when it vanished or is unreadable.
 * `end`: see {@link ReadEnd}.
 * Invalid bytes become U+FFFD; the ASCII delimiters the parsers look for
 * (`)`, spaces, colons) never occur inside a multi-byte sequence.
 */
export function readText(path: string, end: ReadEnd = 'eof'): string | undefined {
  const length = readShared(path, end);
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
