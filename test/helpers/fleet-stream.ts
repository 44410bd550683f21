/**
 * Reads back what the fleet stream holds, for tests: every stored event, in
 * the order of its file. The agent publishes each partition's batches in order,
 * not the partitions in turn, so the order is checked per partition and the
 * events are then merged back into file order.
 */
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LogEvent } from '../../src/core/event';
import { decodeBatch } from '../../src/fleet/batch';
import { FLEET_STREAM, SUBJECT_ROOT } from '../../src/fleet/subjects';

const EVENTS = `${SUBJECT_ROOT}.events.`;

/**
 * Every event of every batch in the stream (of one agent's host id if given),
 * by source (in the order they first appear) and, for a file's events, byte
 * offset (the partitions' subjects interleave a file's lines); events without
 * an offset (journald's) stay in stream order. Samples are passed over. Throws
 * when a subject's events of one file are not in the order of their offsets.
 */
export async function storedEvents(nc: NatsConnection, host?: string): Promise<LogEvent[]> {
  const jsm = await jetstreamManager(nc);
  const info = await jsm.streams.info(FLEET_STREAM).catch(() => undefined);
  if (!info || info.state.messages === 0) return [];
  const events: LogEvent[] = [];
  const lastOffset = new Map<string, number>();
  for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
    const message = await jsm.streams.getMessage(FLEET_STREAM, { seq });
    const batch = message?.subject.startsWith(EVENTS) ? decodeBatch(message.data) : undefined;
    if (!batch || (host !== undefined && batch.host !== host)) continue;
    for (const event of batch.events) {
      if (event.byteOffset !== undefined) {
        const key = `${message!.subject} ${event.source}`;
        const last = lastOffset.get(key) ?? -1;
        if (event.byteOffset <= last) throw new Error(`${key}: offset ${event.byteOffset} stored after ${last}`);
        lastOffset.set(key, event.byteOffset);
      }
      events.push(event);
    }
  }
  const sources = [...new Set(events.map((event) => event.source))];
  const offset = (event: LogEvent) => event.byteOffset ?? 0;
  return events.sort((a, b) => sources.indexOf(a.source) - sources.indexOf(b.source) || offset(a) - offset(b));
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
