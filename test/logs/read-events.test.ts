import fc from 'fast-check';
import type { SourceLine } from '../../src/logs/line';
import { readEvents } from '../../src/logs/read-events';
import { TEST_REFERENCE, linesOf, parse } from './helpers';

describe('readEvents', () => {
  it('detects the format of each source separately', async () => {
    const lines: SourceLine[] = [
      ...linesOf('Mar  5 10:15:30 srv sshd[1]: Invalid user a from 192.0.2.1\n', 'auth.log'),
      ...linesOf('192.0.2.9 - - [05/Mar/2024:10:15:30 +0000] "GET / HTTP/1.1" 200 1 "-" "x"\n', 'access.log'),
    ];
    const reader = readEvents(lines, { referenceDate: TEST_REFERENCE });
    const events = [];
    for await (const event of reader) events.push(event);
    expect(events.map((e) => [e.source, e.format])).toEqual([
      ['auth.log', 'syslog'],
      ['access.log', 'access'],
    ]);
    expect(reader.stats().map((s) => [s.source, s.format, s.parsed])).toEqual([
      ['auth.log', 'syslog', 1],
      ['access.log', 'access', 1],
    ]);
  });

  it('falls back per line when a line does not fit the detected format, and keeps the rest raw', () => {
    const { events, stats } = parse(
      [
        'Mar  5 10:15:30 srv sshd[1]: Accepted password for a from 192.0.2.1 port 1 ssh2',
        '2024/03/05 10:15:31 [error] 9#9: *1 user "x": password mismatch, client: 192.0.2.2, server: s, request: "GET / HTTP/1.1", host: "h"',
        '-- garbage without any header --',
        'Mar  5 10:15:32 srv sshd[1]: Connection closed by 192.0.2.1 port 1',
      ].join('\n'),
    );
    expect(events.map((e) => e.format)).toEqual(['syslog', 'nginx-error', 'raw', 'syslog']);
    expect(events[1]).toMatchObject({ hostile: true, ip: '192.0.2.2' });
    expect(stats[0]).toMatchObject({
      format: 'syslog',
      parsed: 3,
      unparsed: 1,
      byFormat: { syslog: 2, 'nginx-error': 1, raw: 1 },
    });
  });

  it('starts a new record at each header of a multi-line format inside a file detected as another', () => {
    const { events } = parse(
      [
        ...Array.from({ length: 60 }, (_, i) => `Mar  5 10:15:30 srv CRON[${i}]: (root) CMD (true)`),
        '[2024-03-05 10:16:00,100] ERROR [django.request:241] Internal Server Error: /a/',
        'Traceback (most recent call last):',
        '  File "/srv/app/views.py", line 3, in get',
        'ZeroDivisionError: division by zero',
        '[2024-03-05 10:16:01,100] INFO [orders.views:88] Order A-1 created',
        '[2024-03-05 10:16:02,100] INFO [orders.views:88] Order A-2 created',
      ].join('\n'),
    );
    expect(events.slice(60).map((e) => [e.line, e.format, e.raw.split('\n').length])).toEqual([
      [61, 'python', 4],
      [65, 'python', 1],
      [66, 'python', 1],
    ]);
  });

  it('forces a format with `format`, and `raw` reads no header at all', () => {
    const line = 'Mar  5 10:15:30 srv sshd[1]: Invalid user a from 192.0.2.1';
    const raw = parse(line, { format: 'raw' });
    expect(raw.events[0]).toMatchObject({ format: 'raw', program: undefined, message: line, timestamp: undefined });
    expect(raw.stats[0]).toMatchObject({ format: 'raw', unparsed: 1, parsed: 0 });
    const forced = parse('192.0.2.9 - - [05/Mar/2024:10:15:30 +0000] "GET / HTTP/1.1" 200 1', { format: 'syslog' });
    expect(forced.events[0]!.format).toBe('raw');
  });

  it('refuses an unknown format name at once', () => {
    expect(() => readEvents([], { format: 'nope' })).toThrow('unknown format "nope"');
  });

  it('skips blank lines and counts them', () => {
    const { events, stats } = parse('\n   \nMar  5 10:15:30 srv cron[1]: x\n\r\n');
    expect(events).toHaveLength(1);
    expect(stats[0]).toMatchObject({ lines: 4, blank: 3, events: 1 });
  });

  it('bounds a multi-line record and keeps the overflow as events', () => {
    const trace = [
      '2024-03-05 10:15:30,120 - app - ERROR - boom',
      ...Array.from({ length: 10 }, (_, i) => `  frame ${i}`),
    ];
    const { events, stats } = parse(trace.join('\n'), { maxRecordLines: 5 });
    expect(events[0]!.raw.split('\n')).toHaveLength(5);
    expect(events).toHaveLength(7);
    expect(stats[0]).toMatchObject({ joined: 4, unparsed: 6 });
  });

  it('drops a timestamp outside years 1970-9999', () => {
    const { events } = parse('{"time": 1e30, "msg": "far"}\n{"time": -5, "msg": "before"}');
    expect(events.map((e) => e.timestamp)).toEqual([undefined, undefined]);
  });

  it('takes the reference date of each source from referenceDateOf', () => {
    const reader = readEvents([], { timezone: 'UTC', referenceDateOf: () => Date.UTC(2010, 5, 1) });
    const [event] = [...reader.readSync(linesOf('Dec 24 10:00:00 h cron[1]: x'))];
    expect(new Date(event!.timestamp!).toISOString()).toBe('2009-12-24T10:00:00.000Z');
  });
});

