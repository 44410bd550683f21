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

/** The durable consumer of `filter` on the fleet stream (which must exist), made if missing. */
export async function openDurable(connection: NatsConnection, { durable, subject }: DurableFilter): Promise<Consumer> {
  const jsm = await jetstreamManager(connection);
  await jsm.consumers.add(FLEET_STREAM, {
    durable_name: durable,
    ack_policy: AckPolicy.Explicit,
    filter_subject: subject,
  });
  return jetstream(connection).consumers.get(FLEET_STREAM, durable);
}

/** Creates the fleet stream if missing, then each durable consumer, and returns them in order. */
export async function openDurables(connection: NatsConnection, filters: readonly DurableFilter[]): Promise<Consumer[]> {
  await ensureFleetStream(connection);
  const consumers: Consumer[] = [];
  for (const filter of filters) consumers.push(await openDurable(connection, filter));
  return consumers;
}
