/**
 * The events a following agent has read but the server has not acknowledged
 * yet: a bounded FIFO between the reader and the publisher, so reading goes on
 * while the server is away, up to a limit. With a {@link Spool}, what the
 * server cannot take goes on to disk, in order, so a restart or a rotation of
 * the logs while it is away loses nothing.
 */
import type { LogEvent } from '../core/event';
import type { FileIdentity } from '../logs/sources';
import type { Spool } from './spool';

/** Events to publish, and which file each of their sources was when they were read. */
export interface PendingChunk {
  events: LogEvent[];
  files: ReadonlyMap<string, FileIdentity>;
}

/** A chunk as the queue hands it out: its place in the order, and whether it is on disk. */
export interface QueuedChunk extends PendingChunk {
  seq: number;
  spooled: boolean;
}

/**
 * What a full queue does with more events: `wait` stops reading until there is
 * room (nothing lost: the files hold the rest, and positions only move past
 * acknowledged or spooled events); `drop` keeps reading and drops the newest
 * events, counted. With a spool, "full" is the spool being full.
 * Either way an empty queue takes a whole chunk, however large (one poll's read).
 */
export type WhenFull = 'wait' | 'drop';

/** Default capacity of the queue, in events (about 200 batches of 500). */
export const DEFAULT_QUEUE_EVENTS = 100_000;

/** The on-disk part of a queue. */
export interface Spooling {
  spool: Spool;
  /** The spool's `spooledThrough` as last saved: sequence numbers go on after it. */
  after: number | undefined;
  /** Told of each chunk once it is on disk, in order: the positions may move past it (and be saved). */
  onSpooled: (chunk: QueuedChunk) => Promise<void>;
}

/**
 * A FIFO of chunks holding at most `capacity` unacknowledged events in memory,
 * or one chunk. With `spooling`, once the server is away or memory is full,
 * every chunk not yet acknowledged is moved to the spool and new ones go there
 * too, until the spool is sent; chunks on disk are always older than those in memory.
 */
export class PendingQueue {
  private readonly chunks: QueuedChunk[] = [];
  /** Events in memory, queued or being published. */
  private held = 0;
  private closed = false;
  private away = false;
  private nextSeq: number;
  /** Sequence number of the last chunk handed out. */
  private lastTaken = 0;
  /** The chunk being published. */
  private inFlight: QueuedChunk | undefined;
  /** Spool writes, one at a time (the reader's puts and the publisher's spill). */
  private spoolWork: Promise<unknown> = Promise.resolve();
  private wakeTaker: (() => void) | undefined;
  private wakePutter: (() => void) | undefined;
  /** Events dropped because the queue (or its spool) was full (`drop` mode), or a chunk was larger than the spool. */
  dropped = 0;

  constructor(
    readonly capacity = DEFAULT_QUEUE_EVENTS,
    readonly whenFull: WhenFull = 'wait',
    /** Told how many events were just dropped. */
    private readonly onDropped?: (events: number) => void,
    private readonly spooling?: Spooling,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('queue capacity must be >= 1 event');
    const sequences = spooling?.spool.sequences() ?? [];
    this.nextSeq = Math.max(spooling?.after ?? 0, sequences[sequences.length - 1] ?? 0) + 1;
  }

  /** Events in memory that are not on disk: read again from the files if the agent stops now. */
  get unsent(): number {
    return this.held;
  }

  private drop(events: number): void {
    this.dropped += events;
    this.onDropped?.(events);
  }

