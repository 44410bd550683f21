/**
 * The collector: a durable JetStream consumer on every host's event batches
 * that feeds the events to one standard investigation, so the tracers build
 * cases from the whole fleet, each case of an address seen on several hosts
 * with its evidence per host and a fleet score (fleet-cases.ts). A message that is not a batch is counted and
 * acked (never redelivered forever, never a crash). With a partition share,
 * it reads only its partitions (partition.ts), one durable consumer each, so
 * every address's events reach one collector of the fleet; with `'auto'`, the
 * members of a durable share the partitions by lease (leases.ts) and take
 * over a dead member's. `drain()` consumes
 * what is there now; `run()` goes on until stopped and keeps the host list
 * (host-health.ts). With a store, a message is acked only once its events are
 * committed there (collector-store.ts).
 */
import { type Consumer, type JsMsg, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { LogEvent } from '../core/event';
import type { InvestigationResult } from '../core/result';
import { type InvestigateOptions, type StandardTracers, createInvestigation } from '../investigate';
import type { Investigation } from '../core/investigation';
import { type EventBatch, decodeBatch } from './batch';
import type { CollectorStore } from './collector-store';
import { openDurable } from './durables';
import { FleetCases } from './fleet-cases';
import { HostFindingsTable, consumeFindings, drainFindings } from './host-findings';
import { HostHealthTable } from './host-health';
import { PartitionLeases } from './leases';
import { pollUntilAborted } from './poll-loop';
import { PARTITIONS, type PartitionShare, partitionsOf } from './partition';
import { consumeSamples } from './sample-consumer';
import { SampleStorage } from './sample-storage';
import { ALL_EVENTS, FLEET_STREAM, allHosts, ensureFleetStream, partitionEvents } from './subjects';

/** The durable consumer's name when none is given. */
export const DEFAULT_DURABLE = 'logsleuth-collector';

/** How long a following collector waits when none of its consumers had a message (ms). */
const IDLE_POLL_MS = 250;

/** Options of a {@link Collector}. */
export interface CollectorOptions {
  /** An open connection to the NATS server; the collector does not close it. */
  connection: NatsConnection;
  /**
   * Durable consumer name: collectors sharing it share the work and its position (default `logsleuth-collector`).
   * With `partition`, the prefix of one durable per partition: `<durable>-p07`.
   */
  durable?: string;
  /**
   * Read only these partitions (`{ index: 0, count: 2 }`: the even ones), so
   * that collectors with the other shares of one `durable` take the rest and
   * no address's events are split between them. `'auto'`: the partitions this
   * member holds a lease on, about 16 / members, taking over those of a member
   * that stopped or died (leases.ts); not with a store yet. Default: every event.
   */
  partition?: PartitionShare | 'auto';
  /** With `partition: 'auto'`: the lease TTL if the durable's lease bucket is new (ms, default 15 s, at least 3 s). */
  leaseTtlMs?: number;
  /** How the investigation is built (tracer options, whitelist, ...); inputs are ignored. */
  investigate?: InvestigateOptions;
  /** Most messages per fetch (default 100). */
  fetchSize?: number;
  /** Told every event as it is ingested, with the agent's host id (a dashboard's live view). */
  onEvent?: (event: LogEvent, host: string) => void;
  /**
   * Where every consumed event and every sample of the collector's share is
   * stored, each message's before it is acked; opened for the same durable.
   * The collector first reads back the events of the durable's unfinished
   * runs there. It does not finish the store.
   */
  store?: CollectorStore;
}

/** One durable consumer of a collector: its name, its filter subject and, with a share, its partition. */
interface ConsumerFilter {
  durable: string;
  subject: string;
  partition?: number;
}

/** A consumer the collector reads, with its partition (none: every event). */
interface Reader {
  partition?: number;
  consumer: Consumer;
}

/** Options of {@link Collector.run}. */
export interface RunOptions {
  /** Between tracer flushes, in ms (default 1000). */
  flushMs?: number;
  /** Told each failed fetch (events or samples) before it is tried again. */
  onRetry?: (error: Error, attempt: number) => void;
}

/** What the collector has consumed so far. */
export interface CollectorStats {
  batches: number;
  events: number;
  /** Messages that were not an event batch (bad gzip, bad JSON, wrong shape, too large). */
  malformed: number;
  /** Events per host id. */
  byHost: Record<string, number>;
}

/** Consumes the fleet's event batches into one investigation. */
export class Collector {
  readonly investigation: Investigation;
  readonly tracers: StandardTracers;
  /** The durable consumer's name, also what its blocklist entries say put them. */
  readonly durable: string;
  /** What each host's events say of each address: the fleet evidence of the cases. */
  readonly fleetCases: FleetCases;
  /** The host list: events and samples per agent host id, and each host's health. */
  readonly hosts = new HostHealthTable();
  /** The agents' local findings (`logsleuth.findings.<host>`), each once, counted per host; every collector reads them all. */
  readonly agentFindings = new HostFindingsTable();
  /** With `partition: 'auto'`: this member's leases, the partitions it may read now. */
  readonly leases: PartitionLeases | undefined;
  /** The partitions of `options.partition` (every one with `'auto'`, each read only while leased), checked at construction. */
  private readonly partitions: number[] | undefined;
  private stream: Promise<void> | undefined;
  /** Each durable consumer, by name, made on first use. */
  private readonly consumers = new Map<string, Promise<Consumer>>();
  /** The step running now: a partition is given back only after it (and its settle). */
  private stepping: Promise<unknown> = Promise.resolve();
  /** With a store: the samples' durables of this collector's share. */
  private readonly samples: SampleStorage | undefined;
  private resumed: Promise<void> | undefined;
  /** The last commit with a store and the acks after it. */
  private settling: Promise<void> = Promise.resolve();
  private readonly counts: CollectorStats = { batches: 0, events: 0, malformed: 0, byHost: {} };

  constructor(private readonly options: CollectorOptions) {
    ({ investigation: this.investigation, tracers: this.tracers } = createInvestigation(options.investigate));
    this.durable = options.durable ?? DEFAULT_DURABLE;
    if (options.store && options.store.durable !== this.durable)
      throw new Error(`the store was opened for durable ${options.store.durable}, the collector is ${this.durable}`);
    this.fleetCases = new FleetCases(this.tracers.ip, options.investigate?.limits?.maxTrackedIps);
    const { partition } = options;
    if (partition === 'auto') {
      if (options.store) throw new Error('a collector with partition auto cannot have a store yet');
      this.leases = new PartitionLeases({
        connection: options.connection,
        durable: this.durable,
        ...(options.leaseTtlMs === undefined ? {} : { ttlMs: options.leaseTtlMs }),
      });
      this.partitions = [...Array(PARTITIONS).keys()];
    } else this.partitions = partition && partitionsOf(partition);
    this.samples = options.store && new SampleStorage(options.connection, options.store, this.partitions);
  }

  /** Durable name, subject and partition of each consumer: one on every event, or one per partition of the share. */
  private filters(): ConsumerFilter[] {
    if (!this.partitions) return [{ durable: this.durable, subject: ALL_EVENTS }];
    // One durable per partition (one filter subject each, as nats-server 2.9 allows): the shares can change
    // (2 collectors, then 4) and each partition goes on from its own position.
    return this.partitions.map((partition) => ({
      durable: `${this.durable}-p${String(partition).padStart(2, '0')}`,
      subject: partitionEvents(partition),
      partition,
    }));
  }

  /** Makes the stream unless it exists, once. */
  private ensureStream(): Promise<void> {
    this.stream ??= ensureFleetStream(this.options.connection).catch((error: unknown) => {
      this.stream = undefined;
      throw error;
    });
    return this.stream;
  }

  /** The durable consumer on `subject`, made if missing. */
  private consumer({ durable, subject }: ConsumerFilter): Promise<Consumer> {
    let made = this.consumers.get(durable);
    if (!made) {
      made = this.ensureStream().then(() => openDurable(this.options.connection, { durable, subject }));
      made.catch(() => this.consumers.delete(durable));
      this.consumers.set(durable, made);
    }
    return made;
  }

  /** The consumers this collector may read from now: every one of its share, or those of its leased partitions. */
  private async open(): Promise<Reader[]> {
    await this.ensureStream();
    const readers: Reader[] = [];
    for (const filter of this.filters())
      if (this.mayRead(filter)) readers.push({ partition: filter.partition, consumer: await this.consumer(filter) });
    return readers;
  }

  /** Whether a partition may be read now: always, unless its lease is not held, was lost or is being given back. */
  private mayRead({ partition }: { partition?: number }): boolean {
    return !this.leases || (partition !== undefined && this.leases.readable().includes(partition));
  }

  /**
   * Messages the stream holds on the event subjects without a partition
   * (`logsleuth.events.<host>`, from agents older than partitions). A collector
   * with a share never reads them: a collector without one does.
   */
  async unpartitionedMessages(): Promise<number> {
    await this.ensureStream();
    const jsm = await jetstreamManager(this.options.connection);
    const { state } = await jsm.streams.info(FLEET_STREAM, { subjects_filter: allHosts('events') });
    return Object.values(state.subjects ?? {}).reduce((total, messages) => total + messages, 0);
  }

  /** A copy of the counts so far. */
  stats(): CollectorStats {
    return { ...this.counts, byHost: { ...this.counts.byHost } };
  }

  /**
   * One message's batch into the tracers, and each event to `keep` after them;
   * `storedAt`: when the server stored it (ms). Undefined for a non-batch.
   */
  private ingest(
    data: Uint8Array,
    storedAt: number,
    keep?: (host: string, event: LogEvent) => void,
  ): EventBatch | undefined {
    let batch;
    try {
      batch = decodeBatch(data);
    } catch {
      this.counts.malformed++;
      return undefined;
    }
    this.counts.batches++;
    this.counts.events += batch.events.length;
    this.counts.byHost[batch.host] = (this.counts.byHost[batch.host] ?? 0) + batch.events.length;
    this.hosts.events(batch.host, batch.events.length, storedAt);
    for (const event of batch.events) {
      this.investigation.ingest(event);
      this.fleetCases.record(batch.host, event);
      keep?.(batch.host, event);
      this.options.onEvent?.(event, batch.host);
    }
    return batch;
  }

  /**
   * One fetch of at most `wanted` messages (waiting at most a second for them):
   * ingests every message and stores its events (with a store, unless the
   * store already holds them; a message whose events the investigation already
   * has, from this run or one it resumed, is not ingested again), then commits
   * and acks (see {@link Collector.settle}). Resolves with the number of messages.
   */
  private async step(consumer: Consumer, wanted: number): Promise<number> {
    // Take the whole fetch before running the tracers: a long ingest inside the
    // iteration stalls the fetch's idle-heartbeat monitor, which then aborts it.
    const fetched: JsMsg[] = [];
    for await (const message of await consumer.fetch({ max_messages: wanted, expires: 1000 })) fetched.push(message);
    const { store } = this.options;
    const keep = (host: string, event: LogEvent) => store!.event(host, event, this.tracers.error.signatureFor(event));
    let unsettled = 0;
    for (let i = 0; i < fetched.length; i++) {
      const message = fetched[i]!;
      const heldBy = store?.heldBy(message.info);
      if (heldBy === undefined || !store!.ingested(heldBy)) {
        const batch = this.ingest(
          message.data,
          message.time.getTime(),
          store && heldBy === undefined ? keep : undefined,
        );
        if (batch && heldBy === undefined) store?.stored(message.info, batch);
      }
      if (heldBy !== undefined) store!.skipped();
      if (store?.due) unsettled = await this.settle(fetched, unsettled, i + 1);
    }
    await this.settle(fetched, unsettled, fetched.length);
    return fetched.length;
  }

  /**
   * Acks `messages[from, to)`; returns `to`. With a store, first commits their
   * events, and acks once that commit is durable, while the collector goes on
   * with the next messages (DuckDB commits on the store's thread): at most two
   * commits are unacked at a time, as this waits for the previous one.
   */
  private async settle(messages: readonly JsMsg[], from: number, to: number): Promise<number> {
    const { store } = this.options;
    if (from === to) return to;
    const acks = async () => {
      for (let i = from; i < to; i++) {
        await messages[i]!.ackAck();
        store?.acked(messages[i]!.info);
      }
    };
    if (!store) {
      await acks();
      return to;
    }
    const previous = this.settling;
    const committed = store.commit();
    this.settling = (async () => {
      await previous;
      await committed;
      await acks();
    })();
    // Reported by the next settle or by drain; an abandoned one must not be an unhandled rejection.
    this.settling.catch(() => undefined);
    await previous;
    return to;
  }

  /**
   * With a store, once: learns which messages the store already holds (those
   * after the lowest ack floor of this collector's consumers, the only ones
   * that can come back), and feeds the investigation the events of the
   * durable's unfinished runs there.
   */
  private resume(readers: readonly Reader[]): Promise<void> {
    const { store } = this.options;
    this.resumed ??= (async () => {
      if (!store) return;
      let floor = Infinity;
      for (const { consumer } of readers) floor = Math.min(floor, (await consumer.info()).ack_floor.stream_seq);
      await store.prepare(FLEET_STREAM, floor === Infinity ? 0 : floor);
      for await (const { host, event } of store.earlierEvents()) {
        this.investigation.ingest(event);
        this.fleetCases.record(host, event);
      }
    })();
    return this.resumed;
  }

  /**
   * One fetch from a reader if it has messages, pending or awaiting an ack
   * (redelivered after a collector sharing the durable died, or our own last
   * commit's, which is settled first), and its partition may still be read.
   * No more than are pending: a fetch waits for its last message until it expires.
   */
  private stepIfPending(reader: Reader): Promise<{ consumed: number; left: boolean }> {
    const stepping = (async () => {
      if (!this.mayRead(reader)) return { consumed: 0, left: false };
      const { consumer } = reader;
      let info = await consumer.info();
      if (info.num_pending === 0 && info.num_ack_pending > 0) {
        await this.settling;
        info = await consumer.info();
      }
      if (info.num_pending === 0 && info.num_ack_pending === 0) return { consumed: 0, left: false };
      const wanted = Math.min(this.options.fetchSize ?? 100, Math.max(1, info.num_pending));
      return { consumed: await this.step(consumer, wanted), left: true };
    })();
    this.stepping = stepping.catch(() => undefined);
    return stepping;
  }

  /**
   * Runs `work` as a member of the durable's leases when the share is `'auto'`:
   * joins and claims first, keeps the leases meanwhile (every third of the
   * TTL, and at once when another member releases some), and releases them
   * when done, each after its last step and acks.
   */
  private async leased<T>(work: () => Promise<T>): Promise<T> {
    const { leases } = this;
    if (!leases) return work();
    await this.ensureStream();
    const settled = async () => {
      await this.stepping;
      await this.settling;
    };
    await leases.start();
    const stopKeeping = leases.keep(settled);
    try {
      return await work();
    } finally {
      await stopKeeping();
      await leases.stop(settled).catch(() => undefined);
    }
  }

  /**
   * Consumes every batch the stream holds for this collector's consumers now,
   * acking each once ingested (and stored); with a store, then stores the samples
   * waiting; then every agent's findings there.
   */
  drain(): Promise<CollectorStats> {
    return this.leased(async () => {
      const readers = await this.open();
      await this.resume(readers);
      for (const reader of readers) while ((await this.stepIfPending(reader)).left);
      await this.settling;
      await this.samples?.drain();
      await drainFindings(this.options.connection, this.agentFindings);
      return this.stats();
    });
  }

  /**
   * Consumes batches as they come, every host's samples into {@link hosts} and findings into {@link agentFindings},
   * until `signal` aborts; the tracers are flushed every `flushMs` so chains form
   * as events come. A fetch that fails (the server away) is tried again after a
   * backoff while the connection reconnects. With `'auto'`, the partitions read
   * follow the leases held. Resolves with the counts once stopped.
   */
  run(signal: AbortSignal, options: RunOptions = {}): Promise<CollectorStats> {
    return this.leased(async () => {
      await this.resume(await this.open());
      const samples = consumeSamples(this.options.connection, this.hosts, signal, options.onRetry);
      const stored = this.samples?.follow(signal, options.onRetry);
      const findings = consumeFindings(this.options.connection, this.agentFindings, signal, options.onRetry);
      const flushing = setInterval(() => void this.investigation.flush(), options.flushMs ?? 1000);
      try {
        // One fetch per consumer with messages, in turn, so no partition waits for another to be empty.
        const round = async () => {
          let consumed = 0;
          for (const reader of await this.open()) consumed += (await this.stepIfPending(reader)).consumed;
          return consumed;
        };
        await pollUntilAborted(round, IDLE_POLL_MS, signal, options.onRetry);
      } finally {
        clearInterval(flushing);
        await samples;
        await stored;
        await findings;
      }
      await this.settling;
      return this.stats();
    });
  }

  /**
   * Finishes the tracers (end-of-input findings) and returns the fleet's cases
   * and findings; a case seen on several hosts has its `fleet` evidence.
   */
  async result(): Promise<InvestigationResult> {
    await this.investigation.finish();
    const result = this.investigation.result();
    return { ...result, cases: this.fleetCases.annotate(result.cases) };
  }
}
