import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type LogEventInit, createEvent } from '../../../src/core/event';
import type { IpThreatData } from '../../../src/core/kinds';
import { standaloneContext } from '../../../src/core/tracer';
import { ErrorTracer } from '../../../src/tracers/error';

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'errors');
const PROC = join(FIXTURES, 'proc');
const T0 = Date.parse('2024-03-01T10:00:00Z');
const minutes = (n: number) => T0 + n * 60_000;

let lineNo = 0;
function event(raw: string, extra: Partial<LogEventInit> = {}) {
  return createEvent({ source: 'app.log', line: ++lineNo, raw, ...extra });
}

function attached(options: ConstructorParameters<typeof ErrorTracer>[0] = {}) {
  const tracer = new ErrorTracer({ procRoot: PROC, ...options });
  const ctx = standaloneContext(tracer, { clock: { now: () => T0 }, procRoot: PROC });
  tracer.attach(ctx);
  return { tracer, bus: ctx.bus };
}

function threat(ip: string, services: string[], first: number, last: number): IpThreatData {
  return {
    ip,
    score: 80,
    reasons: [],
    type: 'public',
    blacklisted: false,
    firstSeen: new Date(first).toISOString(),
    lastSeen: new Date(last).toISOString(),
    counts: {},
    services,
  };
}