  private wait(signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve) => {
      this.wakePutter = resolve;
      signal?.addEventListener('abort', () => resolve(), { once: true });
    });
  }

  /** Adds a chunk; when full, waits for room (or for `signal`: the chunk is then not queued) or drops, by `whenFull`. */
  async put(chunk: PendingChunk, signal?: AbortSignal): Promise<void> {
    const queued: QueuedChunk = { ...chunk, seq: this.nextSeq++, spooled: false };
    const full = this.held > 0 && this.held + chunk.events.length > this.capacity;
    if (this.spooling && (this.away || full || this.spooling.spool.size > 0)) {
      await this.spill();
      if (this.held === 0) return this.toSpool(this.spooling, queued, signal);
    }
    if (this.whenFull === 'drop') {
      const room = this.capacity - this.held;
      if (this.held > 0 && queued.events.length > room) {
        this.drop(queued.events.length - Math.max(0, room));
        if (room <= 0) return;
        queued.events = queued.events.slice(0, room);
      }
    } else {
      while (this.held > 0 && this.held + queued.events.length > this.capacity) {
        if (signal?.aborted) return;
        await this.wait(signal);
      }
    }
    this.chunks.push(queued);
    this.held += queued.events.length;
    this.wakeTaker?.();
  }

  /** Runs `work` after the spool writes before it. */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const done = this.spoolWork.then(work);
    this.spoolWork = done.catch(() => undefined);
    return done;
  }

  /** Writes one chunk to the spool; false when it does not fit. */
  private async spoolOne(spooling: Spooling, chunk: QueuedChunk): Promise<boolean> {
    if (!(await spooling.spool.write(chunk.seq, chunk))) return false;
    chunk.spooled = true;
    await spooling.onSpooled(chunk);
    return true;
  }

  /** Waits for room in the spool, or drops the chunk, by `whenFull`. */
  private async toSpool(spooling: Spooling, chunk: QueuedChunk, signal?: AbortSignal): Promise<void> {
    for (;;) {
      if (await this.exclusive(() => this.spoolOne(spooling, chunk))) return this.wakeTaker?.();
      // A chunk larger than the whole spool would never fit.
      if (this.whenFull === 'drop' || spooling.spool.size === 0) return this.drop(chunk.events.length);
      if (signal?.aborted) return;
      await this.wait(signal);
    }
  }

  /**
   * The server is away: moves every chunk in memory to the spool (the one
   * being published too), oldest first, while they fit. Without a spool, nothing.
   */
  async serverAway(): Promise<void> {
    this.away = true;
    await this.spill();
  }

  /** The server took a chunk again: new chunks stay in memory once the spool is sent. */
  serverBack(): void {
    this.away = false;
  }

  private spill(): Promise<void> {
    const spooling = this.spooling;
    if (!spooling) return Promise.resolve();
    return this.exclusive(async () => {
      // `done` waits for this: the chunk in flight is not settled while it is written.
      const flying = this.inFlight;
      if (flying && !flying.spooled) {
        if (!(await this.spoolOne(spooling, flying))) return;
        this.held -= flying.events.length;
      }
      // Out of memory first, so the publisher takes them from the spool, in order, as they are written.
      const moving = this.chunks.splice(0);
      for (const [index, chunk] of moving.entries()) {
        if (!(await this.spoolOne(spooling, chunk))) {
          this.chunks.unshift(...moving.slice(index));
          break;
        }
        this.held -= chunk.events.length;
        this.wakeTaker?.();
      }
    });
  }

  /** The oldest chunk (the spool's first), once there is one; undefined when the queue is closed and empty. */
  async take(): Promise<QueuedChunk | undefined> {
    for (;;) {
      const seq = this.spooling?.spool.sequences().find((spooled) => spooled > this.lastTaken);
      if (seq !== undefined) {
        const chunk = await this.spooling!.spool.read(seq);
        this.lastTaken = seq;
        return (this.inFlight = { ...chunk, seq, spooled: true });
      }
      const chunk = this.chunks.shift();
      if (chunk) {
        this.lastTaken = chunk.seq;
        return (this.inFlight = chunk);
      }
      if (this.closed) return undefined;
      await new Promise<void>((resolve) => (this.wakeTaker = resolve));
    }
  }

  /**
   * A taken chunk is settled: acknowledged (its spool segment is removed), or
   * given up (`sent` false: a spooled chunk stays on disk for the next start).
   */
  async done(chunk: QueuedChunk, sent = true): Promise<void> {
    await this.exclusive(async () => {
      if (chunk === this.inFlight) this.inFlight = undefined;
      // Given up, a chunk in memory still counts as unsent; one on disk stays for the next start.
      if (!sent) return;
      if (chunk.spooled) await this.spooling!.spool.remove(chunk.seq);
      else this.held -= chunk.events.length;
    });
    this.wakePutter?.();
  }

  /** No more chunks will be put: `take` returns undefined once the queue is empty. */
  close(): void {
    this.closed = true;
    this.wakeTaker?.();
  }
}
