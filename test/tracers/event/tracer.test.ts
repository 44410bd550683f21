import { Investigation } from '../../../src/core/investigation';
import type { IpThreatData } from '../../../src/core/kinds';
import { defineTracer, standaloneContext } from '../../../src/core/tracer';
import { EventTracer } from '../../../src/tracers/event';
import { accepted, ev, f2b, failed, iso } from './events';

const clock = { now: () => Date.parse('2026-03-14T06:00:00Z') };

function threat(ip: string, score = 80): IpThreatData {
  return {
    ip,
    score,
    reasons: [],
    type: 'public',
    blacklisted: false,
    firstSeen: null,
    lastSeen: null,
    counts: {},
    services: ['ssh'],
  };
}

/** Stands in for the IP tracer: flags the given addresses in its finish(), as the real one may. */
function flagger(ips: string[], when: 'ingest' | 'finish' = 'finish') {
  let report: ((ip: string) => void) | undefined;
  const flagged = new Set<string>();
  return defineTracer({
    meta: { name: 'ip', description: 'flags fixed addresses', consumes: [], produces: ['ip.threat'] },
    attach(ctx) {
      report = (ip) => void ctx.report('ip.threat', ip, threat(ip));
    },
    ingest(event) {
      if (when === 'ingest' && event.ip && ips.includes(event.ip) && !flagged.has(event.ip)) {
        flagged.add(event.ip);
        report?.(event.ip);
      }
    },
    finish() {
      if (when === 'finish') for (const ip of ips) report?.(ip);
    },
  });
}

const BF = '203.0.113.45';
const CP = '192.0.2.77';
const night = () => [
  failed('03:12:01', BF),
  failed('03:12:06', BF),
  failed('03:12:11', BF),
  f2b('03:12:12', BF, 'Ban'),
  failed('05:17:44', CP, 'backup'),
  failed('05:18:07', CP, 'backup'),
  failed('05:18:33', CP, 'backup'),
  accepted('05:19:31', CP, 'backup'),
  ev({ at: '05:20:00', ip: CP, service: 'ssh', action: 'session.open', message: 'session opened for user backup' }),
];

describe('EventTracer on the bus', () => {
  it.each(['ingest', 'finish'] as const)(
    'answers an ip.threat (published during %s) with the timeline and chains of that address, caused by it',
    async (when) => {
      const investigation = new Investigation({ tracers: [flagger([CP], when), new EventTracer()], clock });
      await investigation.run(night());
      const findings = investigation.findings();
      const threatFinding = findings.find((f) => f.kind === 'ip.threat')!;
      const effects = investigation.bus.effectsOf(threatFinding);
      expect(effects.map((f) => [f.kind, f.key])).toEqual([
        ['event.timeline', CP],
        ['event.chain', `auth-failures:${CP}`],
        ['event.chain', `compromise:${CP}:${iso('05:19:31')}`],
      ]);
      const timeline = investigation.bus.get('event.timeline', CP)!.data;
      expect(timeline.total).toBe(5);
      expect(timeline.events.map((e) => e.action)).toEqual([
        'auth.failure',
        'auth.failure',
        'auth.failure',
        'auth.success',
        'session.open',
      ]);
      expect(timeline.chains).toEqual([`auth-failures:${CP}`, `compromise:${CP}:${iso('05:19:31')}`]);
      // The other address's chains are published too, with no cause.
      const others = findings.filter((f) => f.kind === 'event.chain' && !f.causedBy).map((f) => f.key);
      expect(others).toEqual([`auth-failures:${BF}`, `ban:${BF}:${iso('03:12:12')}`]);
      expect(investigation.stats().handlerErrors).toBe(0);
    },
  );

  it('answers a flag that arrives after its finish() at once', async () => {
    const tracer = new EventTracer();
    const ctx = standaloneContext(tracer, { clock });
    tracer.attach(ctx);
    for (const event of night()) tracer.ingest(event);
    await tracer.finish();
    const flag = ctx.bus.publish({ kind: 'ip.blacklisted', key: BF, tracer: 'ip', data: threat(BF, 95) })!;
    await ctx.bus.settled();
    expect(ctx.bus.effectsOf(flag).map((f) => [f.kind, f.key])).toEqual([['event.timeline', BF]]);
    expect(ctx.bus.get('event.timeline', BF)!.data.chains).toEqual([
      `auth-failures:${BF}`,
      `ban:${BF}:${iso('03:12:12')}`,
    ]);
  });

  it('publishes no timeline for an address it never saw', async () => {
    const investigation = new Investigation({ tracers: [flagger(['198.51.100.250']), new EventTracer()], clock });
    await investigation.run(night());
    expect(investigation.findings().filter((f) => f.kind === 'event.timeline')).toEqual([]);
  });

  it('gives its statistics to the investigation result', async () => {
    const investigation = new Investigation({ tracers: [new EventTracer()], clock });
    await investigation.run(night());
    const stats = investigation.result().stats.event as { events: number; topIps: unknown[] };
    expect(stats.events).toBe(9);
    expect(stats.topIps).toEqual([
      { ip: CP, count: 5 },
      { ip: BF, count: 4 },
    ]);
  });
});

