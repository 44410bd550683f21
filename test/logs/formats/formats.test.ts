import { FORMATS, ParseContext, detectionScore } from '../../../src/logs/formats';
import { TEST_REFERENCE, eventOf, parse, parseFixture, summary } from '../helpers';

const iso = (t: number | undefined) => (t === undefined ? undefined : new Date(t).toISOString());

describe('syslog (RFC 3164) auth.log', () => {
  const { events, stats } = parseFixture('auth.log');

  it('reads every line as syslog with host, program and pid', () => {
    expect(stats[0]).toMatchObject({ format: 'syslog', lines: 14, events: 14, parsed: 14, unparsed: 0, failures: 0 });
    expect(events[0]).toMatchObject({ host: 'web1', program: 'sshd', pid: 4101, line: 1 });
    expect(events[7]).toMatchObject({ program: 'sudo', pid: undefined, service: 'sudo' });
  });

  it('gives a log spanning New Year increasing years, never jumping back', () => {
    expect(iso(events[4]!.timestamp)).toBe('2023-12-31T23:59:30.000Z');
    expect(iso(events[5]!.timestamp)).toBe('2024-01-01T00:00:05.000Z');
    const times = events.map((e) => e.timestamp!);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });
});

describe('rsyslog high-precision and header variants', () => {
  it('reads an ISO-8601 prefix with fraction and offset', () => {
    const { events } = parse(
      '2015-04-16T18:02:50.321974+00:00 host sshd[2716]: Connection closed by 192.0.2.112 [preauth]\n',
    );
    expect(iso(events[0]!.timestamp)).toBe('2015-04-16T18:02:50.321Z');
    expect(events[0]).toMatchObject({ format: 'syslog', host: 'host', program: 'sshd', pid: 2716 });
  });

  it.each([
    ['Nov 23 21:50:19 sshd[8148]: Disconnecting', { host: undefined, program: 'sshd', pid: 8148 }],
    ['Mar  3 00:17:22 [sshd]: User root', { host: undefined, program: 'sshd', pid: undefined }],
    ['Jun 25 23:53:34 [sshd] User root', { host: undefined, program: 'sshd', message: 'User root' }],
    ['Feb 7 16:01:07 linux-m899 sshd[5106]: x', { host: 'linux-m899', program: 'sshd', pid: 5106 }],
    ['Jun 14 15:16:01 combo sshd(pam_unix)[19939]: x', { program: 'sshd(pam_unix)', service: 'ssh' }],
    ['Feb 15 16:23:40 srv httpd/backend1[22034]: x', { program: 'httpd/backend1', service: 'apache' }],
    ['Mar  5 10:15:30 mail1 dovecot: imap-login: x', { program: 'dovecot', pid: undefined, message: 'imap-login: x' }],
    ['host nginx[983478]: 2023/12/09 21:35:20 [error] x', { host: 'host', program: 'nginx', timestamp: undefined }],
    // daemontools multilog / runit svlogd -t: TAI64N, less the 10 s TAI offset of 1970
    [
      '@400000004c91b044077a9e94 imap-login: Info: x',
      { program: 'imap-login', timestamp: Date.UTC(2010, 8, 16, 5, 50, 50, 125) },
    ],
    // dovecot's own log with log_timestamp = "%Y-%m-%d %H:%M:%S "
    ['2013-08-11 03:56:40 auth-worker(default): Info: x', { program: 'auth-worker(default)', service: 'dovecot' }],
    // proftpd's SystemLog: no colon after the tag
    ['Jan 10 00:00:00 myhost proftpd[12345] ftp.example.com (a[192.0.2.9]): x', { program: 'proftpd', pid: 12345 }],
  ])('reads the header of %j', (line, expected) => {
    expect(parse(line + '\n').events[0]).toMatchObject({ format: 'syslog', ...expected });
  });

  it.each([
    '2024-01-02 03:04:05 [error] 1#1: x',
    '2024-01-02 03:04:05 django.request ERROR: x',
    '2024/01/02 03:04:05 host prog: x',
    '2024-01-02 03:04:05 just words',
    '@4000000x4c91b044077a9e94 x: y',
  ])('leaves %j to other formats (a space-separated date is syslog only before a plain tag)', (line) => {
    expect(parse(line + '\n', { format: 'syslog' }).events[0]!.format).not.toBe('syslog');
  });
});

