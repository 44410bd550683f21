/**
 * A storing collector's durable consumers on the agents' samples: every
 * sample into the collector's store exactly once, like the events (committed
 * with its `fleet_messages` row before it is acked; one the store already
 * holds is acked and not stored again). A sample's subject carries its host's
 * partition (`logsleuth.samples.<host>.<p>`, p = `hostPartition(host)`), so
 * with a partition share each collector stores the samples of the hosts whose
 * partition it owns, one durable per partition (`<durable>-samples-p07`), and
 * every sample is stored by one collector of the fleet.
 */
import type { Consumer, JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { pollUntilAborted } from './poll-loop';
import type { CollectorStore } from './collector-store';
import { type DurableFilter, openDurables } from './durables';
import { sampleOf } from './sample-consumer';
import { ALL_SAMPLES, FLEET_STREAM, partitionSamples } from './subjects';

/** Most samples per fetch: a full sample is about 50 KB. */
const FETCH_SAMPLES = 100;

/** How long a following collector waits when no samples came (ms): an agent samples every 5 s by default. */
const IDLE_POLL_MS = 1000;

/** The samples' durables of a collector: one on every sample, or one per partition it owns. */
export function sampleDurables(durable: string, partitions: readonly number[] | undefined): DurableFilter[] {
  if (!partitions) return [{ durable: `${durable}-samples`, subject: ALL_SAMPLES }];
  return partitions.map((p) => ({
    durable: `${durable}-samples-p${String(p).padStart(2, '0')}`,
    subject: partitionSamples(p),
  }));
}

/** Stores every sample of a collector's share into its store. */
export class SampleStorage {
  private consumers: Promise<Consumer[]> | undefined;

  /**
   * @param partitions the collector's partitions; undefined: every sample
   */
  constructor(
    private readonly connection: NatsConnection,
    private readonly store: CollectorStore,
    private readonly partitions: readonly number[] | undefined,
  ) {}

  /** The durables, and which of their messages the store already holds (after their lowest ack floor). */
  private open(): Promise<Consumer[]> {
    this.consumers ??= (async () => {
      const consumers = await openDurables(this.connection, sampleDurables(this.store.durable, this.partitions));
      let floor = Infinity;
      for (const consumer of consumers) floor = Math.min(floor, (await consumer.info()).ack_floor.stream_seq);
      await this.store.prepare(FLEET_STREAM, floor === Infinity ? 0 : floor, true);
      return consumers;
    })().catch((error: unknown) => {
      this.consumers = undefined;
      throw error;
    });
    return this.consumers;
  }

  /** Stores every sample waiting for this collector now. */
  async drain(): Promise<void> {
    for (const consumer of await this.open()) while ((await this.stepIfPending(consumer)).left);
  }

  /**
   * Stores samples as they come until `signal` aborts; a failure (the server
   * away) is told to `onRetry` and tried again after a backoff.
   */
  async follow(signal: AbortSignal, onRetry?: (error: Error, attempt: number) => void): Promise<void> {
    const round = async () => {
      let consumed = 0;
      for (const consumer of await this.open()) consumed += (await this.stepIfPending(consumer)).consumed;
      return consumed;
    };
    await pollUntilAborted(round, IDLE_POLL_MS, signal, onRetry);
  }

  /**
   * One fetch when the consumer has messages pending or awaiting an ack (a
   * sharer's, redelivered after `ack_wait`): each sample stored unless the
   * store holds it, committed, then every message acked.
   */
  private async stepIfPending(consumer: Consumer): Promise<{ consumed: number; left: boolean }> {
    const info = await consumer.info();
    if (info.num_pending === 0 && info.num_ack_pending === 0) return { consumed: 0, left: false };
    const fetched: JsMsg[] = [];
    const wanted = Math.min(FETCH_SAMPLES, Math.max(1, info.num_pending));
    for await (const message of await consumer.fetch({ max_messages: wanted, expires: 1000 })) fetched.push(message);
    for (const message of fetched) {
      if (this.store.heldBy(message.info) !== undefined) {
        this.store.skipped();
        continue;
      }
      const sample = sampleOf(message);
      if (sample) this.store.sample(message.info, sample);
      else this.store.notSample();
    }
    if (fetched.length === 0) return { consumed: 0, left: true };
    await this.store.commit();
    for (const message of fetched) {
      await message.ackAck();
      this.store.acked(message.info);
    }
    return { consumed: fetched.length, left: true };
  }
}
