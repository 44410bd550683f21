/**
 * EventColumns: events of real fixture logs, posted as columns through a real
 * structured clone (buffers transferred), come back as the same events with
 * the same flags, in order.
 */
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import { createEvent } from '../../src/core/event';
import type { LogEvent } from '../../src/core/event';
import { EventColumns, type PostedEvents, forEachPosted } from '../../src/store/event-columns';
import { parseFixture } from '../logs/helpers';

type Posted = [LogEvent, boolean, string | undefined, number, string | undefined];

/** Posts `items` as one batch over a real port and reads them back. */
function roundTrip(items: Posted[]): Posted[] {
  const columns = new EventColumns(items.length);
  for (const item of items) columns.push(...item);
  const [batch, transfer] = columns.take();
  const { port1, port2 } = new MessageChannel();
  port1.postMessage(batch, transfer);
  const received = receiveMessageOnPort(port2)!.message as PostedEvents;
  port1.close();
  const back: Posted[] = [];
  forEachPosted(received, (...item) => back.push(item));
  return back;
}

describe('EventColumns', () => {
  it('gives back every event of real logs as it was, in order', () => {
    const events = [
      'auth.log',
      'nginx-access.log',
      'java.log',
      'django.log',
      'kern.log',
      'postgresql.log',
      'mail.log',
      'apache-error.log',
      'audit.log',
      'exim-mainlog',
      'named.log',
    ].flatMap((name) => parseFixture(name).events);
    expect(events.length).toBeGreaterThan(50);
    expect(events.some((event) => event.fields !== undefined && event.pid !== undefined)).toBe(true);
    const items = events.map((event, i): Posted => [
      event,
      true,
      i % 5 === 0 ? `sig-${i}` : undefined,
      1000 + i,
      undefined,
    ]);
    expect(roundTrip(items)).toEqual(items);
  });

  it('keeps the flags: raw not kept, another host, and events missing their numbers', () => {
    const bare = createEvent({ source: 'stdin', line: 3, raw: 'x', format: 'raw' });
    const full = createEvent({
      source: 'a.log',
      line: 1,
      raw: 'r',
      timestamp: -1.5,
      byteOffset: 2 ** 53 + 2,
      pid: 0,
      port: 65535,
      hostile: true,
      fields: { status: 404, nested: { ok: true } },
    });
    const back = roundTrip([
      [bare, false, undefined, 5, 'edge1'],
      [full, true, 'sig', 6, undefined],
    ]);
    expect(back[0]).toEqual([{ ...bare, raw: '' }, false, undefined, 5, 'edge1']);
    expect(back[1]).toEqual([full, true, 'sig', 6, undefined]);
  });

  it('starts the next batch empty once a batch is taken', () => {
    const columns = new EventColumns(4);
    columns.push(createEvent({ source: 's', line: 1, raw: 'x' }), true, undefined, 1, undefined);
    columns.take();
    expect(columns.length).toBe(0);
  });
});