describe('RFC 5424', () => {
  const { events } = parseFixture('rfc5424.log');

  it('reads PRI, timestamp with offset, host, app, procid and the message after structured data', () => {
    expect(events[0]).toMatchObject({ format: 'rfc5424', host: 'web1', program: 'sshd', pid: 4101, level: 'info' });
    expect(iso(events[0]!.timestamp)).toBe('2024-03-05T09:15:30.120Z');
    expect(events[0]!.message).toBe('Invalid user guest from 203.0.113.51 port 40111');
  });

  it('skips structured data whose quoted values hold brackets', () => {
    expect(events[1]!.message).toBe('warning: unknown[198.51.100.61]: SASL LOGIN authentication failed: UGFzc3dvcmQ6');
    expect(events[1]!.fields).toEqual({
      facility: 20,
      msgid: 'ID47',
      structuredData: '[exampleSDID@32473 iut="3" eventSource="Application" note="a ] bracket"]',
    });
    expect(summary(events[1]!)).toMatchObject({ service: 'postfix', hostile: true, ip: '198.51.100.61' });
  });
});

describe('access logs (nginx and Apache)', () => {
  const { events, stats } = parseFixture('nginx-access.log');

  it('reads combined lines with status, bytes, request, referrer and agent', () => {
    expect(stats[0]!.format).toBe('access');
    expect(iso(events[0]!.timestamp)).toBe('2023-10-10T11:55:36.000Z');
    expect(events[0]!.fields).toEqual({
      status: 200,
      bytes: 612,
      request: 'GET /index.html HTTP/1.1',
      method: 'GET',
      path: '/index.html',
      protocol: 'HTTP/1.1',
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64)',
      client: '203.0.113.5',
    });
    expect(summary(events[0]!)).toEqual({
      format: 'access',
      service: 'http',
      action: 'http.request',
      outcome: 'success',
      hostile: false,
      ip: '203.0.113.5',
    });
  });

  it('keeps the authenticated user and a trailing request time', () => {
    expect(events[1]).toMatchObject({ user: 'alice', outcome: 'failure' });
    expect(events[1]!.fields).toMatchObject({ requestTime: 0.012, referrer: 'https://example.com/login' });
  });

  it('reads vhost_combined (vhost:port first)', () => {
    expect(events[4]!.fields).toMatchObject({ vhost: 'example.com:443', client: '192.0.2.10' });
    expect(events[4]!.ip).toBe('192.0.2.10');
  });

  it('flags 4xx requests for exploit paths as probes, not 2xx ones', () => {
    expect(summary(events[2]!)).toMatchObject({ action: 'http.probe', hostile: true, ip: '198.51.100.23' });
    expect(summary(events[3]!)).toMatchObject({ action: 'http.probe', hostile: true, ip: '2001:db8::1' });
    expect(summary(events[5]!)).toMatchObject({ action: 'http.request', hostile: false });
  });

  it('keeps a binary request line as text', () => {
    expect(events[6]!.fields).toMatchObject({ status: 400, request: '\\x16\\x03\\x01\\x00\\xa5\\x01' });
  });

  it('reads an ISO-8601 time in the brackets (nginx $time_iso8601)', () => {
    const event = eventOf('203.0.113.9 - - [2024-03-05T10:15:30+01:00] "GET / HTTP/1.1" 200 12 "-" "curl/8.5.0"');
    expect([event.format, iso(event.timestamp), event.fields?.status]).toEqual([
      'access',
      '2024-03-05T09:15:30.000Z',
      200,
    ]);
  });

  it('leaves a line whose brackets hold no time to other formats', () => {
    const django = '[2024-03-05 10:15:30,120] INFO [django.server:187] "GET /api/cart/ HTTP/1.1" 200 383';
    expect([eventOf(django).format, eventOf(django).message]).toEqual(['python', '"GET /api/cart/ HTTP/1.1" 200 383']);
  });
});

