/**
 * Following one kind of message from every host with an ordered consumer
 * (ephemeral, no acks), as the collector reads the samples and the agents'
 * findings: each collector sees every host, whoever shares its durable. When
 * the consumer fails (the server away) it is made again after a backoff,
 * from its start again (the callers keep what they read idempotently).
 */
import { type DeliverPolicy, type JsMsg, jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { setTimeout as sleep } from 'node:timers/promises';
import { backoffMs } from './backoff';
import { FLEET_STREAM } from './subjects';

/** What to follow: the filter subject and where the consumer starts. */
export interface OrderedFollow {
  subject: string;
  deliver: DeliverPolicy;
  /** Names the consumer in the error when it ends on its own (`samples`). */
  what: string;
}

/** An ordered consumer on the fleet stream. */
export function orderedConsumer(connection: NatsConnection, { subject, deliver }: Omit<OrderedFollow, 'what'>) {
  return jetstream(connection).consumers.get(FLEET_STREAM, { filter_subjects: subject, deliver_policy: deliver });
}

/** Hands every message of `follow` to `take` until `signal` aborts. */
export async function followOrdered(
  connection: NatsConnection,
  follow: OrderedFollow,
  take: (message: JsMsg) => void,
  signal: AbortSignal,
  onRetry?: (error: Error, attempt: number) => void,
): Promise<void> {
  for (let attempt = 0; !signal.aborted;) {
    try {
      const messages = await (await orderedConsumer(connection, follow)).consume();
      const stop = () => void messages.close();
      signal.addEventListener('abort', stop, { once: true });
      try {
        for await (const message of messages) {
          attempt = 0;
          take(message);
        }
      } finally {
        signal.removeEventListener('abort', stop);
      }
      if (signal.aborted) return;
      throw new Error(`the ${follow.what} consumer ended`);
    } catch (error) {
      if (signal.aborted) return;
      onRetry?.(error as Error, attempt);
      await sleep(backoffMs(attempt++), undefined, { signal }).catch(() => undefined);
    }
  }
}
