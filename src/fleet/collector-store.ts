/**
 * A collector's store (`collect --store`): the events of every message it
 * consumes go into one run as they come (silver_events, and bronze_lines
 * unless raw is off), each with the agent's host id as `host`, and the message
 * into `fleet_messages`, committed together before the collector acks it. A
 * message redelivered after a collector died between that commit and its ack
 * is found in `fleet_messages` and not stored again, so each event is stored
 * exactly once however often the collector is killed. The agents' samples go
 * the same way (silver's sample tables, `host` the agent's; a `fleet_messages`
 * row with no events per sample), from the samples' durables (sample-storage.ts).
 *
 * A collector that died left its run unfinished. The next one on the same
 * durable and store first reads back the events of the unfinished runs since
 * the durable's last finished one ({@link CollectorStore.earlierEvents}), so
 * its investigation covers what they consumed and acked too.
 */
import type { DeliveryInfo } from '@nats-io/jetstream';
import { type LogEvent, createEvent } from '../core/event';
import type { InvestigationResult } from '../core/result';
import { GOLD_PROCESS_REBUILD } from '../store/gold';
import type { FleetMessage, RunCounts } from '../store/run-writer';
import { type RunThread, openRunThread } from '../store/run-thread';
import type { Row } from '../store/store';
import type { EventBatch } from './batch';
import { DEFAULT_DURABLE } from './collector';
import type { FleetSample } from './sample';

/**
 * Events after which the collector commits and acks what it has, even in the
 * middle of a fetch: the unacked window stays far below the consumer's ack
 * wait (30 s by default) at any batch size.
 */
export const COMMIT_EVENTS = 20_000;

/** Events read back per query when resuming (bounded memory on any earlier run). */
const RESUME_PAGE = 20_000;

/** What the store side has done so far. */
export interface CollectorStoreStats {
  /** Messages whose events this run stored. */
  messages: number;
  events: number;
  /** Samples this run stored (one message each). */
  samples: number;
  /** Messages on the samples' subjects that were not a sample of their host: acked, not stored. */
  notSamples: number;
  /** Messages the store already held (redelivered): acked, not stored again. */
  alreadyStored: number;
  /** Earlier unfinished runs whose events were read back, and how many events. */
  resumedRuns: number;
  resumedEvents: number;
}

/** Options of {@link openCollectorStore}. */
export interface CollectorStoreOptions {
  /** The collector's durable consumer (default `logsleuth-collector`): a restart resumes its unfinished runs. */
  durable?: string;
  /** Keep each event's line in bronze_lines (default true). */
  raw?: boolean;
  /** More to say in the run's `inputs` (the server, ...), beside the durable. */
  inputs?: Record<string, unknown>;
}

/** The unfinished collect runs of a durable since its last finished one, oldest first. */
const UNFINISHED_RUNS = `
  SELECT id FROM runs r
  WHERE command = 'collect' AND finished IS NULL AND id <> $current
    AND json_extract_string(inputs, '$.durable') = $durable
    AND started > coalesce((SELECT max(started) FROM runs WHERE command = 'collect' AND finished IS NOT NULL
      AND json_extract_string(inputs, '$.durable') = $durable), TIMESTAMP '-infinity')
  ORDER BY started`;

/** A page of a run's events in the order they were stored, each with its raw line when bronze has it. */
const EVENTS_PAGE = `
  SELECT e.rowid AS row, e.host AS agent, epoch_ms(e.ts) AS ts, e.source, e.line, e.byte_offset, e.format,
    e.event_host, e.program, e.pid, e.service, e.level, e.action, e.outcome, e.ip, e.port, e."user", e.domain,
    e.message, e.hostile, CAST(e.fields AS VARCHAR) AS fields, b.raw
  FROM silver_events e LEFT JOIN bronze_lines b ON b.run_id = e.run_id AND b.host = e.host AND b.source = e.source
    AND b.line IS NOT DISTINCT FROM e.line AND b.byte_offset IS NOT DISTINCT FROM e.byte_offset
  WHERE e.run_id = $run AND e.rowid > $after
  ORDER BY e.rowid LIMIT ${RESUME_PAGE}`;

