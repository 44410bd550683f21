/**
 * /proc/[pid]/io: I/O counters. Readable only by the process's owner (or
 * root), so for other users' processes the figures are unknown, not an error.
 */
import { decimal, keyValues } from './text';

/** I/O counters of one process, in bytes and system calls. */
export interface ProcIo {
  /** Bytes passed to read-like calls (including from the page cache). */
  rchar: number;
  wchar: number;
  /** Read and write system calls. */
  syscr: number;
  syscw: number;
  /** Bytes actually fetched from and sent to storage. */
  readBytes: number;
  writeBytes: number;
  cancelledWriteBytes: number;
}

const KEYS = {
  rchar: 'rchar',
  wchar: 'wchar',
  syscr: 'syscr',
  syscw: 'syscw',
  readBytes: 'read_bytes',
  writeBytes: 'write_bytes',
  cancelledWriteBytes: 'cancelled_write_bytes',
} as const;

/** Parses an io file; undefined unless every counter is present and numeric. */
export function parseProcIo(text: string): ProcIo | undefined {
  const { values } = keyValues(text);
  const io: Partial<ProcIo> = {};
  for (const [field, key] of Object.entries(KEYS) as [keyof ProcIo, string][]) {
    const value = decimal(values.get(key));
    if (value === undefined) return undefined;
    io[field] = value;
  }
  return io as ProcIo;
}
