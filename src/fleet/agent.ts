/**
 * The agent: reads this host's logs through the usual pipeline (sources, then
 * readEvents) and publishes the events to JetStream in batches per source and
 * partition (partition.ts), each on its partition's subject.
 * Each batch carries Nats-Msg-Id = host:source:offset (see batchId), so a batch sent again
 * (after a restart or a lost ack) is dropped by the server, never counted twice.
 * With `findings`, the standard tracers also run over what it ships and their
 * findings go to `logsleuth.findings.<host>` (local-findings.ts).
 */
import { type JetStreamClient, type PubAck, jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { LogEvent } from '../core/event';
import type { SourceLine, SourceProblem } from '../logs/line';
import { type ReadEventsOptions, readEvents } from '../logs/read-events';
import {
  type FileIdentity,
  type FollowPosition,
  expandGlob,
  followFiles,
  hasGlob,
  JOURNALD_SOURCE,
  journalLines,
  readLines,
} from '../logs/sources';
import { interleave } from '../logs/sources/interleave';
import type { InvestigateOptions } from '../investigate';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AgentState } from './agent-state';
import { backoffMs } from './backoff';
import { PendingQueue, type QueuedChunk, type WhenFull } from './pending';
import { DEFAULT_SPOOL_BYTES, SPOOL_DIR, Spool } from './spool';
import { type EventBatch, batchId, encodeBatch } from './batch';
import { journalCursor, readyChunks } from './journal';
import { LocalFindings, type LocalFindingsReport } from './local-findings';
import { hostPartition, partitionOf } from './partition';
import { ensureFleetStream, eventsSubject } from './subjects';

/** Where a batch starting with `event` starts: its source, line and byte offset (a file's) or cursor (journald's). */
function startOf(event: LogEvent): Pick<EventBatch, 'source' | 'line' | 'byteOffset' | 'cursor'> {
  if (event.byteOffset !== undefined) return { source: event.source, line: event.line, byteOffset: event.byteOffset };
  const cursor = journalCursor(event);
  return cursor === undefined
    ? { source: event.source, line: event.line }
    : { source: event.source, line: event.line, cursor };
}

/** A batch and the partition whose subject it goes to. */
interface PartitionBatch {
  partition: number;
  batch: EventBatch;
}

/** Most journal entries read into one chunk. */
const JOURNAL_CHUNK = 5000;

/** Options of an {@link Agent}. */
export interface AgentOptions {
  /** An open connection to the NATS server; the agent does not close it. */
  connection: NatsConnection;
  /** This host's id in subjects and dedup ids. */
  host: string;
  /** Most events in one batch (default 500). */
  batchSize?: number;
  /**
   * Run the standard tracers over what is shipped and publish their findings
   * (opt-in: it costs CPU, docs/fleet.md); an object gives the tracers' options.
   */
  findings?: true | InvestigateOptions;
}

/** How often a following agent publishes its new findings (ms). */
export const DEFAULT_FINDINGS_MS = 5000;

/** What one {@link Agent.publish} or {@link Agent.ship} sent. */
export interface PublishReport {
  batches: number;
  events: number;
  /** Batches the server already had (same Nats-Msg-Id within the dedup window). */
  duplicates: number;
  /** Events dropped because even alone, compressed, they exceed the server's max_payload. */
  oversized: number;
}

/** Options of {@link Agent.follow}. */
export interface FollowShipOptions extends ReadEventsOptions {
  /** Stops following; what was read is published first, then `follow` resolves. */
  signal: AbortSignal;
  /** Ship what the files already hold (default: start at their end, like `tail -F`). Saved positions win. */
  fromStart?: boolean;
  /** Where positions are kept: read at the start, saved after every acknowledged publish or spooled chunk. */
  state?: AgentState;
  /**
   * Also follow journald (`journalctl -o json --follow`), optionally one unit. It starts after the
   * saved cursor, else at the journal's end (with `fromStart`, its beginning).
   */
  journal?: { unit?: string; journalctlPath?: string };
  /**
   * Most bytes of the on-disk buffer under `state.dir/spool` (default {@link DEFAULT_SPOOL_BYTES}; 0: none).
   * Once the server is away or the queue is full, unacknowledged events go there and are sent, in order,
   * when the server is back, after a restart too. Needs `state`.
   */
  spoolBytes?: number;
  /** Interval between polls of the files, in ms (default 250). */
  pollMs?: number;
  /** With the agent's `findings`: how often the tracers conclude and new findings are published (ms, default 5000). */
  findingsMs?: number;
  /** Most events read but not acknowledged yet (default {@link DEFAULT_QUEUE_EVENTS}). */
  queueEvents?: number;
  /** What a full queue (or, with a spool, a full spool) does: wait (default; stop reading) or drop the newest events (counted). */
  whenFull?: WhenFull;
  onProblem?: (problem: SourceProblem) => void;
  /** Told about each failed publish before it is tried again (server away, JetStream not ready). */
  onRetry?: (error: Error, attempt: number) => void;
  /** Told how many events a full queue just dropped (`whenFull: 'drop'`). */
  onDropped?: (events: number) => void;
}