describe('ErrorTracer', () => {
  it('declares what it consumes and produces', () => {
    const tracer = new ErrorTracer();
    expect(tracer.meta).toMatchObject({
      name: 'error',
      consumes: ['ip.threat', 'ip.blacklisted'],
      produces: ['error.recurring', 'error.related', 'error.problem'],
    });
  });

  it('groups OOM kills of different pids under one signature, with count, first, last, rate and history', () => {
    const { tracer } = attached();
    for (const [pid, at] of [
      [1234, 0],
      [2345, 1],
      [3456, 30],
    ] as const) {
      tracer.ingest(
        event(`Out of memory: Killed process ${pid} (postgres) total-vm:8453124kB, anon-rss:6291456kB`, {
          timestamp: minutes(at),
          service: 'kernel',
          level: 'error',
        }),
      );
    }
    const [problem] = tracer.problems();
    expect(tracer.problems()).toHaveLength(1);
    expect(problem).toMatchObject({
      category: 'memory',
      subkind: 'oom-kill',
      rule: 'memory/oom-kill',
      count: 3,
      severity: 90,
      level: 'error',
      first: '2024-03-01T10:00:00.000Z',
      last: '2024-03-01T10:30:00.000Z',
      ratePerMinute: 0.1,
      template: 'Out of memory: Killed process <*> (postgres)',
      details: { pid: 1234, process: 'postgres', service: 'kernel' },
      services: ['kernel'],
    });
    expect(problem!.history).toEqual([
      { start: '2024-03-01T10:00:00.000Z', minutes: 1, count: 1 },
      { start: '2024-03-01T10:01:00.000Z', minutes: 1, count: 1 },
      { start: '2024-03-01T10:30:00.000Z', minutes: 1, count: 1 },
    ]);
    expect(problem!.hint).toBe(
      "The kernel's OOM killer killed postgres (pid 1234) because the host ran out of memory. Now: 200.0 MiB of 7.7 GiB memory available (97% used), swap 0 B free of 0 B.",
    );
    expect(problem!.host?.memory).toMatchObject({ total: 8048576 * 1024, available: 204800 * 1024 });
  });

  it('names the disk that is full, and checks it now through /proc', () => {
    const { tracer } = attached();
    tracer.ingest(
      event("OSError: [Errno 28] No space left on device: '/tmp/logsleuth-test/out.bin'", { timestamp: minutes(0) }),
    );
    const [problem] = tracer.problems();
    expect(problem!.hint.startsWith('The disk holding /tmp/logsleuth-test/out.bin is full (ENOSPC)')).toBe(true);
    expect(problem!.host?.disk).toMatchObject({ mountPoint: '/', device: '/dev/vda1', fsType: 'ext4' });
    expect(problem!.actions[0]).toBe(
      'Free space on the filesystem holding /tmp/logsleuth-test/out.bin: df -h, then du -xh --max-depth=1 to find what grew.',
    );
  });

  it('lists problems most important first (severity x count)', () => {
    const { tracer } = attached({ checkHost: false });
    for (let i = 0; i < 10; i++)
      tracer.ingest(event(`recv() failed (104: Connection reset by peer) while reading upstream ${i}`));
    tracer.ingest(event('Kernel panic - not syncing: Fatal exception'));
    tracer.ingest(event('EXT4-fs (sda1): Remounting filesystem read-only'));
    expect(tracer.problems().map((p) => [p.subkind, p.count, p.importance])).toEqual([
      ['connection-reset', 10, 450],
      ['kernel-panic', 1, 100],
      ['read-only', 1, 90],
    ]);
  });

  it('groups a chained Python traceback by its types and in-app frames and explains it', () => {
    const { tracer } = attached();
    const raw = readFileSync(join(FIXTURES, 'python-during-handling.txt'), 'utf8').trimEnd();
    tracer.ingest(event(raw, { message: raw.split('\n')[0], service: 'django' }));
    tracer.ingest(event(raw.replaceAll('u-1842', 'u-77'), { message: raw.split('\n')[0], service: 'django' }));
    const [problem] = tracer.problems();
    expect(tracer.problems()).toHaveLength(1);
    expect(problem).toMatchObject({
      category: 'exception',
      subkind: 'python',
      count: 2,
      details: {
        type: 'ValueError',
        chain: ['KeyError', 'ValueError'],
        chainKind: 'during-handling',
        file: '/srv/shop/app/cart.py',
        line: 41,
        function: 'load_cart',
        language: 'python',
      },
    });
    expect(problem!.hint).toBe(
      'An unhandled ValueError in /srv/shop/app/cart.py:41 (load_cart) raised while handling KeyError: no cart for u-1842.',
    );
  });

  it('categorises a Java trace by its root cause (too many database clients)', () => {
    const { tracer } = attached();
    const raw = readFileSync(join(FIXTURES, 'java-caused-by.txt'), 'utf8').trimEnd();
    const found = tracer.ingest(event(raw, { message: raw.split('\n')[0] }));
    expect(found).toMatchObject({
      category: 'database',
      subkind: 'too-many-connections',
      details: { code: '53300', type: 'org.springframework.dao.DataAccessResourceFailureException', language: 'java' },
    });
  });

  it('ignores events that are not errors', () => {
    const { tracer } = attached();
    expect(
      tracer.ingest(event('Accepted publickey for alice from 10.0.0.2 port 50000 ssh2', { level: 'info' })),
    ).toBeUndefined();
    expect(tracer.stats()).toMatchObject({ events: 1, errors: 0, signatures: 0 });
  });

  it('keeps an error-level line no recogniser explains as category other', () => {
    const { tracer } = attached();
    const found = tracer.ingest(
      event('payment provider returned an unexpected answer', { level: 'error', service: 'shop' }),
    );
    expect(found).toMatchObject({ category: 'other', subkind: 'unrecognised', rule: 'level', severity: 40 });
  });

  it('publishes error.recurring for problems seen more than once, at the threshold and at finish', async () => {
    const { tracer, bus } = attached({ recurringThreshold: 3, checkHost: false });
    for (let i = 0; i < 3; i++)
      tracer.ingest(event(`ERROR:  deadlock detected`, { timestamp: minutes(i), service: 'postgresql' }));
    expect(bus.findings('error.recurring').map((f) => f.data.count)).toEqual([3]);
    tracer.ingest(event('ERROR:  deadlock detected', { timestamp: minutes(5), service: 'postgresql' }));
    tracer.ingest(event('Segmentation fault'));
    tracer.finish();
    await bus.settled();
    const findings = bus.findings('error.recurring');
    expect(findings).toHaveLength(1);
    expect(findings[0]!.data).toEqual({
      signature: findings[0]!.key,
      template: 'ERROR: deadlock detected',
      category: 'database',
      subkind: 'deadlock',
      severity: 65,
      level: null,
      count: 4,
      first: '2024-03-01T10:00:00.000Z',
      last: '2024-03-01T10:05:00.000Z',
      details: { code: '40P01', codeKind: 'sqlstate', service: 'postgresql' },
      hint: "Two transactions waited on each other's locks and postgresql aborted one (deadlock).",
      actions: ['Retry the aborted transaction; read the deadlock report for the two statements involved.'],
    });
  });

  it('answers ip.threat with the errors that mention the address or hit its services around its activity', async () => {
    const { tracer, bus } = attached({ checkHost: false });
    const nginx = { service: 'nginx' };
    tracer.ingest(
      event('SSL_do_handshake() failed while SSL handshaking, client: 203.0.113.9, server: 0.0.0.0:443', {
        ...nginx,
        timestamp: minutes(200),
      }),
    );
    tracer.ingest(
      event('upstream timed out (110: Connection timed out) while reading response header', {
        ...nginx,
        timestamp: minutes(12),
      }),
    );
    tracer.ingest(event('open() "/var/www/x" failed (13: Permission denied)', { ...nginx, timestamp: minutes(300) }));
    tracer.ingest(event('ERROR:  deadlock detected', { service: 'postgresql', timestamp: minutes(12) }));
    bus.publish({
      kind: 'ip.threat',
      key: '203.0.113.9',
      tracer: 'ip',
      data: threat('203.0.113.9', ['nginx'], minutes(5), minutes(8)),
    });
    await bus.settled();
    const related = bus.get('error.related', '203.0.113.9');
    expect(related?.causedBy).toEqual({ kind: 'ip.threat', key: '203.0.113.9' });
    expect(related?.data.errors.map((e) => [e.category, e.why])).toEqual([
      ['network', 'mentions-ip'],
      ['network', 'same-service'],
    ]);
  });

  it('completes error.related at finish with errors that came after the threat', async () => {
    const { tracer, bus } = attached({ checkHost: false });
    bus.publish({
      kind: 'ip.blacklisted',
      key: '198.51.100.4',
      tracer: 'ip',
      data: threat('198.51.100.4', ['ssh'], minutes(0), minutes(1)),
    });
    await bus.settled();
    expect(bus.get('error.related', '198.51.100.4')).toBeUndefined();
    tracer.ingest(
      event('fatal: Read from socket failed: Connection reset by peer [preauth] 198.51.100.4', {
        service: 'ssh',
        timestamp: minutes(2),
      }),
    );
    tracer.finish();
    await bus.settled();
    expect(bus.get('error.related', '198.51.100.4')?.data.errors).toHaveLength(1);
  });

  it('stays within maxSignatures, keeping the most important and counting evictions', () => {
    const tracer = new ErrorTracer({ maxSignatures: 100, checkHost: false });
    // One severe problem that recurs, then 1,000 distinct low-severity one-offs (two words differ each time).
    const word = (n: number) =>
      String.fromCharCode(97 + (n % 26), 97 + (Math.floor(n / 26) % 26), 97 + Math.floor(n / 676));
    for (let i = 0; i < 20; i++) tracer.ingest(event('Kernel panic - not syncing: Attempted to kill init!'));
    for (let i = 0; i < 1000; i++) tracer.ingest(event(`Broken pipe while sending ${word(i)} to ${word(i + 500)}`));
    const stats = tracer.stats();
    expect(stats.signatures).toBe(tracer.problems().length);
    expect(stats.signatures).toBeLessThanOrEqual(100);
    expect(stats.signatures + stats.evictedSignatures).toBe(1001);
    expect(stats.evictedOccurrences).toBe(stats.evictedSignatures);
    expect(tracer.problems()[0]).toMatchObject({ subkind: 'kernel-panic', count: 20 });
  });

  it('summarises errors by category, exception type and severity band over time', () => {
    const { tracer } = attached({ checkHost: false });
    tracer.ingest(event('ValueError: bad input 1', { timestamp: minutes(0) }));
    tracer.ingest(event('ValueError: bad input 2', { timestamp: minutes(0) }));
    tracer.ingest(event('Kernel panic - not syncing: x', { timestamp: minutes(3) }));
    expect(tracer.patterns()).toEqual([
      {
        dimension: 'category',
        value: 'exception',
        count: 2,
        signatures: 1,
        history: [{ start: '2024-03-01T10:00:00.000Z', minutes: 1, count: 2 }],
      },
      {
        dimension: 'category',
        value: 'system',
        count: 1,
        signatures: 1,
        history: [{ start: '2024-03-01T10:03:00.000Z', minutes: 1, count: 1 }],
      },
      {
        dimension: 'severity',
        value: 'high',
        count: 2,
        signatures: 1,
        history: [{ start: '2024-03-01T10:00:00.000Z', minutes: 1, count: 2 }],
      },
      {
        dimension: 'severity',
        value: 'critical',
        count: 1,
        signatures: 1,
        history: [{ start: '2024-03-01T10:03:00.000Z', minutes: 1, count: 1 }],
      },
      {
        dimension: 'type',
        value: 'ValueError',
        count: 2,
        signatures: 1,
        history: [{ start: '2024-03-01T10:00:00.000Z', minutes: 1, count: 2 }],
      },
    ]);
  });

  it('never throws on any text, and judges a 10 MB line by its start', () => {
    const tracer = new ErrorTracer({ checkHost: false });
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        tracer.ingest(event(text, { level: 'error' }));
      }),
      { numRuns: 300 },
    );
    const huge = `No space left on device ${'A'.repeat(10 * 1024 * 1024)}`;
    expect(tracer.ingest(event(huge))).toMatchObject({ category: 'disk', subkind: 'no-space' });
  });
});