describe('nginx error log', () => {
  const { events } = parseFixture('nginx-error.log');

  it('splits the message from client, server, request and host', () => {
    expect(events[0]).toMatchObject({ format: 'nginx-error', program: 'nginx', pid: 1234, level: 'error' });
    expect(events[0]!.message).toBe('user "admin" was not found in "/etc/nginx/.htpasswd"');
    expect(events[0]!.fields).toEqual({
      connection: 5,
      client: '203.0.113.5',
      server: 'example.com',
      request: 'GET /admin HTTP/1.1',
      method: 'GET',
      path: '/admin',
      protocol: 'HTTP/1.1',
      host: 'example.com',
    });
    expect(events[1]!.fields).toMatchObject({ referrer: 'https://example.com/' });
    expect(events[3]!.fields).toMatchObject({ upstream: 'http://127.0.0.1:8080/big' });
  });

  it('reads a line without client context', () => {
    expect(events[4]).toMatchObject({ level: 'notice', message: 'signal process started', fields: undefined });
  });
});

describe('Apache error logs', () => {
  const { events } = parseFixture('apache-error.log');

  it('reads 2.4 lines: module, level, pid, client with port, AH code', () => {
    expect(events[0]).toMatchObject({
      format: 'apache-error',
      pid: 2001,
      level: 'error',
      ip: '203.0.113.7',
      port: 51000,
    });
    expect(events[0]!.fields).toEqual({ code: 'AH01618', module: 'auth_basic', client: '203.0.113.7:51000' });
    expect(iso(events[0]!.timestamp)).toBe('2023-10-10T13:55:36.123Z');
  });

  it('reads 2.2 lines: level and client only', () => {
    expect(events[2]).toMatchObject({ level: 'error', ip: '203.0.113.8', user: 'root', hostile: true });
  });

  it('reads a line without client', () => {
    expect(events[3]).toMatchObject({ level: 'notice', pid: 1999, ip: undefined });
  });
});

describe('Python / Django logging', () => {
  const { events, stats } = parseFixture('django.log');

  it('joins a traceback into the event that precedes it', () => {
    expect(stats[0]).toMatchObject({ format: 'python', lines: 9, events: 3, joined: 6 });
    expect(events[0]).toMatchObject({
      line: 1,
      level: 'error',
      service: 'django',
      message: 'Internal Server Error: /orders/42/',
    });
    expect(events[0]!.raw.split('\n')).toHaveLength(7);
    expect(events[0]!.raw.split('\n')[6]).toBe(
      'orders.models.Order.DoesNotExist: Order matching query does not exist.',
    );
    expect(events[0]!.fields).toEqual({ logger: 'django.request', lines: 7 });
  });

  it("reads Django's request lines as records of the log, not as access lines that swallow the next records", () => {
    const stamp = (s: number) => `[2024-03-05 10:15:${String(s).padStart(2, '0')},120]`;
    const lines = Array.from({ length: 60 }, (_, i) =>
      i % 3 === 2
        ? `${stamp(i)} INFO [orders.views:88] Order A-${i} created`
        : `${stamp(i)} INFO [django.server:187] "GET /api/cart/ HTTP/1.1" 200 ${300 + i}`,
    );
    const { events, stats } = parse(lines.join('\n') + '\n');
    expect(stats[0]).toMatchObject({ format: 'python', lines: 60, events: 60, joined: 0 });
    expect(events[2]).toMatchObject({ line: 3, message: 'Order A-2 created', level: 'info' });
    expect(iso(events[59]!.timestamp)).toBe('2024-03-05T10:15:59.120Z');
  });

  it('reads the next record and a gunicorn line', () => {
    expect(events[1]).toMatchObject({ line: 8, level: 'info', message: '"GET /orders/ HTTP/1.1" 200 5120' });
    expect(events[2]).toMatchObject({ line: 9, program: 'gunicorn', service: 'gunicorn', pid: 812, level: 'crit' });
    expect(iso(events[2]!.timestamp)).toBe('2024-03-05T10:15:32.000Z');
  });
});

