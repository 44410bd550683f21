/**
 * `tail -F`: follow files by name through rotation, by polling `stat` (inode
 * and size); fs.watch misses events on many filesystems and after renames.
 */
import type { Stats } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SourceLine, SourceProblem } from '../line';
import { LineSplitter } from './line-splitter';
import { problemFromError } from './source-failure';

const CHUNK_BYTES = 256 * 1024;
/** Most bytes read from one file per turn, so one busy file does not starve the others. */
const TURN_BYTES = 8 * 1024 * 1024;
/** Bytes before the read position compared on each poll that finds the file changed, to notice a rewrite past the old size. */
const TAIL_BYTES = 64;

/** Which file a followed path named: its device and inode. */
export interface FileIdentity {
  dev: number;
  ino: number;
}

/** Where to go on reading a file: which file it was, the byte offset to read from and that line's number. */
export interface FollowPosition extends FileIdentity {
  offset: number;
  line: number;
}

/** The lines one poll read from one file, and which file they came from. */
export interface FollowedChunk {
  path: string;
  file: FileIdentity;
  lines: SourceLine[];
}

/** Options of {@link followLines} and {@link followFiles}. */
export interface FollowOptions {
  /** Stops following; the iteration then ends cleanly. Without it, following ends only when the consumer stops. */
  signal?: AbortSignal;
  /** Interval between polls when nothing new was read (default 250 ms). */
  pollMs?: number;
  /** Read files that exist at the start from their beginning (default: only what is appended from now on). */
  fromStart?: boolean;
  /**
   * Positions to go on from, per path (a restarted agent's). A file present at
   * the start with the same device and inode, at least `offset` bytes long, is
   * read from `offset`; another file under that path (rotated meanwhile, or
   * shorter: truncated) is read from its start. Wins over `fromStart`.
   */
  resume?: ReadonlyMap<string, FollowPosition>;
  /** Longest line kept in bytes (default 1 MiB). */
  maxLineBytes?: number;
  /** Told about lines skipped, and about a file missing, removed or not regular (once until it is opened again). */
  onProblem?: (problem: SourceProblem) => void;
}

/** One followed path: the file currently open under that name and where we are in it. */
class FollowedFile {
  private handle: FileHandle | undefined;
  private identity = '';
  /** The file open now, as dev and inode. */
  opened: FileIdentity | undefined;
  private position = 0;
  private tail: Buffer = Buffer.alloc(0);
  /** Size and mtime of the open file when it was last read to its end. */
  private unchanged: { size: number; mtimeMs: number } | undefined;
  private splitter: LineSplitter;
  /** A problem was reported since the file was last opened: stay quiet until it is readable again. */
  private troubled = false;
  private started = false;

  constructor(
    readonly path: string,
    private readonly options: FollowOptions,
  ) {
    this.splitter = this.newSplitter(0);
  }

  private newSplitter(linesBefore: number, bytesBefore = 0): LineSplitter {
    return new LineSplitter(this.path, {
      maxLineBytes: this.options.maxLineBytes,
      onProblem: this.options.onProblem,
      linesBefore,
      bytesBefore,
    });
  }

  /** Reports a whole-file problem, once until the file is opened again (polling must not repeat it). */
  private report(problem: SourceProblem): void {
    if (this.troubled) return;
    this.troubled = true;
    this.options.onProblem?.(problem);
  }

  /**
   * The lines available now (at most about TURN_BYTES of them), and whether
   * there may be more without waiting.
   */
  async turn(out: SourceLine[]): Promise<boolean> {
    try {
      return await this.step(out);
    } catch (error) {
      // An I/O error on the open file: report it, let go of the file and look for it again next poll.
      this.report(problemFromError(this.path, error));
      out.push(...this.splitter.end());
      await this.close().catch(() => undefined);
      return false;
    }
  }

  private async step(out: SourceLine[]): Promise<boolean> {
    const initial = !this.started;
    this.started = true;
    let current: Stats | undefined;
    try {
      current = await stat(this.path);
    } catch (error) {
      current = undefined;
      if (!this.handle) this.report(problemFromError(this.path, error));
    }
    if (this.handle) {
      const sameFile = current !== undefined && `${current.dev}:${current.ino}` === this.identity;
      // The name's stat is the open file's when it names the same file: no second stat.
      const more = await this.readOpen(out, sameFile && current ? current : await this.handle.stat());
      if (more) return true;
      if (sameFile) return false;
      // Renamed or removed: the writer may still append to the old file until it reopens the name,
      // so keep reading the old one until a new file with data is there. The stat above came
      // first, so everything the writer put in the old file before switching has now been read.
      if (!current) {
        this.report({ source: this.path, kind: 'vanished', message: 'file removed or renamed; waiting for a new one' });
        return false;
      }
      if (!current.isFile() || current.size === 0) return false;
      out.push(...this.splitter.end());
      await this.close();
    }
    if (!current) return false;
    if (!current.isFile()) {
      this.report({ source: this.path, kind: 'not-a-file', message: 'not a regular file; waiting for a file' });
      return false;
    }
    await this.openFile(initial);
    return this.handle !== undefined;
  }

