/**
 * The agent's on-disk buffer: chunks of events the server has not
 * acknowledged, kept under `<state>/spool` while it is away, so that what was
 * read survives a restart of the agent and a rotation of the logs. One file
 * per chunk, `<seq>-<events>.chunk` (gzip'd JSON), written atomically; the
 * sequence numbers give the order they are sent in.
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { type LogEvent, createEvent } from '../core/event';
import { parseJsonSafely, writeFileAtomic } from '../core/json-file';
import type { FileIdentity } from '../logs/sources';
import type { PendingChunk } from './pending';

/** The spool's directory inside the state directory. */
export const SPOOL_DIR = 'spool';

/** Default most bytes the spool holds on disk (compressed). */
export const DEFAULT_SPOOL_BYTES = 256 * 1024 * 1024;

const SUFFIX = '.chunk';

interface Segment {
  seq: number;
  events: number;
  bytes: number;
}

interface SegmentFile {
  events: LogEvent[];
  files: [string, FileIdentity][];
}

function nameOf(segment: Pick<Segment, 'seq' | 'events'>): string {
  return `${String(segment.seq).padStart(12, '0')}-${segment.events}${SUFFIX}`;
}

/** `{seq, events}` of a segment's file name, or undefined for any other file. */
function parseName(name: string): Pick<Segment, 'seq' | 'events'> | undefined {
  if (!name.endsWith(SUFFIX)) return undefined;
  const [seq, events, ...rest] = name.slice(0, -SUFFIX.length).split('-');
  const numbers = [Number(seq), Number(events)];
  if (rest.length > 0 || !numbers.every((n) => Number.isSafeInteger(n) && n >= 0)) return undefined;
  return { seq: numbers[0]!, events: numbers[1]! };
}

/** A bounded FIFO of chunks on disk, oldest first. */
export class Spool {
  /** Segments on disk, by sequence number, in order. */
  private readonly segments = new Map<number, Segment>();
  private used = 0;

  /**
   * @param dir where the segments are (created when the first is written)
   * @param maxBytes most bytes of segments kept; a chunk that does not fit is refused
   */
  constructor(
    readonly dir: string,
    readonly maxBytes = DEFAULT_SPOOL_BYTES,
  ) {
    if (!Number.isInteger(maxBytes) || maxBytes < 1) throw new RangeError('spool size must be >= 1 byte');
  }

  /**
   * Reads which segments are on disk. Those after `committed` (the state's
   * `spooledThrough`) were written after the positions last saved, which do
   * not cover them: they are removed, and their events read again from the files.
   */
  async open(committed: number | undefined): Promise<void> {
    const names = await fs.readdir(this.dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [] as string[];
      throw error;
    });
    const found: Segment[] = [];
    for (const name of names) {
      const parsed = parseName(name);
      if (!parsed) continue;
      if (committed === undefined || parsed.seq > committed) await fs.rm(join(this.dir, name), { force: true });
      else found.push({ ...parsed, bytes: (await fs.stat(join(this.dir, name))).size });
    }
    found.sort((a, b) => a.seq - b.seq);
    for (const segment of found) this.add(segment);
  }

  private add(segment: Segment): void {
    this.segments.set(segment.seq, segment);
    this.used += segment.bytes;
  }

  /** Segments on disk. */
  get size(): number {
    return this.segments.size;
  }

  /** Bytes of segments on disk. */
  get bytes(): number {
    return this.used;
  }

  /** Events in the segments on disk. */
  get events(): number {
    let total = 0;
    for (const segment of this.segments.values()) total += segment.events;
    return total;
  }

  /** Sequence numbers of the segments, oldest first. */
  sequences(): number[] {
    return [...this.segments.keys()];
  }

  /** Writes `chunk` as segment `seq` (flushed to disk); false, writing nothing, when it does not fit. */
  async write(seq: number, chunk: PendingChunk): Promise<boolean> {
    const content: SegmentFile = { events: chunk.events, files: [...chunk.files] };
    const data = gzipSync(JSON.stringify(content));
    if (this.used + data.length > this.maxBytes) return false;
    await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
    const segment = { seq, events: chunk.events.length, bytes: data.length };
    await writeFileAtomic(join(this.dir, nameOf(segment)), data);
    this.add(segment);
    return true;
  }

  /** The chunk of segment `seq`. Throws a clear error on a damaged segment. */
  async read(seq: number): Promise<PendingChunk> {
    const segment = this.segments.get(seq);
    if (!segment) throw new RangeError(`no spool segment ${seq}`);
    const path = join(this.dir, nameOf(segment));
    let content: SegmentFile;
    try {
      content = parseJsonSafely(gunzipSync(await fs.readFile(path)).toString('utf8')) as SegmentFile;
    } catch (error) {
      throw new Error(`${path}: damaged spool segment (${(error as Error).message})`, { cause: error });
    }
    if (!Array.isArray(content.events) || !Array.isArray(content.files))
      throw new Error(`${path}: damaged spool segment (no events or files)`);
    return { events: content.events.map((event) => createEvent(event)), files: new Map(content.files) };
  }

  /** Removes segment `seq` (its events were acknowledged). */
  async remove(seq: number): Promise<void> {
    const segment = this.segments.get(seq);
    if (!segment) return;
    await fs.rm(join(this.dir, nameOf(segment)), { force: true });
    this.segments.delete(seq);
    this.used -= segment.bytes;
  }
}
