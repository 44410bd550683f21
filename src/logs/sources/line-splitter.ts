/**
 * Bytes in, lines out, in bounded memory. Every source (file, .gz, stdin,
 * follow, journald) pushes its byte chunks through a LineSplitter.
 */
import type { SourceLine, SourceProblem } from '../line';

/** Longest line kept by default (1 MiB); longer lines are skipped and counted as `too-long`. */
export const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;

const NUL = 0;
const LF = 10;
const CR = 13;
const ZERO_BLOCK = Buffer.alloc(4096);

/** Options of a LineSplitter. */
export interface SplitterOptions {
  /** Longest line kept, in bytes without its terminator (default {@link DEFAULT_MAX_LINE_BYTES}). */
  maxLineBytes?: number;
  /** Told about every line skipped or altered (too long, binary). */
  onProblem?: (problem: SourceProblem) => void;
  /** Number of lines before the first byte pushed (follow mode starting mid-file). */
  linesBefore?: number;
  /** Number of bytes before the first byte pushed (follow mode starting mid-file). */
  bytesBefore?: number;
  /** False for a stream whose bytes are no file's (journalctl's output): its lines get no `byteOffset`. */
  byteOffsets?: boolean;
}

/** Index of the first non-NUL byte of `chunk` at or after `from` (its length when none). */
function skipNuls(chunk: Buffer, from: number): number {
  let i = from;
  // memcmp a block at a time: a 2 GB sparse file must not cost a JS loop per byte.
  while (i + ZERO_BLOCK.length <= chunk.length && ZERO_BLOCK.compare(chunk, i, i + ZERO_BLOCK.length) === 0) {
    i += ZERO_BLOCK.length;
  }
  while (i < chunk.length && chunk[i] === NUL) i++;
  return i;
}

/**
 * Splits byte chunks into lines on `\n` (a `\r` before it is dropped) and
 * decodes each line as UTF-8, invalid bytes becoming U+FFFD.
 *
 * Memory holds at most one line of `maxLineBytes` (plus the chunk being
 * split): a longer line is dropped as it streams and reported as `too-long`.
 * NUL bytes at the start of a line (the hole a crash or a copytruncate race
 * leaves, or a wiped log) are counted, not stored: a line of NULs only is
 * skipped as `binary`; NULs before text are dropped and reported, the text
 * kept. Any other line containing a NUL is binary data (wtmp, a database) and
 * skipped as `binary`. Line numbers count every line, skipped or not.
 */
export class LineSplitter {
  /** Lines yielded. */
  lines = 0;
  /** Lines skipped (too long or binary). */
  skipped = 0;
  /** Number of the last line seen (yielded or skipped). */
  lineNumber: number;
  /** Bytes pushed before the current chunk. */
  private consumed: number;
  /** Offset of the first byte of the line being split. */
  private lineStart: number;
  private readonly maxLineBytes: number;
  private readonly byteOffsets: boolean;
  private readonly onProblem: (problem: SourceProblem) => void;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Bytes of the current line dropped because it is too long (0: not dropping). */
  private droppedBytes = 0;
  private dropping = false;
  private leadingNuls = 0;

  constructor(
    readonly source: string,
    options: SplitterOptions = {},
  ) {
    this.maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    if (!(this.maxLineBytes >= 1)) throw new RangeError(`maxLineBytes must be at least 1, got ${this.maxLineBytes}`);
    this.onProblem = options.onProblem ?? (() => {});
    this.lineNumber = options.linesBefore ?? 0;
    this.consumed = options.bytesBefore ?? 0;
    this.lineStart = this.consumed;
    this.byteOffsets = options.byteOffsets ?? true;
  }

  /** True when part of a line is held, waiting for its terminator. */
  get hasPartialLine(): boolean {
    return this.pendingBytes > 0 || this.dropping || this.leadingNuls > 0;
  }