  private async openFile(initial: boolean): Promise<void> {
    let handle: FileHandle;
    try {
      handle = await open(this.path, 'r');
    } catch (error) {
      this.report(problemFromError(this.path, error));
      return;
    }
    const opened = await handle.stat();
    this.handle = handle;
    this.identity = `${opened.dev}:${opened.ino}`;
    this.opened = { dev: opened.dev, ino: opened.ino };
    this.troubled = false;
    this.position = 0;
    this.tail = Buffer.alloc(0);
    let linesBefore = 0;
    const resume = initial ? this.options.resume?.get(this.path) : undefined;
    if (resume) {
      if (resume.dev === opened.dev && resume.ino === opened.ino && resume.offset <= opened.size) {
        this.position = resume.offset;
        linesBefore = resume.line - 1;
      }
    } else if (initial && !this.options.fromStart) {
      // Only files present at the start are skipped to their end; one that appears later is new.
      ({ position: this.position, lines: linesBefore } = await this.endOfLastLine(handle));
    }
    if (this.position > 0)
      this.tail = await this.readAt(Math.max(0, this.position - TAIL_BYTES), Math.min(TAIL_BYTES, this.position));
    this.splitter = this.newSplitter(linesBefore, this.position);
  }

  /** Where the last complete line ends and how many lines precede it: following starts there, not mid-line. */
  private async endOfLastLine(handle: FileHandle): Promise<{ position: number; lines: number }> {
    const buffer = Buffer.allocUnsafe(1024 * 1024);
    let offset = 0;
    let lines = 0;
    let position = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
      if (bytesRead === 0) return { position, lines };
      for (let i = buffer.indexOf(10); i !== -1 && i < bytesRead; i = buffer.indexOf(10, i + 1)) {
        lines++;
        position = offset + i + 1;
      }
      offset += bytesRead;
    }
  }

  private async readAt(position: number, length: number): Promise<Buffer> {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await this.handle!.read(buffer, 0, length, position);
    return buffer.subarray(0, bytesRead);
  }

  /**
   * Reads what was appended to the open file (`now` is its stat); starts over
   * when it was truncated (copytruncate). A file whose size and mtime are those
   * of the last poll that read it to its end is not read at all: an idle file
   * costs one stat per poll, as in `tail -F`.
   */
  private async readOpen(out: SourceLine[], now: Stats): Promise<boolean> {
    const { size, mtimeMs } = now;
    if (this.unchanged && size === this.unchanged.size && mtimeMs === this.unchanged.mtimeMs) return false;
    this.unchanged = undefined;
    const rewritten =
      size >= this.position &&
      this.tail.length > 0 &&
      !this.tail.equals(await this.readAt(this.position - this.tail.length, this.tail.length));
    if (size < this.position || rewritten) {
      // What was read before the truncation is complete; a partial last line is flushed as it was.
      out.push(...this.splitter.end());
      this.splitter = this.newSplitter(0);
      this.position = 0;
      this.tail = Buffer.alloc(0);
    }
    let read = 0;
    while (read < TURN_BYTES) {
      const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
      const { bytesRead } = await this.handle!.read(buffer, 0, CHUNK_BYTES, this.position);
      if (bytesRead === 0) {
        this.unchanged = { size, mtimeMs };
        return false;
      }
      const chunk = buffer.subarray(0, bytesRead);
      this.position += bytesRead;
      read += bytesRead;
      this.tail =
        bytesRead >= TAIL_BYTES
          ? chunk.subarray(bytesRead - TAIL_BYTES)
          : Buffer.concat([this.tail, chunk]).subarray(-TAIL_BYTES);
      out.push(...this.splitter.push(chunk));
    }
    return true;
  }

  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    this.identity = '';
    this.opened = undefined;
    this.unchanged = undefined;
    await handle?.close();
  }
}

/**
 * Follows `paths` like `tail -F`, yielding each complete line once:
 * - appended lines as they come (a line is yielded when its `\n` is written);
 * - rename-and-create rotation: the old file is read until a new file with
 *   data is under the name (the writer has switched), its last partial line
 *   flushed, then the new file is read from its start; a file removed (or
 *   renamed with no new one yet) is kept open meanwhile, like `tail -F`;
 * - copytruncate: a file that shrank, or whose bytes before our position
 *   changed, is read again from its start;
 * - a path that is missing or removed is polled until it (re)appears, then
 *   read from its start; files present at the start are read from their end
 *   unless `fromStart`.
 * Line numbers count within each file (they start over after a rotation).
 * The guarantee holds when a file is rotated at most once between two polls
 * and, for copytruncate, when no line is written between logrotate's copy
 * and its truncate (logrotate itself loses such lines). A partial line still
 * unterminated when the signal aborts is not yielded.
 */
export async function* followLines(paths: string[], options: FollowOptions = {}): AsyncGenerator<SourceLine> {
  for await (const chunk of followFiles(paths, options)) yield* chunk.lines;
}

/**
 * {@link followLines} by chunks: the lines one poll read from one file, with
 * that file's device and inode (a chunk never mixes two files), so a consumer
 * can keep its place per file.
 */
export async function* followFiles(paths: string[], options: FollowOptions = {}): AsyncGenerator<FollowedChunk> {
  const pollMs = options.pollMs ?? 250;
  const files = [...new Set(paths)].map((path) => new FollowedFile(path, options));
  try {
    while (!options.signal?.aborted) {
      let more = false;
      for (const file of files) {
        const out: SourceLine[] = [];
        // Lines a turn reads are the file open when it began: a rotation only opens the new file.
        const opened = file.opened;
        if (await file.turn(out)) more = true;
        if (out.length > 0 && opened) yield { path: file.path, file: opened, lines: out };
        if (options.signal?.aborted) return;
      }
      if (!more) await sleep(pollMs, undefined, { signal: options.signal }).catch(() => undefined);
    }
  } finally {
    await Promise.all(files.map((file) => file.close()));
  }
}
