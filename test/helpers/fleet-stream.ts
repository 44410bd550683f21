/**
 * Reads back what the fleet stream holds, for tests: every stored batch,
 * decoded, in stream order.
 */
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LogEvent } from '../../src/core/event';
import { decodeBatch } from '../../src/fleet/batch';
import { FLEET_STREAM, SUBJECT_ROOT } from '../../src/fleet/subjects';

const EVENTS = `${SUBJECT_ROOT}.events.`;

/** Every event of every batch in the stream (of one agent's host id if given), in order; samples are passed over. */
export async function storedEvents(nc: NatsConnection, host?: string): Promise<LogEvent[]> {
  const jsm = await jetstreamManager(nc);
  const info = await jsm.streams.info(FLEET_STREAM).catch(() => undefined);
  if (!info || info.state.messages === 0) return [];
  const events: LogEvent[] = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
    const message = await jsm.streams.getMessage(FLEET_STREAM, { seq });
    const batch = message?.subject.startsWith(EVENTS) ? decodeBatch(message.data) : undefined;
    if (batch && (host === undefined || batch.host === host)) events.push(...batch.events);
  }
  return events;
}

/**
 * Waits until the stream holds `count` events (of one host id if given; jest's
 * timeout bounds the wait); asks again while the connection is reconnecting.
 */
export async function untilStored(nc: NatsConnection, count: number, host?: string): Promise<LogEvent[]> {
  for (;;) {
    const events = await storedEvents(nc, host).catch(() => []);
    if (events.length >= count) return events;
    await sleep(50);
  }
}