describe('Java logging', () => {
  const { events, stats } = parseFixture('java.log');

  it('joins a stack trace with its causes into one event', () => {
    expect(stats[0]).toMatchObject({ format: 'java', events: 2, joined: 6 });
    expect(events[0]).toMatchObject({ line: 1, level: 'error', message: 'Failed to load order 42' });
    expect(events[0]!.fields).toEqual({
      logger: 'com.example.orders.OrderController',
      thread: 'http-nio-8080-exec-3',
      lines: 7,
    });
    expect(events[1]).toMatchObject({ line: 8, level: 'info' });
  });
});

describe('PostgreSQL', () => {
  const { events } = parseFixture('postgresql.log');

  it("reads the default prefix '%m [%p] '", () => {
    expect(events[0]).toMatchObject({ format: 'postgresql', pid: 2345, level: 'info', service: 'postgresql' });
    expect(iso(events[0]!.timestamp)).toBe('2024-03-05T10:15:30.120Z');
  });

  it('joins a statement continued on tab-indented lines', () => {
    expect(events[2]!.raw).toBe(
      '2024-03-05 10:15:31.200 UTC [2401] STATEMENT:  SELECT * FROM orders\n\tWHERE id = 42;',
    );
  });

  it("reads '%t [%p]: [%l-1] user=%u,db=%d,app=%a,client=%h ' with a SQLSTATE", () => {
    expect(events[3]).toMatchObject({
      user: 'app',
      level: 'crit',
      ip: '203.0.113.9',
      hostile: true,
      action: 'auth.failure',
    });
    expect(events[3]!.fields).toEqual({
      severity: 'FATAL',
      database: 'shop',
      application: 'psql',
      sqlstate: '28P01',
      client: '203.0.113.9',
    });
  });
});

describe("fail2ban's own log", () => {
  const { events } = parseFixture('fail2ban.log');

  it('reads jail, Found, Ban, Unban and Restore Ban', () => {
    expect(events.map((e) => [e.action, e.ip, e.hostile, e.fields?.jail])).toEqual([
      ['ip.found', '203.0.113.50', true, 'sshd'],
      ['ip.ban', '203.0.113.50', true, 'sshd'],
      ['ip.unban', '203.0.113.50', false, 'sshd'],
      ['ip.restore_ban', '2001:db8::7', true, 'nginx-http-auth'],
    ]);
    expect(events[1]).toMatchObject({ pid: 812, level: 'notice', service: 'fail2ban' });
  });
});

describe('JSON lines', () => {
  const { events } = parseFixture('journal.json');

  it('maps journald export fields and runs the syslog recognisers on MESSAGE', () => {
    expect(events[0]).toMatchObject({
      format: 'json',
      host: 'web1',
      program: 'sshd',
      pid: 4101,
      level: 'info',
      service: 'ssh',
      hostile: true,
      ip: '203.0.113.50',
      user: 'root',
    });
    expect(iso(events[0]!.timestamp)).toBe('2024-03-05T10:15:30.120Z');
    expect(events[0]!.fields).toEqual({ unit: 'ssh.service' });
    expect(events[1]).toMatchObject({ service: 'kernel', action: 'oom.kill', level: 'error' });
  });

  it('maps pino (numeric level, ms time) and ECS (dotted keys)', () => {
    expect(events[2]).toMatchObject({ program: 'orders', pid: 812, level: 'error', host: 'api1', action: 'disk.full' });
    expect(iso(events[2]!.timestamp)).toBe('2024-03-05T10:15:32.000Z');
    expect(events[3]).toMatchObject({ level: 'warning', program: 'checkout', ip: '198.51.100.4', fields: undefined });
  });
});

describe('detectionScore', () => {
  it('scores each format by the share of sample lines it reads', () => {
    const sample = [
      'Mar  5 10:15:30 srv sshd[1]: Accepted password for a from 192.0.2.1 port 1 ssh2',
      'Mar  5 10:15:31 srv cron[2]: (root) CMD (true)',
      '',
      'not a log line at all',
    ];
    const ctx = new ParseContext('UTC', TEST_REFERENCE);
    const scores = Object.fromEntries(FORMATS.map((f) => [f.name, Number(detectionScore(f, sample, ctx).toFixed(2))]));
    expect(scores).toMatchObject({ syslog: 0.67, access: 0, json: 0, 'nginx-error': 0, raw: 1 });
  });
});
