/**
 * The collector: a durable JetStream consumer on every host's event batches
 * that feeds the events to one standard investigation, so the tracers build
 * cases from the whole fleet, each case of an address seen on several hosts
 * with its evidence per host and a fleet score (fleet-cases.ts). A message that is not a batch is counted and
 * acked (never redelivered forever, never a crash). With a store, a message is
 * acked only once its events are committed there (collector-store.ts).
 */
import { AckPolicy, type Consumer, type JsMsg, jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { InvestigationResult } from '../core/result';
import { type InvestigateOptions, type StandardTracers, createInvestigation } from '../investigate';
import type { Investigation } from '../core/investigation';
import type { LogEvent } from '../core/event';
import { type EventBatch, decodeBatch } from './batch';
import type { CollectorStore } from './collector-store';
import { FleetCases } from './fleet-cases';
import { FLEET_STREAM, allHosts, ensureFleetStream } from './subjects';

/** The durable consumer's name when none is given. */
export const DEFAULT_DURABLE = 'logsleuth-collector';

/** Options of a {@link Collector}. */
export interface CollectorOptions {
  /** An open connection to the NATS server; the collector does not close it. */
  connection: NatsConnection;
  /** Durable consumer name: collectors sharing it share the work and its position (default `logsleuth-collector`). */
  durable?: string;
  /** How the investigation is built (tracer options, whitelist, ...); inputs are ignored. */
  investigate?: InvestigateOptions;
  /** Most messages per fetch (default 100). */
  fetchSize?: number;
  /**
   * Where every consumed event is stored, each message's before it is acked;
   * opened for the same durable. The collector first reads back the events of
   * the durable's unfinished runs there. It does not finish the store.
   */
  store?: CollectorStore;
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
  private readonly fleetCases: FleetCases;
  private consumer: Promise<Consumer> | undefined;
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
  }

  /** The stream (created if missing) and the durable consumer on `logsleuth.events.*`. */
  private open(): Promise<Consumer> {
    this.consumer ??= (async () => {
      const jsm = await jetstreamManager(this.options.connection);
      await ensureFleetStream(this.options.connection);
      await jsm.consumers.add(FLEET_STREAM, {
        durable_name: this.durable,
        ack_policy: AckPolicy.Explicit,
        filter_subject: allHosts('events'),
      });
      return jetstream(this.options.connection).consumers.get(FLEET_STREAM, this.durable);
    })().catch((error: unknown) => {
      this.consumer = undefined;
      throw error;
    });
    return this.consumer;
  }

  /** A copy of the counts so far. */
  stats(): CollectorStats {
    return { ...this.counts, byHost: { ...this.counts.byHost } };
  }

  /** Feeds a message's events to the investigation, and each to `onEvent` after it; undefined for a non-batch. */
  private ingest(data: Uint8Array, onEvent?: (host: string, event: LogEvent) => void): EventBatch | undefined {
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
    for (const event of batch.events) {
      this.investigation.ingest(event);
      this.fleetCases.record(batch.host, event);
      onEvent?.(batch.host, event);
    }
    return batch;
  }

  /**
   * One fetch: ingests every message and stores its events (with a store,
   * unless the store already holds them; a message whose events the
   * investigation already has, from this run or one it resumed, is not
   * ingested again), then commits and acks (see {@link Collector.settle}).
   */
  private async step(consumer: Consumer): Promise<void> {
    // Take the whole fetch before running the tracers: a long ingest inside the
    // iteration stalls the fetch's idle-heartbeat monitor, which then aborts it.
    const fetched: JsMsg[] = [];
    for await (const message of await consumer.fetch({ max_messages: this.options.fetchSize ?? 100, expires: 1000 }))
      fetched.push(message);
    const { store } = this.options;
    const keep = (host: string, event: LogEvent) => store!.event(host, event, this.tracers.error.signatureFor(event));
    let unsettled = 0;
    for (let i = 0; i < fetched.length; i++) {
      const message = fetched[i]!;
      const heldBy = store?.heldBy(message.info);
      if (heldBy === undefined || !store!.ingested(heldBy)) {
        const batch = this.ingest(message.data, store && heldBy === undefined ? keep : undefined);
        if (batch && heldBy === undefined) store?.stored(message.info, batch);
      }
      if (heldBy !== undefined) store!.skipped();
      if (store?.due) unsettled = await this.settle(fetched, unsettled, i + 1);
    }
    await this.settle(fetched, unsettled, fetched.length);
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
   * With a store, once: learns which messages the store already holds, and
   * feeds the investigation the events of the durable's unfinished runs there.
   */
  private resume(consumer: Consumer): Promise<void> {
    const { store } = this.options;
    this.resumed ??= (async () => {
      if (!store) return;
      await store.prepare(FLEET_STREAM, (await consumer.info()).ack_floor.stream_seq);
      for await (const { host, event } of store.earlierEvents()) {
        this.investigation.ingest(event);
        this.fleetCases.record(host, event);
      }
    })();
    return this.resumed;
  }

  /** Consumes every batch the stream holds for this consumer now, acking each once ingested (and stored). */
  async drain(): Promise<CollectorStats> {
    const consumer = await this.open();
    await this.resume(consumer);
    for (;;) {
      let info = await consumer.info();
      if (info.num_pending === 0 && info.num_ack_pending > 0) {
        // Perhaps only our own last commit is unacked: settle it and look again.
        await this.settling;
        info = await consumer.info();
      }
      if (info.num_pending === 0 && info.num_ack_pending === 0) break;
      await this.step(consumer);
    }
    await this.settling;
    return this.stats();
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
