import fc from 'fast-check';
import { type LogEvent, type LogEventInit, createEvent } from '../../../src/core/event';
import { schemaProblems } from '../../../src/core/schemas';
import { Investigation } from '../../../src/core/investigation';
import { IpTracer } from '../../../src/tracers/ip';
import { exportReputation } from '../../../src/tracers/ip/reputation';
import { CidrSet } from '../../../src/tracers/ip/whitelist';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const T0 = Date.UTC(2026, 2, 1, 8, 0, 0);

let line = 0;
function event(init: Partial<LogEventInit>): LogEvent {
  line++;
  return createEvent({ source: '/var/log/auth.log', line, raw: `line ${line}`, service: 'ssh', ...init });
}

const failure = (ip: string, at: number, user = 'root') =>
  event({ ip, timestamp: at, action: 'auth.failure', outcome: 'failure', hostile: true, user });

describe('IpTracer', () => {
  beforeEach(() => {
    line = 0;
  });

  it('publishes ip.threat and ip.blacklisted during ingest, as thresholds are crossed', () => {
    const tracer = new IpTracer();
    const kinds = () => tracer.findings().map((f) => `${f.kind} ${f.key}`);
    tracer.ingest(failure('198.51.100.7', T0));
    tracer.ingest(failure('198.51.100.7', T0 + MINUTE));
    expect(kinds()).toEqual([]);
    tracer.ingest(failure('198.51.100.7', T0 + 2 * MINUTE));
    expect(kinds()).toEqual(['ip.threat 198.51.100.7']);
    tracer.ingest(failure('198.51.100.7', T0 + 3 * MINUTE));
    tracer.ingest(failure('198.51.100.7', T0 + 4 * MINUTE));
    expect(kinds()).toEqual(['ip.threat 198.51.100.7', 'ip.blacklisted 198.51.100.7']);
    const blacklisted = tracer.findings().find((f) => f.kind === 'ip.blacklisted')!;
    expect(blacklisted.data).toEqual({
      ip: '198.51.100.7',
      score: 70,
      reasons: [
        { code: 'burst', text: '5 hostile events within 10 minutes', points: 45 },
        { code: 'auth_failures', text: '5 hostile authentication events (5 failed logins)', points: 25 },
      ],
      type: 'special',
      blacklisted: true,
      firstSeen: '2026-03-01T08:00:00.000Z',
      lastSeen: '2026-03-01T08:04:00.000Z',
      counts: {
        events: 5,
        failedLogins: 5,
        invalidUsers: 0,
        otherHostile: 0,
        probes: 0,
        successes: 0,
        successAfterFailures: 0,
        bans: 0,
        unbans: 0,
        found: 0,
        distinctUsers: 1,
        distinctPorts: 0,
        maxBurst: 5,
      },
      services: ['ssh'],
    });
    expect(tracer.blacklist()).toEqual(['198.51.100.7']);
  });

  it('does not blacklist 4 failures spread over a day', () => {
    const tracer = new IpTracer();
    for (let i = 0; i < 4; i++) tracer.ingest(failure('203.0.113.9', T0 + i * 6 * 3600_000));
    tracer.finish();
    expect(tracer.profile('203.0.113.9')!.score).toBe(20);
    expect(tracer.findings()).toEqual([]);
  });

  it('never blacklists a whitelisted address, but still watches it', () => {
    const tracer = new IpTracer({ whitelist: ['127.0.0.0/8', '10.0.0.0/8'] });
    for (let i = 0; i < 6; i++) {
      tracer.ingest(failure('10.1.2.3', T0 + i * MINUTE));
      tracer.ingest(failure('127.0.0.1', T0 + i * MINUTE));
    }
    tracer.finish();
    expect(tracer.findings().map((f) => `${f.kind} ${f.key}`)).toEqual(['ip.threat 10.1.2.3', 'ip.threat 127.0.0.1']);
    expect(tracer.profile('10.1.2.3')).toMatchObject({ score: 70, blacklisted: false, whitelisted: true });
  });

  it('names the whitelist in the reasons of a whitelisted address that scores past the threshold', () => {
    const tracer = new IpTracer();
    for (let i = 0; i < 6; i++) tracer.ingest(failure('127.0.0.1', T0 + i * MINUTE));
    tracer.finish();
    const [threat] = tracer.findings();
    const reasons = threat?.kind === 'ip.threat' ? threat.data.reasons : [];
    expect(reasons.at(-1)).toEqual({
      code: 'whitelisted',
      text: 'on the whitelist (option whitelist; by default loopback, 127.0.0.0/8 and ::1/128): not blacklisted although the score reaches the threshold (70)',
      points: 0,
    });
    expect(tracer.profile('127.0.0.1')).toMatchObject({ score: 70, blacklisted: false });
    expect(tracer.profile('127.0.0.1')?.reasons.at(-1)?.code).toBe('whitelisted');
  });

  it('whitelists loopback only by default', () => {
    const tracer = new IpTracer();
    for (let i = 0; i < 6; i++) {
      tracer.ingest(failure('::1', T0 + i * MINUTE));
      tracer.ingest(failure('192.168.1.20', T0 + i * MINUTE));
    }
    expect(tracer.blacklist()).toEqual(['192.168.1.20']);
  });

  it('marks imported known-malicious addresses, before and after they are seen', () => {
    const tracer = new IpTracer({ knownMalicious: ['192.0.2.0/24'] });
    tracer.ingest(failure('192.0.2.50', T0));
    tracer.ingest(failure('198.51.100.1', T0));
    expect(tracer.profile('192.0.2.50')!.reasons.map((r) => r.code)).toEqual(['auth_failures', 'known_malicious']);
    tracer.importKnownMalicious(new CidrSet(['198.51.100.1']));
    expect(tracer.profile('198.51.100.1')).toMatchObject({ knownMalicious: true, score: 35 });
  });

  it('counts a success after failures as a likely compromise', () => {
    const tracer = new IpTracer();
    tracer.ingest(failure('198.51.100.8', T0));
    tracer.ingest(failure('198.51.100.8', T0 + MINUTE));
    tracer.ingest(
      event({
        ip: '198.51.100.8',
        timestamp: T0 + 2 * MINUTE,
        action: 'auth.success',
        outcome: 'success',
        user: 'root',
      }),
    );
    const profile = tracer.profile('198.51.100.8')!;
    expect(profile.reasons[0]!.code).toBe('success_after_failures');
    expect(profile.score).toBe(78);
    expect(profile.counts).toMatchObject({ successes: 1, successAfterFailures: 1 });
    expect(profile.blacklisted).toBe(true);
  });

  it('does not count a success without earlier failures', () => {
    const tracer = new IpTracer();
    tracer.ingest(
      event({ ip: '198.51.100.8', timestamp: T0, action: 'auth.success', outcome: 'success', user: 'alice' }),
    );
    expect(tracer.profile('198.51.100.8')).toMatchObject({ score: 0, reasons: [] });
  });

  it('counts fail2ban bans and unbans, and does not score Found lines twice', () => {
    const tracer = new IpTracer();
    const f2b = (action: string, at: number) =>
      event({ ip: '203.0.113.40', timestamp: at, action, service: 'fail2ban', source: '/var/log/fail2ban.log' });
    tracer.ingest(f2b('ip.found', T0));
    tracer.ingest(f2b('ip.ban', T0 + MINUTE));
    tracer.ingest(f2b('ip.unban', T0 + 11 * MINUTE));
    const profile = tracer.profile('203.0.113.40')!;
    expect(profile.counts).toMatchObject({ found: 1, bans: 1, unbans: 1 });
    expect(profile.reasons).toEqual([{ code: 'banned', text: 'banned 1 time by fail2ban', points: 40 }]);
    expect(profile.services).toEqual([]);
    expect(profile.evidence.map((e) => e.action)).toEqual(['ip.found', 'ip.ban', 'ip.unban']);
  });

  it('counts suspicious requests from hostile http events', () => {
    const tracer = new IpTracer();
    for (let i = 0; i < 3; i++) {
      tracer.ingest(
        event({ ip: '203.0.113.77', timestamp: T0 + i * 1000, action: 'http.probe', hostile: true, service: 'nginx' }),
      );
    }
    tracer.ingest(event({ ip: '203.0.113.77', timestamp: T0 + 5000, action: 'http.request', service: 'nginx' }));
    expect(tracer.profile('203.0.113.77')).toMatchObject({
      score: 42,
      counts: expect.objectContaining({ probes: 3, events: 4, maxBurst: 3 }),
      evidence: [1, 2, 3].map((n) => expect.objectContaining({ line: n, action: 'http.probe' })),
    });
  });

  it('tracks an IPv4-mapped IPv6 address as its IPv4 address', () => {
    const tracer = new IpTracer();
    tracer.ingest(failure('::ffff:198.51.100.3', T0));
    tracer.ingest(failure('198.51.100.3', T0 + 1000));
    expect(tracer.profiles().map((p) => [p.ip, p.counts.failedLogins])).toEqual([['198.51.100.3', 2]]);
    expect(tracer.profile('::ffff:198.51.100.3')!.ip).toBe('198.51.100.3');
  });

  it('counts events whose address is not an IP and tracks nothing for them', () => {
    const tracer = new IpTracer();
    tracer.ingest(failure('example.com', T0));
    tracer.ingest(failure('192.030.0.6', T0));
    tracer.ingest(event({ timestamp: T0, action: 'oom.kill' }));
    expect(tracer.stats()).toMatchObject({ events: 3, withIp: 2, unaddressable: 2, tracked: 0 });
  });

  it('keeps a bounded evidence list: the first references and the most recent ones, in order', () => {
    const tracer = new IpTracer();
    for (let i = 0; i < 30; i++) tracer.ingest(failure('198.51.100.9', T0 + i * DAY));
    expect(tracer.profile('198.51.100.9')!.evidence.map((e) => e.line)).toEqual([1, 2, 3, 4, 5, 26, 27, 28, 29, 30]);
  });

  it('bounds distinct users and cuts long user names', () => {
    const tracer = new IpTracer({ behaviour: { maxUsers: 3, maxUserLength: 4 } });
    for (const user of ['administrator', 'root', 'oracle', 'postgres'])
      tracer.ingest(failure('198.51.100.10', T0, user));
    expect(tracer.profile('198.51.100.10')!.users).toEqual(['admi', 'root', 'orac']);
  });

  it("decays scores against the log's latest event, keeping the blacklist verdict", () => {
    const tracer = new IpTracer();
    for (let i = 0; i < 5; i++) tracer.ingest(failure('198.51.100.11', T0 + i * MINUTE));
    tracer.ingest(event({ ip: '192.0.2.1', timestamp: T0 + 4 * MINUTE + 14 * DAY, action: 'http.request' }));
    tracer.finish();
    expect(tracer.profile('198.51.100.11')).toMatchObject({ score: 18, blacklisted: true });
    expect(tracer.stats().referenceTime).toBe('2026-03-15T08:04:00.000Z');
    const finding = tracer.findings().find((f) => f.kind === 'ip.blacklisted')!;
    expect(finding.data).toMatchObject({ score: 18, blacklisted: true });
  });

  it('evicts the lowest-scoring, least recent addresses when full, and counts them', () => {
    const tracer = new IpTracer({ maxIps: 100 });
    for (let i = 0; i < 5; i++) tracer.ingest(failure('198.51.100.200', T0 + i * MINUTE));
    for (let i = 0; i < 1000; i++) {
      tracer.ingest(event({ ip: `10.${i >> 8}.${i & 255}.1`, timestamp: T0 + DAY + i, action: 'http.request' }));
    }
    expect(tracer.stats()).toMatchObject({ tracked: 96, evicted: 905, evictedMaxScore: 0 });
    expect(tracer.profile('198.51.100.200')).toMatchObject({ score: 63, blacklisted: true });
    expect(tracer.profile('10.0.0.1')).toBeUndefined();
    expect(tracer.profile('10.3.231.1')).toBeDefined();
  });

  it('keeps the sources, hosts and services of each address apart, though most addresses share their first', () => {
    const tracer = new IpTracer();
    tracer.ingest(event({ ip: '192.0.2.1', host: 'web1', timestamp: T0 }));
    tracer.ingest(event({ ip: '192.0.2.2', host: 'web1', timestamp: T0 }));
    tracer.ingest(event({ ip: '192.0.2.1', host: 'web2', source: '/var/log/secure', service: 'sudo', timestamp: T0 }));
    expect(tracer.profile('192.0.2.1')).toMatchObject({
      hosts: ['web1', 'web2'],
      sources: ['/var/log/auth.log', '/var/log/secure'],
      services: ['ssh', 'sudo'],
    });
    expect(tracer.profile('192.0.2.2')).toMatchObject({
      hosts: ['web1'],
      sources: ['/var/log/auth.log'],
      services: ['ssh'],
    });
  });

  it('takes its table size from the limits of its context', () => {
    const tracer = new IpTracer();
    const investigation = new Investigation({
      tracers: [tracer],
      limits: { maxCorrelationDepth: 6, maxTrackedIps: 10 },
    });
    for (let i = 0; i < 11; i++) investigation.ingest(event({ ip: `10.0.0.${i}`, timestamp: T0 + i }));
    expect(tracer.stats()).toMatchObject({ tracked: 10, evicted: 1 });
  });

  it('reports a subnet sweep: many hostile addresses of one /24 within the window', () => {
    const tracer = new IpTracer();
    for (let i = 1; i <= 4; i++) tracer.ingest(failure(`203.0.113.${i}`, T0 + i * MINUTE));
    expect(tracer.findings().filter((f) => f.kind === 'ip.sweep')).toEqual([]);
    tracer.ingest(failure('203.0.113.99', T0 + 50 * MINUTE));
    const sweep = tracer.findings().find((f) => f.kind === 'ip.sweep')!;
    expect(sweep.key).toBe('subnet:203.0.113.0/24');
    expect(sweep.data).toMatchObject({
      kind: 'subnet',
      subnet: '203.0.113.0/24',
      ips: ['203.0.113.1', '203.0.113.2', '203.0.113.3', '203.0.113.4', '203.0.113.99'],
      start: '2026-03-01T08:01:00.000Z',
      end: '2026-03-01T08:50:00.000Z',
    });
    expect((sweep.data as { evidence: unknown[] }).evidence).toHaveLength(5);
  });

  it('does not report addresses of one subnet spread beyond the window', () => {
    const tracer = new IpTracer();
    for (let i = 1; i <= 6; i++) tracer.ingest(failure(`203.0.113.${i}`, T0 + i * 2 * 3600_000));
    expect(tracer.sweeps()).toEqual([]);
  });

  it('groups IPv6 addresses by /64', () => {
    const tracer = new IpTracer();
    for (let i = 1; i <= 5; i++) tracer.ingest(failure(`2001:db8:1:2::${i}`, T0 + i));
    tracer.ingest(failure('2001:db8:1:3::1', T0));
    expect(tracer.sweeps().map((s) => [s.subnet, s.ips.length])).toEqual([['2001:db8:1:2::/64', 5]]);
    expect(tracer.patterns().bySubnet).toEqual([
      { subnet: '2001:db8:1:2::/64', ips: 5, hostile: 5 },
      { subnet: '2001:db8:1:3::/64', ips: 1, hostile: 1 },
    ]);
  });

  it('reports one address spraying many users', () => {
    const tracer = new IpTracer();
    for (let i = 0; i < 10; i++) tracer.ingest(failure('198.51.100.50', T0 + i * DAY, `user${i}`));
    tracer.finish();
    const sprays = tracer.findings().filter((f) => f.kind === 'ip.sweep');
    expect(sprays.map((f) => f.key)).toEqual(['user-spray:198.51.100.50']);
    expect(sprays[0]!.data).toMatchObject({
      kind: 'user-spray',
      subnet: '198.51.100.0/24',
      ips: ['198.51.100.50'],
      users: ['user0', 'user1', 'user2', 'user3', 'user4', 'user5', 'user6', 'user7', 'user8', 'user9'],
    });
  });

  it('reports one address probing many ports, from the firewall log destination port', () => {
    const tracer = new IpTracer();
    for (let port = 20; port < 30; port++) {
      tracer.ingest(
        event({
          ip: '198.51.100.60',
          timestamp: T0 + port,
          action: 'conn.refused',
          service: 'kernel',
          fields: { dport: port },
        }),
      );
    }
    tracer.ingest(event({ ip: '198.51.100.61', timestamp: T0, action: 'auth.failure', port: 50000, hostile: true }));
    const sweeps = tracer.sweeps();
    expect(sweeps.map((s) => [s.kind, s.ips, s.ports])).toEqual([
      ['port-probe', ['198.51.100.60'], [20, 21, 22, 23, 24, 25, 26, 27, 28, 29]],
    ]);
    expect(tracer.profile('198.51.100.60')!.reasons.map((r) => [r.code, r.points])).toEqual([['ports', 16]]);
  });

  it('takes no port the firewall let a packet through to for a probe', () => {
    const tracer = new IpTracer();
    for (let port = 20; port < 30; port++)
      tracer.ingest(
        event({
          ip: '198.51.100.62',
          timestamp: T0 + port,
          action: 'conn.allowed',
          outcome: 'success',
          service: 'kernel',
          fields: { dport: port },
        }),
      );
    expect(tracer.sweeps()).toEqual([]);
    expect(tracer.profile('198.51.100.62')!.reasons).toEqual([]);
  });

  it('counts addresses by classification type', () => {
    const tracer = new IpTracer();
    for (const ip of ['8.8.8.8', '10.0.0.1', '192.168.0.1', '127.0.0.1', '192.0.2.1']) tracer.ingest(failure(ip, T0));
    expect(tracer.patterns().byType).toEqual({ public: 1, private: 2, localhost: 1, special: 1 });
  });

  it('lists the most dangerous addresses first', () => {
    const tracer = new IpTracer();
    const burst = (ip: string, n: number) => {
      for (let i = 0; i < n; i++) tracer.ingest(failure(ip, T0 + i * MINUTE));
    };
    burst('198.51.100.1', 2);
    burst('198.51.100.2', 6);
    burst('198.51.100.3', 4);
    burst('198.51.100.4', 1);
    expect(tracer.top(2).map((p) => [p.ip, p.score])).toEqual([
      ['198.51.100.2', 70],
      ['198.51.100.3', 56],
    ]);
    expect(tracer.profiles().map((p) => p.ip)).toEqual([
      '198.51.100.2',
      '198.51.100.3',
      '198.51.100.1',
      '198.51.100.4',
    ]);
    expect(tracer.summary()).toMatchObject({
      tracked: 4,
      watched: 2,
      blacklisted: 1,
      patterns: { byType: { special: 4 }, bySubnet: [{ subnet: '198.51.100.0/24', ips: 4, hostile: 4 }] },
    });
  });

  it('uses an injected classifier', () => {
    const tracer = new IpTracer({
      classify: (input) => ({
        ip: input,
        version: 4,
        type: 'cloud',
        range: 'test cloud',
        global: true,
        provider: 'test',
      }),
    });
    tracer.ingest(failure('198.51.100.70', T0));
    expect(tracer.profile('198.51.100.70')).toMatchObject({ type: 'cloud', range: 'test cloud', provider: 'test' });
  });

  it('works inside an Investigation, where its verdicts become cases', async () => {
    const tracer = new IpTracer();
    const investigation = new Investigation({ tracers: [tracer], clock: { now: () => 0 } });
    for (let i = 0; i < 6; i++) investigation.ingest(failure('198.51.100.90', T0 + i * MINUTE));
    await investigation.finish();
    const result = investigation.result();
    expect(result.cases.map((c) => [c.ip, c.score, c.blacklisted])).toEqual([['198.51.100.90', 70, true]]);
    expect(result.stats.ip).toMatchObject({ tracked: 1, blacklisted: 1, evicted: 0 });
  });
});

