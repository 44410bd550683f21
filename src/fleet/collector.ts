/**
 * The collector: a durable JetStream consumer on every host's event batches
 * that feeds the events to one standard investigation, so the tracers build
 * cases from the whole fleet, each case of an address seen on several hosts
 * with its evidence per host and a fleet score (fleet-cases.ts). A message that is not a batch is counted and
 * acked (never redelivered forever, never a crash). `drain()` consumes what is
 * there now; `run()` goes on until stopped and keeps the host list (host-health.ts).
 */
import { AckPolicy, type Consumer, type JsMsg, jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LogEvent } from '../core/event';
import type { InvestigationResult } from '../core/result';
import { type InvestigateOptions, type StandardTracers, createInvestigation } from '../investigate';
import type { Investigation } from '../core/investigation';
import { decodeBatch } from './batch';
import { backoffMs } from './backoff';
import { FleetCases } from './fleet-cases';
import { HostHealthTable } from './host-health';
import { consumeSamples } from './sample-consumer';
import { FLEET_STREAM, allHosts, ensureFleetStream } from './subjects';

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
  /** Told every event as it is ingested, with the agent's host id (a dashboard's live view). */
  onEvent?: (event: LogEvent, host: string) => void;
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
  private readonly fleetCases: FleetCases;
  /** The host list: events and samples per agent host id, and each host's health. */
  readonly hosts = new HostHealthTable();
  private consumer: Promise<Consumer> | undefined;
  private readonly counts: CollectorStats = { batches: 0, events: 0, malformed: 0, byHost: {} };

  constructor(private readonly options: CollectorOptions) {
    ({ investigation: this.investigation, tracers: this.tracers } = createInvestigation(options.investigate));
    this.durable = options.durable ?? 'logsleuth-collector';
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

  /** One message's batch into the tracers; `storedAt`: when the server stored it (ms). */
  private ingest(data: Uint8Array, storedAt?: number): void {
    let batch;
    try {
      batch = decodeBatch(data);
    } catch {
      this.counts.malformed++;
      return;
    }
    this.counts.batches++;
    this.counts.events += batch.events.length;
    this.counts.byHost[batch.host] = (this.counts.byHost[batch.host] ?? 0) + batch.events.length;
    this.hosts.events(batch.host, batch.events.length, storedAt);
    for (const event of batch.events) {
      this.investigation.ingest(event);
      this.fleetCases.record(batch.host, event);
      this.options.onEvent?.(event, batch.host);
    }
  }

  /** One fetch (waiting at most a second for messages), each message ingested and acked. */
  private async step(consumer: Consumer): Promise<void> {
    // Take the whole fetch before running the tracers: a long ingest inside the
    // iteration stalls the fetch's idle-heartbeat monitor, which then aborts it.
    const fetched: JsMsg[] = [];
    for await (const message of await consumer.fetch({ max_messages: this.options.fetchSize ?? 100, expires: 1000 }))
      fetched.push(message);
    for (const message of fetched) {
      this.ingest(message.data, message.time.getTime());
      await message.ackAck();
    }
  }

  /** Consumes every batch the stream holds for this consumer now, acking each once ingested. */
  async drain(): Promise<CollectorStats> {
    const consumer = await this.open();
    for (;;) {
      const info = await consumer.info();
      if (info.num_pending === 0 && info.num_ack_pending === 0) break;
      await this.step(consumer);
    }
    return this.stats();
  }

  /**
   * Consumes batches as they come, and every host's samples into {@link hosts},
   * until `signal` aborts; the tracers are flushed every `flushMs` so chains form
   * as events come. A fetch that fails (the server away) is tried again after a
   * backoff while the connection reconnects. Resolves with the counts once stopped.
   */
  async run(signal: AbortSignal, options: RunOptions = {}): Promise<CollectorStats> {
    const consumer = await this.open();
    const samples = consumeSamples(this.options.connection, this.hosts, signal, options.onRetry);
    const flushing = setInterval(() => void this.investigation.flush(), options.flushMs ?? 1000);
    try {
      for (let attempt = 0; !signal.aborted;) {
        try {
          await this.step(consumer);
          attempt = 0;
        } catch (error) {
          if (signal.aborted) break;
          options.onRetry?.(error as Error, attempt);
          await sleep(backoffMs(attempt++), undefined, { signal }).catch(() => undefined);
        }
      }
    } finally {
      clearInterval(flushing);
      await samples;
    }
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