describe('readEvents on any input', () => {
  const anyLine = fc.oneof(
    fc.string({ maxLength: 300 }),
    fc.string({ unit: 'binary', maxLength: 300 }),
    fc
      .tuple(
        fc.constantFrom(
          'Mar  5 10:15:30 srv sshd[1]: ',
          '<34>1 2024-03-05T10:15:30Z h a 1 - ',
          '2024/03/05 10:15:30 [error] 1#1: *1 ',
          '[Tue Mar 05 10:15:30.1 2024] [core:error] [client ',
          '1.2.3.4 - - [05/Mar/2024:10:15:30 +0000] "',
          '2024-03-05 10:15:30,1 - x - ERROR - ',
          '2024-03-05 10:15:30.1 UTC [1] LOG:  ',
          '{"MESSAGE":',
          '',
        ),
        fc.string({ maxLength: 200 }),
      )
      .map(([head, tail]) => head + tail),
  );

  it('turns every line into events or counted joins, never throwing', () => {
    fc.assert(
      fc.property(fc.array(anyLine, { maxLength: 30 }), (texts) => {
        const lines = texts.map((text, i) => ({ source: 's', line: i + 1, text }));
        const reader = readEvents([], { referenceDate: TEST_REFERENCE });
        const events = [...reader.readSync(lines)];
        const stats = reader.stats()[0];
        if (!stats) return texts.length === 0;
        return (
          stats.lines === texts.length &&
          stats.events === events.length &&
          stats.events + stats.joined + stats.blank === stats.lines &&
          stats.parsed + stats.unparsed === stats.events
        );
      }),
      { numRuns: 400 },
    );
  });

  it('does not run the recognisers on a message longer than any daemon writes', () => {
    const head = 'Mar  5 10:15:30 srv dovecot: imap-login: Disconnected (auth failed, 1 attempts): user=<x>, rip=';
    const { events } = parse(head + '1'.repeat(70 * 1024));
    expect(events[0]).toMatchObject({ format: 'syslog', service: 'dovecot', action: undefined, hostile: false });
    expect(parse(head + '192.0.2.1, lip=10.0.0.1').events[0]).toMatchObject({ hostile: true, ip: '192.0.2.1' });
  });

  it('reads a 10 MB line as one raw event', () => {
    const { events, stats } = parse('x'.repeat(10 * 1024 * 1024));
    expect(events).toHaveLength(1);
    expect(stats[0]).toMatchObject({ unparsed: 1, failures: 0 });
  });
});

describe("Docker's json-file records", () => {
  const record = (log: string, stream = 'stdout', time = '2024-03-05T10:15:31.250000000Z') =>
    JSON.stringify({ log: log + '\n', stream, time });

  it("reads the container's own line with the other formats, keeping Docker's time, stream and raw record", () => {
    const access = record('203.0.113.9 - - [05/Mar/2024:10:15:31 +0000] "GET /.env HTTP/1.1" 404 153 "-" "curl/8"');
    const { events } = parse(
      [
        access,
        record(
          '2024/03/05 10:15:30 [error] 29#29: *1 connect() failed (111: Connection refused) while connecting to upstream, client: 203.0.113.5, server: _, request: "GET / HTTP/1.1", host: "x"',
          'stderr',
        ),
        record('Starting worker 12'),
      ].join('\n') + '\n',
    );
    expect(events.map((e) => [e.format, e.service, e.action, e.hostile, e.ip, e.fields?.stream])).toEqual([
      ['access', 'http', 'http.probe', true, '203.0.113.9', 'stdout'],
      ['nginx-error', 'nginx', undefined, false, '203.0.113.5', 'stderr'],
      ['json', undefined, undefined, false, undefined, 'stdout'],
    ]);
    expect(events[0]!.raw).toBe(access);
    expect(new Date(events[0]!.timestamp!).toISOString()).toBe('2024-03-05T10:15:31.250Z');
    expect(events[2]!.message).toBe('Starting worker 12');
  });
});