/** A silver_events row back as the event it was (its raw line, or its message when bronze was left out). */
function eventOf(row: Row): LogEvent {
  const text = (column: string) => (row[column] === null ? undefined : (row[column] as string));
  const number = (column: string) => (row[column] === null ? undefined : Number(row[column]));
  return createEvent({
    timestamp: number('ts'),
    source: row['source'] as string,
    line: Number(row['line']),
    byteOffset: number('byte_offset'),
    format: row['format'] as string,
    host: text('event_host'),
    program: text('program'),
    pid: number('pid'),
    service: text('service'),
    level: text('level') as LogEvent['level'],
    action: text('action') as LogEvent['action'],
    outcome: row['outcome'] as LogEvent['outcome'],
    ip: text('ip'),
    port: number('port'),
    user: text('user'),
    domain: text('domain'),
    hostile: row['hostile'] === true,
    message: (row['message'] ?? row['raw'] ?? '') as string,
    raw: (row['raw'] ?? row['message'] ?? '') as string,
    fields: row['fields'] === null ? undefined : (JSON.parse(row['fields'] as string) as LogEvent['fields']),
  });
}

/** Where a {@link Collector} keeps what it consumes; open one with {@link openCollectorStore}. */
export class CollectorStore {
  private uncommitted: FleetMessage[] = [];
  private uncommittedEvents = 0;
  private uncommittedSamples = 0;
  private readonly counts: CollectorStoreStats = {
    messages: 0,
    events: 0,
    samples: 0,
    notSamples: 0,
    alreadyStored: 0,
    resumedRuns: 0,
    resumedEvents: 0,
  };
  /** The earlier runs whose events this run's investigation has read back. */
  private readonly resumed = new Set<string>();
  /**
   * Per stream, the sequences of the messages the store holds and the consumer
   * has not acked (after its ack floor, or committed by this run), with the run
   * that stored each: a message can come again only while it is unacked.
   */
  private readonly held = new Map<string, Map<number, string>>();

  private constructor(
    private readonly run: RunThread,
    /** The durable consumer whose messages this store keeps. */
    readonly durable: string,
    private readonly raw: boolean,
  ) {}

  /** @internal use {@link openCollectorStore}. */
  static async open(path: string, options: CollectorStoreOptions): Promise<CollectorStore> {
    const durable = options.durable ?? DEFAULT_DURABLE;
    const info = { command: 'collect', inputs: { ...options.inputs, durable } };
    return new CollectorStore(await openRunThread(path, info, { explicitCommits: true }), durable, options.raw ?? true);
  }

  get runId(): string {
    return this.run.runId;
  }

  stats(): CollectorStoreStats {
    return { ...this.counts };
  }

  /**
   * The events of this durable's unfinished runs since its last finished one,
   * in the order they were stored, each with its agent's host id. A message
   * held by one of them is then not ingested again ({@link CollectorStore.ingested}).
   */
  async *earlierEvents(): AsyncGenerator<{ host: string; event: LogEvent }> {
    const runs = await this.run.query(UNFINISHED_RUNS, { current: this.runId, durable: this.durable });
    for (const { id } of runs) {
      const run = id as string;
      this.resumed.add(run);
      this.counts.resumedRuns++;
      for (let after = -1; ;) {
        const rows = await this.run.query(EVENTS_PAGE, { run, after });
        for (const row of rows) {
          this.counts.resumedEvents++;
          yield { host: row['agent'] as string, event: eventOf(row) };
        }
        if (rows.length < RESUME_PAGE) break;
        after = Number(rows[rows.length - 1]!['row']);
      }
    }
  }

  /** True when the investigation already has the events of a message held by `run`: this run or one it resumed. */
  ingested(run: string): boolean {
    return run === this.runId || this.resumed.has(run);
  }

