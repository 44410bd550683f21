import { gzipSync } from 'node:zlib';
import { createEvent } from '../../src/core/event';
import { MAX_BATCH_BYTES, batchId, decodeBatch, encodeBatch } from '../../src/fleet/batch';

describe('event batches on the wire', () => {
  const event = createEvent({
    source: '/var/log/auth.log',
    line: 7,
    raw: 'sshd[1]: Failed password',
    ip: '203.0.113.5',
  });

  it('round-trips events with every key back in place', () => {
    const decoded = decodeBatch(encodeBatch({ host: 'web1', source: event.source, line: 7, events: [event] }));
    expect(decoded.events[0]).toStrictEqual(event);
    expect(Object.keys(decoded.events[0]!)).toEqual(Object.keys(event));
    expect(batchId(decoded)).toBe('web1:/var/log/auth.log:l7');
  });

  it('names a batch by its byte offset when the source has offsets, else by its journald cursor, else by its line', () => {
    const at = { ...event, byteOffset: 4096 };
    const decoded = decodeBatch(
      encodeBatch({ host: 'web1', source: at.source, line: 7, byteOffset: 4096, events: [at] }),
    );
    expect(decoded.byteOffset).toBe(4096);
    expect(decoded.events[0]!.byteOffset).toBe(4096);
    expect(batchId(decoded)).toBe('web1:/var/log/auth.log:b4096');
    expect(batchId({ host: 'web1', source: 'journald', line: 7 })).toBe('web1:journald:l7');
    expect(batchId({ host: 'web1', source: 'journald', line: 7, cursor: 's=1;i=2' })).toBe('web1:journald:cs=1;i=2');
  });

  it('refuses what is not a batch, with a clear message', () => {
    expect(() => decodeBatch(new Uint8Array([1, 2, 3]))).toThrow(/^not an event batch: /);
    expect(() => decodeBatch(gzipSync('{"host":"a","source":"b","line":1,"events":[{}]}'))).toThrow(
      'not an event batch: missing host, source, line or events',
    );
    expect(() => decodeBatch(gzipSync('{"host":"a","source":"b","line":1,"byteOffset":"0","events":[]}'))).toThrow(
      'not an event batch: missing host, source, line or events',
    );
  });

  it('refuses a gzip bomb without inflating it', () => {
    const bomb = gzipSync(Buffer.alloc(MAX_BATCH_BYTES + 1, 0x20));
    expect(bomb.length).toBeLessThan(1 << 20);
    expect(() => decodeBatch(bomb)).toThrow(/^not an event batch: .*(buffer|length)/i);
  });
});