/** What one {@link Agent.follow} did. */
export interface FollowReport extends PublishReport {
  /** Publishes that failed and were tried again. */
  retries: number;
  /** Events dropped because the queue or the spool was full (`whenFull: 'drop'`), or a chunk was larger than the spool. */
  dropped: number;
  /** Events read but not acknowledged nor spooled when the agent was stopped: the next start reads them again. */
  unsent: number;
  /** Events left in the spool when the agent was stopped: the next start sends them first. */
  spooled: number;
}

/** Publish attempts go on until acknowledged, or until `signal` aborts. */
interface Retry {
  signal: AbortSignal;
  /** Awaited before the next attempt. */
  onRetry: (error: Error, attempt: number) => void | Promise<void>;
}

/**
 * The positions a following agent saves: past every chunk acknowledged or
 * spooled, in the order read. A chunk spooled moves them before older chunks
 * in flight are acknowledged, so a chunk only moves them forward.
 */
class Positions {
  private through = 0;
  private spooledThrough: number | undefined;
  private saving: Promise<void> = Promise.resolve();

  constructor(
    readonly map: Map<string, FollowPosition>,
    private readonly state: AgentState | undefined,
    after: number | undefined,
    private journalCursor: string | undefined,
  ) {
    this.spooledThrough = after;
  }

  /** Moves each file's position to the last event of `chunk` read from it, and saves them, unless already past it. */
  async advance(chunk: QueuedChunk): Promise<void> {
    if (chunk.seq <= this.through) return;
    this.through = chunk.seq;
    if (chunk.spooled) this.spooledThrough = chunk.seq;
    let lastJournal: LogEvent | undefined;
    for (const event of chunk.events) {
      const file = chunk.files.get(event.source);
      if (file && event.byteOffset !== undefined)
        this.map.set(event.source, { ...file, offset: event.byteOffset, line: event.line });
      else if (event.source === JOURNALD_SOURCE) lastJournal = event;
    }
    if (lastJournal) this.journalCursor = journalCursor(lastJournal) ?? this.journalCursor;
    // One save at a time, each of the latest positions: a slower earlier save never lands last.
    const { state } = this;
    if (!state) return;
    const snapshot = new Map(this.map);
    const { spooledThrough, journalCursor: cursor } = this;
    this.saving = this.saving.then(() => state.save(snapshot, spooledThrough, cursor));
    await this.saving;
  }
}

function addTo(total: PublishReport, sent: PublishReport): void {
  total.batches += sent.batches;
  total.events += sent.events;
  total.duplicates += sent.duplicates;
  total.oversized += sent.oversized;
}

/** Publishes a host's log events to the fleet stream. */
export class Agent {
  private readonly js: JetStreamClient;
  private readonly batchSize: number;
  /** Where this host's events without an address go. */
  private readonly hostPartition: number;
  private streamReady: Promise<void> | undefined;
  private readonly local: LocalFindings | undefined;

