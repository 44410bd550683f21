/**
 * The events a following agent has read but the server has not acknowledged
 * yet: a bounded FIFO between the reader and the publisher, so reading goes on
 * while the server is away, up to a limit.
 */
import type { LogEvent } from '../core/event';
import type { FileIdentity } from '../logs/sources';

/** Events to publish, and which file each of their sources was when they were read. */
export interface PendingChunk {
  events: LogEvent[];
  files: ReadonlyMap<string, FileIdentity>;
}

/**
 * What a full queue does with more events: `wait` stops reading until there is
 * room (nothing lost: the files hold the rest, and positions only move past
 * acknowledged events); `drop` keeps reading and drops the newest events, counted.
 * Either way an empty queue takes a whole chunk, however large (one poll's read).
 */
export type WhenFull = 'wait' | 'drop';

/** Default capacity of the queue, in events (about 200 batches of 500). */
export const DEFAULT_QUEUE_EVENTS = 100_000;

/** A FIFO of chunks holding at most `capacity` unacknowledged events, or one chunk. */
export class PendingQueue {
  private readonly chunks: PendingChunk[] = [];
  /** Events queued or being published. */
  private held = 0;
  private closed = false;
  private wakeTaker: (() => void) | undefined;
  private wakePutter: (() => void) | undefined;
  /** Events dropped because the queue was full (`drop` mode). */
  dropped = 0;

  constructor(
    readonly capacity = DEFAULT_QUEUE_EVENTS,
    readonly whenFull: WhenFull = 'wait',
    /** Told how many events were just dropped. */
    private readonly onDropped?: (events: number) => void,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('queue capacity must be >= 1 event');
  }

  /** Adds a chunk; in `wait` mode, first waits for room (or for `signal`: the chunk is then not queued). */
  async put(chunk: PendingChunk, signal?: AbortSignal): Promise<void> {
    if (this.whenFull === 'drop') {
      const room = this.capacity - this.held;
      if (this.held > 0 && chunk.events.length > room) {
        const dropped = chunk.events.length - Math.max(0, room);
        this.dropped += dropped;
        this.onDropped?.(dropped);
        if (room <= 0) return;
        chunk = { ...chunk, events: chunk.events.slice(0, room) };
      }
    } else {
      while (this.held > 0 && this.held + chunk.events.length > this.capacity) {
        if (signal?.aborted) return;
        await new Promise<void>((resolve) => {
          this.wakePutter = resolve;
          signal?.addEventListener('abort', () => resolve(), { once: true });
        });
      }
    }
    this.chunks.push(chunk);
    this.held += chunk.events.length;
    this.wakeTaker?.();
  }

  /** The oldest chunk, once there is one; undefined when the queue is closed and empty. */
  async take(): Promise<PendingChunk | undefined> {
    while (this.chunks.length === 0 && !this.closed) await new Promise<void>((resolve) => (this.wakeTaker = resolve));
    return this.chunks.shift();
  }

  /** A taken chunk is settled (acknowledged, or given up): its events no longer count. */
  done(chunk: PendingChunk): void {
    this.held -= chunk.events.length;
    this.wakePutter?.();
  }

  /** No more chunks will be put: `take` returns undefined once the queue is empty. */
  close(): void {
    this.closed = true;
    this.wakeTaker?.();
  }
}