  /** Splits one chunk; returns the lines it completed. The chunk may be kept (not copied) until its line ends. */
  push(chunk: Buffer): SourceLine[] {
    const out: SourceLine[] = [];
    const length = chunk.length;
    let pos = 0;
    let nulAt = -1; // position of the next NUL in chunk at or after pos, or length; -1: not searched yet
    while (pos < length) {
      if (chunk[pos] === NUL && this.pendingBytes === 0 && !this.dropping) {
        const end = skipNuls(chunk, pos);
        this.leadingNuls += end - pos;
        pos = end;
        if (pos === length) break;
      }
      const newline = chunk.indexOf(LF, pos);
      if (newline === -1) {
        this.keep(chunk, pos, length);
        break;
      }
      if (this.pendingBytes === 0 && !this.dropping) {
        // The common case: the whole line is inside this chunk; decode it in place.
        if (nulAt < pos) nulAt = chunk.indexOf(NUL, pos);
        if (nulAt === -1) nulAt = length;
        this.finish(chunk, pos, newline, nulAt < newline, out);
      } else {
        this.keep(chunk, pos, newline);
        this.finishPending(out);
      }
      pos = newline + 1;
      this.lineStart = this.consumed + pos;
    }
    this.consumed += length;
    return out;
  }

  /** Ends the input: a last line without terminator is still yielded. */
  end(): SourceLine[] {
    const out: SourceLine[] = [];
    if (this.hasPartialLine) this.finishPending(out);
    return out;
  }

  /**
   * Ends an input that failed part-way (truncated .gz, shrunk file): a partial
   * last line is skipped as `truncated`, never yielded, since a cut line can
   * say something else (`from 10.0.0.12` cut to `from 10.0.0.1`).
   */
  abandon(): void {
    if (!this.hasPartialLine) return;
    const bytes = this.pendingBytes + this.droppedBytes;
    this.pending = [];
    this.pendingBytes = 0;
    this.dropping = false;
    this.droppedBytes = 0;
    this.leadingNuls = 0;
    this.lineNumber++;
    this.skip('truncated', `partial line of ${bytes} bytes skipped: the input ended in the middle of it`);
  }

  private keep(chunk: Buffer, from: number, to: number): void {
    if (from >= to) return;
    if (this.dropping) {
      this.droppedBytes += to - from;
      return;
    }
    // One byte of slack for the `\r` of a `\r\n` that may follow.
    if (this.pendingBytes + (to - from) > this.maxLineBytes + 1) {
      this.dropping = true;
      this.droppedBytes = this.pendingBytes + (to - from);
      this.pending = [];
      this.pendingBytes = 0;
      return;
    }
    this.pending.push(chunk.subarray(from, to));
    this.pendingBytes += to - from;
  }

  private finishPending(out: SourceLine[]): void {
    if (this.dropping) {
      this.lineNumber++;
      this.skip('too-long', `line of ${this.droppedBytes} bytes skipped (longer than ${this.maxLineBytes})`);
    } else {
      const line = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
      this.finish(line, 0, line.length, line.includes(NUL), out);
    }
    this.pending = [];
    this.pendingBytes = 0;
    this.dropping = false;
    this.droppedBytes = 0;
    this.leadingNuls = 0;
  }

  private finish(buffer: Buffer, start: number, end: number, hasNul: boolean, out: SourceLine[]): void {
    this.lineNumber++;
    const nuls = this.leadingNuls;
    this.leadingNuls = 0;
    if (end > start && buffer[end - 1] === CR) end--;
    if (end - start > this.maxLineBytes) {
      this.skip('too-long', `line of ${end - start} bytes skipped (longer than ${this.maxLineBytes})`);
    } else if (hasNul) {
      this.skip('binary', 'line with NUL bytes skipped as binary data');
    } else if (nuls > 0 && end === start) {
      this.skip('binary', `${nuls} NUL bytes skipped`);
    } else {
      if (nuls > 0) this.report('binary', `${nuls} NUL bytes before the text skipped`);
      const text = buffer.toString('utf8', start, end);
      out.push(
        this.byteOffsets
          ? { source: this.source, line: this.lineNumber, byteOffset: this.lineStart, text }
          : { source: this.source, line: this.lineNumber, text },
      );
      this.lines++;
    }
  }

  private skip(kind: SourceProblem['kind'], message: string): void {
    this.skipped++;
    this.report(kind, message);
  }

  private report(kind: SourceProblem['kind'], message: string): void {
    this.onProblem({ source: this.source, line: this.lineNumber, kind, message });
  }
}