  constructor(private readonly options: AgentOptions) {
    this.js = jetstream(options.connection);
    const { findings } = options;
    this.local = findings && new LocalFindings(options.host, findings === true ? undefined : findings);
    this.batchSize = options.batchSize ?? 500;
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1) throw new RangeError('batchSize must be >= 1');
    this.hostPartition = hostPartition(options.host);
  }

  /** Creates the fleet stream if it is not there yet (idempotent). */
  private ensureStream(): Promise<void> {
    // A failure is not kept: the next publish tries again.
    this.streamReady ??= ensureFleetStream(this.options.connection).catch((error: unknown) => {
      this.streamReady = undefined;
      throw error;
    });
    return this.streamReady;
  }

  /**
   * Groups events into batches of one source and one partition each, cut at
   * `batchSize`, in the order of their first events. The same events are cut
   * the same way every time (a resend, a spooled chunk), so the batch ids match.
   */
  private batchesOf(events: readonly LogEvent[]): PartitionBatch[] {
    const batches: PartitionBatch[] = [];
    // Per source, the open batch of each partition.
    const open = new Map<string, (EventBatch | undefined)[]>();
    for (const event of events) {
      const partition = partitionOf(event, this.hostPartition);
      let partitions = open.get(event.source);
      if (!partitions) open.set(event.source, (partitions = []));
      let batch = partitions[partition];
      if (!batch || batch.events.length >= this.batchSize) {
        batch = partitions[partition] = { host: this.options.host, ...startOf(event), events: [] };
        batches.push({ partition, batch });
      }
      batch.events.push(event);
    }
    return batches;
  }

  /**
   * Sends one batch, halving it until each part fits the server's max_payload.
   * The halves are cut the same way on a resend, so their ids still match.
   */
  private async send({ partition, batch }: PartitionBatch, report: PublishReport, retry?: Retry): Promise<void> {
    const data = encodeBatch(batch);
    const limit = this.options.connection.info?.max_payload ?? Number.POSITIVE_INFINITY;
    if (data.length > limit) {
      if (batch.events.length === 1) {
        report.oversized++;
        return;
      }
      const half = Math.ceil(batch.events.length / 2);
      for (const events of [batch.events.slice(0, half), batch.events.slice(half)])
        await this.send({ partition, batch: { ...batch, ...startOf(events[0]!), events } }, report, retry);
      return;
    }
    const ack = await this.acked(eventsSubject(this.options.host, partition), data, batchId(batch), retry);
    report.batches++;
    report.events += batch.events.length;
    if (ack.duplicate) report.duplicates++;
  }

  /**
   * Publishes one message, once or (with `retry`) until acknowledged. A message
   * whose ack was lost may be stored already: its resend has the same id and is
   * dropped by the server as a duplicate.
   */
  private async acked(subject: string, data: Uint8Array, msgID: string, retry?: Retry): Promise<PubAck> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.ensureStream();
        return await this.js.publish(subject, data, { msgID });
      } catch (error) {
        if (!retry || retry.signal.aborted) throw error;
        await retry.onRetry(error as Error, attempt);
        await sleep(backoffMs(attempt), undefined, { signal: retry.signal }).catch(() => undefined);
      }
    }
  }

  /** Publishes events (in batches, awaiting each ack). The same events sent again are deduplicated. */
  async publish(events: readonly LogEvent[], retry?: Retry): Promise<PublishReport> {
    const report: PublishReport = { batches: 0, events: 0, duplicates: 0, oversized: 0 };
    for (const batch of this.batchesOf(events)) await this.send(batch, report, retry);
    this.local?.ingest(events);
    return report;
  }

  /**
   * With `findings`: lets the tracers conclude (`final`: for good) and
   * publishes the findings not published yet, each once; one that fails waits for the next call.
   */
  async publishFindings(final = false): Promise<void> {
    await this.local?.send((subject, data, msgID) => this.acked(subject, data, msgID), final);
  }

  /** With `findings`: what was published of them so far; undefined without. */
  findingsReport(): LocalFindingsReport | undefined {
    return this.local?.report();
  }

  /** Reads files (paths, globs, `.gz`) once through the standard pipeline and publishes their events. */
  async ship(
    inputs: string[],
    options: ReadEventsOptions & { onProblem?: (problem: SourceProblem) => void } = {},
  ): Promise<PublishReport> {
    const { onProblem, ...readOptions } = options;
    const events = readEvents(readLines(inputs, onProblem ? { onProblem } : {}), readOptions);
    const total: PublishReport = { batches: 0, events: 0, duplicates: 0, oversized: 0 };
    // Batches are cut per chunk of lines the reader yields; a chunk never splits a line's record.
    for await (const chunk of events.batches()) addTo(total, await this.publish(chunk));
    await this.publishFindings(true);
    return total;
  }

  /**
   * Follows files (tail -F, rotation-safe; a glob is expanded once, at the start) and publishes their events as they
   * come, until `signal` aborts. With a `state`, the position of the last
   * acknowledged record of each file is saved after every publish, and a new
   * `follow` goes on from there: the record at the saved offset is read again
   * only to find where it ends, and is not sent again.
   */
  async follow(paths: string[], options: FollowShipOptions): Promise<FollowReport> {
    const {
      signal,
      fromStart,
      state,
      journal,
      spoolBytes = DEFAULT_SPOOL_BYTES,
      pollMs,
      findingsMs = DEFAULT_FINDINGS_MS,
      queueEvents,
      whenFull,
      onProblem,
      onRetry,
      onDropped,
      ...readOptions
    } = options;
    const {
      positions: saved,
      spooledThrough,
      journalCursor: afterCursor,
    } = (await state?.loadAll()) ?? { positions: new Map<string, FollowPosition>(), spooledThrough: undefined };
    const positions = new Positions(new Map(saved), state, spooledThrough, afterCursor);
    const spool = state && spoolBytes > 0 ? new Spool(join(state.dir, SPOOL_DIR), spoolBytes) : undefined;
    await spool?.open(spooledThrough);
    const files = new Map<string, FileIdentity>();
    const alreadySent = new Map<string, number>();
    // Reading stops at `signal`, or when the publisher fails for good (a state that cannot be saved).
    const reading = new AbortController();
    const stopReading = () => reading.abort();
    signal.addEventListener('abort', stopReading, { once: true });
    if (signal.aborted) stopReading();
    // Follow takes literal paths (a file may appear later); a glob is expanded once, now.
    const literal: string[] = [];
    for (const input of paths) literal.push(...(hasGlob(input) ? await expandGlob(input) : [input]));
    const chunks = followFiles(literal, {
      signal: reading.signal,
      resume: saved,
      ...(fromStart ? { fromStart } : {}),
      ...(pollMs !== undefined ? { pollMs } : {}),
      ...(onProblem ? { onProblem } : {}),
    });
    async function* lineBatches(): AsyncGenerator<SourceLine[]> {
      for await (const chunk of chunks) {
        const before = saved.get(chunk.path);
        // The first chunk of a resumed file starts with the record sent last time.
        if (!files.has(chunk.path) && before && before.dev === chunk.file.dev && before.ino === chunk.file.ino)
          alreadySent.set(chunk.path, before.offset);
        files.set(chunk.path, chunk.file);
        yield chunk.lines;
      }
    }
    // A saved cursor wins over fromStart, as a saved position does.
    const journalChunks =
      journal &&
      readyChunks(
        journalLines({
          ...journal,
          follow: true,
          signal: reading.signal,
          ...(afterCursor !== undefined ? { afterCursor } : { lines: fromStart ? 'all' : 0 }),
          ...(onProblem ? { onProblem } : {}),
        }),
        JOURNAL_CHUNK,
      );
    const sourceBatches = () => (journalChunks ? interleave([lineBatches(), journalChunks]) : lineBatches());
    const lines = {
      batches: sourceBatches,
      async *[Symbol.asyncIterator]() {
        for await (const batch of sourceBatches()) yield* batch;
      },
    };
    const events = readEvents(lines, { ...readOptions, referenceDate: readOptions.referenceDate ?? Date.now() });
    const report: FollowReport = {
      batches: 0,
      events: 0,
      duplicates: 0,
      oversized: 0,
      retries: 0,
      dropped: 0,
      unsent: 0,
      spooled: 0,
    };
    const spooling = spool && {
      spool,
      after: spooledThrough,
      onSpooled: (chunk: QueuedChunk) => positions.advance(chunk),
    };
    const queue = new PendingQueue(queueEvents, whenFull, onDropped, spooling);
    const retry: Retry = {
      signal,
      onRetry: async (error, attempt) => {
        report.retries++;
        onRetry?.(error, attempt);
        await queue.serverAway();
      },
    };
    const publishing = this.publishQueued(queue, { positions, retry, report }).catch((error: unknown) => {
      reading.abort();
      throw error;
    });
    const concluding = this.local && setInterval(() => void this.publishFindings(), findingsMs);
    try {
      for await (const chunk of events.batches()) {
        const fresh = chunk.filter((event) => {
          const skip = alreadySent.get(event.source);
          if (skip === undefined) return true;
          alreadySent.delete(event.source);
          return event.byteOffset !== skip;
        });
        if (fresh.length > 0) await queue.put({ events: fresh, files: new Map(files) }, reading.signal);
      }
    } finally {
      queue.close();
      signal.removeEventListener('abort', stopReading);
      clearInterval(concluding);
    }
    await publishing;
    await this.publishFindings(true);
    report.dropped = queue.dropped;
    report.unsent = queue.unsent;
    report.spooled = spool?.events ?? 0;
    return report;
  }

  /**
   * Publishes the queued chunks in order, each until acknowledged, saving the
   * positions after each. Once stopped with the server away it gives up: what
   * is left in memory is read again on the next start, what is in the spool is sent then.
   */
  private async publishQueued(
    queue: PendingQueue,
    context: { positions: Positions; retry: Retry; report: FollowReport },
  ): Promise<void> {
    const { positions, retry, report } = context;
    for (let chunk = await queue.take(); chunk; chunk = await queue.take()) {
      try {
        addTo(report, await this.publish(chunk.events, retry));
      } catch (error) {
        if (!retry.signal.aborted) throw error;
        await queue.done(chunk, false);
        return;
      }
      queue.serverBack();
      await queue.done(chunk);
      await positions.advance(chunk);
    }
  }
}
