/**
 * Reads back what the fleet stream holds, for tests: every stored batch,
 * decoded, in stream order.
 */
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LogEvent } from '../../src/core/event';
import { decodeBatch } from '../../src/fleet/batch';
import { FLEET_STREAM } from '../../src/fleet/subjects';

/** Every event of every batch in the stream, in order (none when the stream is not there yet). */
export async function storedEvents(nc: NatsConnection): Promise<LogEvent[]> {
  const jsm = await jetstreamManager(nc);
  const info = await jsm.streams.info(FLEET_STREAM).catch(() => undefined);
  if (!info || info.state.messages === 0) return [];
  const events: LogEvent[] = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
    const message = await jsm.streams.getMessage(FLEET_STREAM, { seq });
    if (message) events.push(...decodeBatch(message.data).events);
  }
  return events;
}

/** Waits until the stream holds `count` events (jest's timeout bounds the wait); returns them. */
export async function untilStored(nc: NatsConnection, count: number): Promise<LogEvent[]> {
  for (;;) {
    const events = await storedEvents(nc);
    if (events.length >= count) return events;
    await sleep(50);
  }
}
