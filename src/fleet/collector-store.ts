/**
 * A collector's store (`collect --store`): the events of every message it
 * consumes go into one run as they come (silver_events, and bronze_lines
 * unless raw is off), each with the agent's host id as `host`, and the message
 * into `fleet_messages`, committed together before the collector acks it. A
 * message redelivered after a collector died between that commit and its ack
 * is found in `fleet_messages` and not stored again, so each event is stored
 * exactly once however often the collector is killed.
 */
import type { DeliveryInfo } from '@nats-io/jetstream';
import type { LogEvent } from '../core/event';
import type { InvestigationResult } from '../core/result';
import type { FleetMessage, RunCounts } from '../store/run-writer';
import { type RunThread, openRunThread } from '../store/run-thread';
import type { RunInfo } from '../store/store';
import type { EventBatch } from './batch';

/**
 * Events after which the collector commits and acks what it has, even in the
 * middle of a fetch: the unacked window stays far below the consumer's ack
 * wait (30 s by default) at any batch size.
 */
export const COMMIT_EVENTS = 20_000;

/** What the store side has done so far. */
export interface CollectorStoreStats {
  /** Messages whose events this run stored. */
  messages: number;
  events: number;
  /** Messages the store already held (redelivered), ingested but not stored again. */
  alreadyStored: number;
}

/** Where a {@link Collector} keeps what it consumes; open one with {@link openCollectorStore}. */
export class CollectorStore {
  private uncommitted: FleetMessage[] = [];
  private uncommittedEvents = 0;
  private readonly counts: CollectorStoreStats = { messages: 0, events: 0, alreadyStored: 0 };

  private constructor(
    private readonly run: RunThread,
    private readonly raw: boolean,
  ) {}

  /** @internal use {@link openCollectorStore}. */
  static async open(path: string, info: RunInfo, raw: boolean): Promise<CollectorStore> {
    return new CollectorStore(await openRunThread(path, info, { explicitCommits: true }), raw);
  }

  get runId(): string {
    return this.run.runId;
  }

  stats(): CollectorStoreStats {
    return { ...this.counts };
  }

  /** Of `messages` (one fetch, in stream order), the stream sequences whose events the store already holds. */
  async held(messages: readonly { info: DeliveryInfo }[]): Promise<Set<number>> {
    const held = new Set<number>();
    const byStream = new Map<string, number[]>();
    for (const { info } of messages) {
      const seqs = byStream.get(info.stream) ?? [];
      seqs.push(info.streamSequence);
      byStream.set(info.stream, seqs);
    }
    for (const [stream, seqs] of byStream) {
      const rows = await this.run.query(
        'SELECT seq FROM fleet_messages WHERE stream = $stream AND seq BETWEEN $first AND $last',
        { stream, first: Math.min(...seqs), last: Math.max(...seqs) },
      );
      for (const row of rows) held.add(Number(row['seq']));
    }
    return held;
  }

  /** One event of the message being stored; `templateId` as in {@link RunWriter.event}. */
  event(host: string, event: LogEvent, templateId: string | undefined): void {
    this.run.event(event, this.raw, templateId, Date.now(), host);
  }

  /** The message whose events were just given, to be committed with them. */
  stored(info: DeliveryInfo, batch: EventBatch): void {
    this.uncommitted.push({
      host: batch.host,
      stream: info.stream,
      seq: info.streamSequence,
      events: batch.events.length,
    });
    this.uncommittedEvents += batch.events.length;
  }

  /** A message the store already held: ingested again, not stored again. */
  skipped(): void {
    this.counts.alreadyStored++;
  }

  /** True once enough events wait for a commit (see {@link COMMIT_EVENTS}). */
  get due(): boolean {
    return this.uncommittedEvents >= COMMIT_EVENTS;
  }

  /** Commits the events and messages given since the last commit; resolves once they are durable. */
  async commit(): Promise<void> {
    const messages = this.uncommitted;
    this.uncommitted = [];
    await this.run.commit(messages);
    this.counts.messages += messages.length;
    this.counts.events += this.uncommittedEvents;
    this.uncommittedEvents = 0;
  }

  /** Writes the fleet's gold from `result` and marks the run finished. */
  finish(result: InvestigationResult): Promise<RunCounts> {
    return this.run.finish(result);
  }

  /** Leaves the run unfinished (what was committed stays). */
  abort(): Promise<void> {
    return this.run.abort();
  }
}

/**
 * Opens the store at `path` on its own thread and starts a run of `info`; its
 * rows are committed only when the collector asks. `raw`: keep each event's
 * line in bronze_lines (default true).
 */
export function openCollectorStore(path: string, info: RunInfo, raw = true): Promise<CollectorStore> {
  return CollectorStore.open(path, info, raw);
}