describe('ErrorTracer findings when a template generalises after publication', () => {
  it('revises the early error.recurring finding to describe the final problem', async () => {
    const tracer = new ErrorTracer({ recurringThreshold: 2, checkHost: false });
    const ctx = standaloneContext(tracer, { clock: { now: () => T0 } });
    tracer.attach(ctx);
    tracer.ingest(event('ERROR: job nightly failed on worker alpha', { level: 'error' }));
    tracer.ingest(event('ERROR: job nightly failed on worker alpha', { level: 'error' }));
    const early = ctx.bus.findings('error.recurring');
    expect(early.map((f) => f.data.template)).toEqual(['ERROR: job nightly failed on worker alpha']);
    // Worker names are a variable once a fourth one shows up: the siblings merge, their counts too.
    for (const worker of ['beta', 'gamma', 'delta'])
      tracer.ingest(event(`ERROR: job nightly failed on worker ${worker}`, { level: 'error' }));
    tracer.finish();
    await ctx.bus.settled();
    const final = tracer.problems()[0]!;
    expect(final.template).toBe('ERROR: job nightly failed on worker <*>');
    expect(ctx.bus.findings('error.recurring').map((f) => [f.key, f.data.signature, f.data.count])).toEqual([
      [early[0]!.key, final.signature, 5],
      [final.signature, final.signature, 5],
    ]);
  });
});

describe('ErrorTracer on HTTP 5xx responses', () => {
  it('groups 5xx responses and calls out the minute they burst', () => {
    const tracer = new ErrorTracer({ checkHost: false });
    const access = (i: number, at: number) =>
      event(`203.0.113.${i} - - [01/Mar/2024:10:00:00 +0000] "GET /api/orders/${i} HTTP/1.1" 502 157 "-" "curl/8.0"`, {
        timestamp: at,
        service: 'nginx',
        fields: { status: 502, path: `/api/orders/${i}` },
      });
    tracer.ingest(access(1, minutes(0)));
    for (let i = 0; i < 12; i++) tracer.ingest(access(i + 2, minutes(7) + i * 1000));
    const [problem] = tracer.problems();
    expect(problem).toMatchObject({
      category: 'system',
      subkind: 'http-5xx',
      count: 13,
      peak: { start: '2024-03-01T10:07:00.000Z', minutes: 1, count: 12 },
      details: { code: '502', codeKind: 'http', target: '/api/orders/1' },
    });
    expect(problem!.hint).toBe(
      'The server answered HTTP 502 (first for /api/orders/1): the application or its upstream failed. A burst: 12 in 1 minute from 2024-03-01T10:07:00.000Z.',
    );
  });
});