describe('EventTracer limits', () => {
  it('keeps at most eventMaxIps histories and counts the evictions', () => {
    const tracer = new EventTracer({ eventMaxIps: 50 });
    for (let i = 0; i < 300; i++) tracer.ingest(failed('01:00:00', `198.51.100.${i % 256}`));
    expect(tracer.trackedIps).toBe(50);
    // 206 to make room for the first 256 addresses, then 44 more as .0-.43 come back.
    expect(tracer.stats().evictions.ips).toBe(250);
  });

  it('bounds a timeline to its head and tail and says how many events there were', () => {
    const tracer = new EventTracer({ eventTimelineHead: 2, eventTimelineTail: 3 });
    for (let s = 0; s < 20; s++) tracer.ingest(failed(`01:00:${String(s).padStart(2, '0')}`, BF));
    const timeline = tracer.timeline(BF)!;
    expect(timeline.total).toBe(20);
    expect(timeline.events.map((e) => e.at)).toEqual(
      ['01:00:00', '01:00:01', '01:00:17', '01:00:18', '01:00:19'].map(iso),
    );
  });

  it('keeps the most recent login failures per address and bounds chain steps', () => {
    const tracer = new EventTracer({ eventAuthPerIp: 8, eventChainSteps: 4 });
    for (let s = 0; s < 30; s++) tracer.ingest(failed(`01:00:${String(s).padStart(2, '0')}`, BF));
    const [summary] = tracer.chains();
    expect(summary!.details).toMatchObject({ failedLogins: 30 });
    expect(summary!.steps.map((s) => s.at)).toEqual(['01:00:22', '01:00:23', '01:00:24', '01:00:25'].map(iso));
  });

  it('takes its limits from the investigation options unless given its own', () => {
    const tracer = new EventTracer({ eventTopN: 1 });
    tracer.attach(standaloneContext(tracer, { limits: { maxCorrelationDepth: 6, eventTopN: 5, eventMaxIps: 7 } }));
    expect(tracer.stats().limits).toMatchObject({ eventTopN: 1, eventMaxIps: 7, eventTimelineHead: 10 });
  });
});

describe('EventTracer.flush', () => {
  it('publishes chains as they form when following logs, revising them as they grow', async () => {
    const tracer = new EventTracer();
    const ctx = standaloneContext(tracer, { clock });
    tracer.attach(ctx);
    for (const event of [failed('03:12:01', BF), failed('03:12:06', BF), failed('03:12:11', BF)]) tracer.ingest(event);
    tracer.flush();
    expect(ctx.bus.get('event.chain', `auth-failures:${BF}`)!.data.details).toMatchObject({ failedLogins: 3 });
    const flag = ctx.bus.publish({ kind: 'ip.threat', key: BF, tracer: 'ip', data: threat(BF) })!;
    await ctx.bus.settled();
    tracer.ingest(failed('03:12:17', BF));
    tracer.ingest(f2b('03:12:20', BF, 'Ban'));
    tracer.flush();
    expect(ctx.bus.get('event.chain', `auth-failures:${BF}`)!.data.details).toMatchObject({ failedLogins: 4 });
    expect(ctx.bus.get('event.timeline', BF)!.data.total).toBe(5);
    expect(ctx.bus.effectsOf(flag).map((f) => [f.kind, f.key])).toEqual([
      ['event.timeline', BF],
      ['event.chain', `ban:${BF}:${iso('03:12:20')}`],
    ]);
  });

  it('rebuilds only the timelines and auth chains of addresses with new events, and nothing when no event came', async () => {
    const other = '198.51.100.23';
    const tracer = new EventTracer();
    const ctx = standaloneContext(tracer, { clock });
    tracer.attach(ctx);
    for (const second of ['01', '02', '03']) {
      tracer.ingest(failed(`03:12:${second}`, BF));
      tracer.ingest(failed(`03:12:${second}`, other));
    }
    for (const ip of [BF, other]) ctx.bus.publish({ kind: 'ip.threat', key: ip, tracer: 'ip', data: threat(ip) });
    await ctx.bus.settled();
    tracer.flush();
    const untouched = ctx.bus.get('event.chain', `auth-failures:${other}`)!.data;
    const timelines = jest.spyOn(tracer, 'timeline');
    const revise = jest.spyOn(ctx.bus, 'revise');

    tracer.ingest(failed('03:12:06', BF));
    tracer.flush();
    expect(timelines.mock.calls).toEqual([[BF]]);
    expect(ctx.bus.get('event.timeline', BF)!.data.total).toBe(4);
    expect(ctx.bus.get('event.chain', `auth-failures:${BF}`)!.data.details).toMatchObject({ failedLogins: 4 });
    expect(ctx.bus.get('event.chain', `auth-failures:${other}`)!.data).toBe(untouched);
    expect(revise.mock.calls.filter(([kind]) => kind === 'event.chain').map(([, key]) => key)).toEqual([
      `auth-failures:${other}`,
      `auth-failures:${BF}`,
    ]);

    timelines.mockClear();
    revise.mockClear();
    tracer.flush();
    expect(timelines).not.toHaveBeenCalled();
    expect(revise).not.toHaveBeenCalled();
  });
});
