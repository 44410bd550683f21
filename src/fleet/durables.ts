/**
 * The durable pull consumers a collector reads the fleet stream through: one
 * filter subject each (nats-server 2.9 allows no more), explicit acks, made
 * when missing and otherwise taken as they are, position and all.
 */
import { AckPolicy, type Consumer, jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { FLEET_STREAM, ensureFleetStream } from './subjects';

/** One durable consumer: its name and the subject it reads. */
export interface DurableFilter {
  durable: string;
  subject: string;
}

/** Creates the fleet stream if missing, then each durable consumer, and returns them in order. */
export async function openDurables(connection: NatsConnection, filters: readonly DurableFilter[]): Promise<Consumer[]> {
  const jsm = await jetstreamManager(connection);
  await ensureFleetStream(connection);
  const js = jetstream(connection);
  const consumers: Consumer[] = [];
  for (const { durable, subject } of filters) {
    await jsm.consumers.add(FLEET_STREAM, {
      durable_name: durable,
      ack_policy: AckPolicy.Explicit,
      filter_subject: subject,
    });
    consumers.push(await js.consumers.get(FLEET_STREAM, durable));
  }
  return consumers;
}