  /**
   * Learns which messages of `stream` after a consumer's ack floor the
   * store holds: the only ones it can still be given again. Call once per set
   * of consumers, before their first fetch; `samples`: the samples' consumers,
   * which need only the messages without events (a new one's floor is 0: the
   * store's every event message would be kept for nothing).
   */
  async prepare(stream: string, ackFloor: number, samples = false): Promise<void> {
    const rows = await this.run.query(
      `SELECT seq, run_id FROM fleet_messages WHERE stream = $stream AND seq > $floor${samples ? ' AND events = 0' : ''}`,
      { stream, floor: ackFloor },
    );
    const held = this.streamHeld(stream);
    for (const row of rows) held.set(Number(row['seq']), row['run_id'] as string);
  }

  /** The run that stored the events of this message, when the store holds them (committed or committing). */
  heldBy(info: DeliveryInfo): string | undefined {
    return this.held.get(info.stream)?.get(info.streamSequence);
  }

  /** The message is acked: it will not come again, so the store need not remember it holds it. */
  acked(info: DeliveryInfo): void {
    this.held.get(info.stream)?.delete(info.streamSequence);
  }

  private streamHeld(stream: string): Map<number, string> {
    let held = this.held.get(stream);
    if (!held) this.held.set(stream, (held = new Map()));
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

  /**
   * One agent's sample and its message, to be committed together: processes,
   * sockets and system into silver with the agent's host id (an agent ships no
   * raw /proc files, so bronze gets none), the message into `fleet_messages` with no events.
   */
  sample(info: DeliveryInfo, sample: FleetSample): void {
    const { at, processes, sockets, system } = sample;
    this.run.sample({ at, processes, sockets, system, raw: [] }, false, sample.host);
    this.uncommitted.push({ host: sample.host, stream: info.stream, seq: info.streamSequence, events: 0 });
    this.uncommittedSamples++;
  }

  /** A message the store already held: acked, not stored again. */
  skipped(): void {
    this.counts.alreadyStored++;
  }

  /** A message on a samples subject that was not a sample of its host: acked, not stored. */
  notSample(): void {
    this.counts.notSamples++;
  }

  /** True once enough events wait for a commit (see {@link COMMIT_EVENTS}). */
  get due(): boolean {
    return this.uncommittedEvents >= COMMIT_EVENTS;
  }

  /**
   * Commits the events and messages given since the last commit; resolves
   * once they are durable. The messages count as held from now on: a later
   * commit is made after this one, or not at all.
   */
  async commit(): Promise<void> {
    const messages = this.uncommitted;
    this.uncommitted = [];
    const events = this.uncommittedEvents;
    const samples = this.uncommittedSamples;
    this.uncommittedEvents = 0;
    this.uncommittedSamples = 0;
    for (const message of messages) this.streamHeld(message.stream).set(message.seq, this.runId);
    await this.run.commit(messages);
    this.counts.messages += messages.length - samples;
    this.counts.events += events;
    this.counts.samples += samples;
  }

  /**
   * Writes the fleet's gold from `result` and marks the run finished; first
   * the process and connection facts of the samples of the unfinished runs it
   * resumed (killed, they never built theirs), in those runs.
   */
  async finish(result: InvestigationResult): Promise<RunCounts> {
    for (const run of this.resumed)
      for (const statement of GOLD_PROCESS_REBUILD)
        await this.run.query(statement, statement.includes('$run') ? { run } : {});
    return this.run.finish(result);
  }

  /** Leaves the run unfinished (what was committed stays). */
  abort(): Promise<void> {
    return this.run.abort();
  }
}

/**
 * Opens the store at `path` on its own thread and starts a `collect` run of
 * the durable consumer; its rows are committed only when the collector asks.
 */
export function openCollectorStore(path: string, options: CollectorStoreOptions = {}): Promise<CollectorStore> {
  return CollectorStore.open(path, options);
}