describe('IpTracer on any input', () => {
  const anyText = fc.oneof(
    fc.string(),
    fc.string({ unit: 'binary', maxLength: 80 }),
    fc.constantFrom('', '::', '1.2.3.4', '::ffff:1.2.3.4', '2001:db8::1%eth0'),
  );
  const anyEvent = fc.record({
    ip: fc.option(anyText, { nil: undefined }),
    user: fc.option(anyText, { nil: undefined }),
    action: fc.option(
      fc.oneof(anyText, fc.constantFrom('auth.failure', 'auth.success', 'ip.ban', 'http.probe', 'auth.invalid_user')),
      { nil: undefined },
    ),
    hostile: fc.boolean(),
    timestamp: fc.option(fc.oneof(fc.integer(), fc.double()), { nil: undefined }),
    dport: fc.option(fc.oneof(fc.integer(), fc.double(), fc.string()), { nil: undefined }),
  });

  it('never throws, and its reputation export is always valid', () => {
    fc.assert(
      fc.property(fc.array(anyEvent, { maxLength: 40 }), (inits) => {
        const tracer = new IpTracer({ maxIps: 8 });
        let n = 0;
        for (const init of inits) {
          tracer.ingest(
            createEvent({
              source: 'fuzz',
              line: ++n,
              raw: '',
              ip: init.ip,
              user: init.user,
              action: init.action,
              hostile: init.hostile,
              timestamp:
                init.timestamp !== undefined && Number.isFinite(init.timestamp) && Math.abs(init.timestamp) < 8.64e15
                  ? init.timestamp
                  : undefined,
              fields: init.dport === undefined ? undefined : { dport: init.dport },
            }),
          );
        }
        tracer.finish();
        expect(schemaProblems('reputation', exportReputation(tracer, { all: true, now: 0 }))).toEqual([]);
        expect(tracer.stats().tracked).toBeLessThanOrEqual(8);
      }),
      { numRuns: 300 },
    );
  });
});
