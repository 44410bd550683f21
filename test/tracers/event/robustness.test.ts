import fc from 'fast-check';
import { createEvent, type Level } from '../../../src/core/event';
import { EventTracer } from '../../../src/tracers/event';
import { severity } from '../../../src/tracers/event/severity';

const LEVELS: (Level | undefined)[] = [
  'emerg',
  'alert',
  'crit',
  'error',
  'warning',
  'notice',
  'info',
  'debug',
  undefined,
];
const ACTIONS = [
  'auth.failure',
  'auth.invalid_user',
  'auth.success',
  'ip.ban',
  'ip.unban',
  'ip.found',
  'oom.kill',
  'disk.full',
  'conn.refused',
  'http.request',
  undefined,
];

const anyEvent = fc
  .record({
    timestamp: fc.option(fc.oneof(fc.integer({ min: -1e13, max: 1e13 }), fc.constantFrom(NaN, Infinity)), {
      nil: undefined,
    }),
    level: fc.constantFrom(...LEVELS),
    action: fc.oneof(fc.constantFrom(...ACTIONS), fc.string()),
    service: fc.option(fc.constantFrom('ssh', 'nginx', 'http', 'django', 'postgresql', 'kernel', 'fail2ban'), {
      nil: undefined,
    }),
    ip: fc.option(fc.constantFrom('192.0.2.1', '192.0.2.2', '2001:db8::1'), { nil: undefined }),
    user: fc.option(fc.string(), { nil: undefined }),
    hostile: fc.boolean(),
    message: fc.string({ unit: 'binary', maxLength: 400 }),
    status: fc.option(fc.oneof(fc.integer(), fc.string()), { nil: undefined }),
  })
  .map(({ status, ...rest }) =>
    createEvent({
      source: 'fuzz',
      line: 1,
      raw: rest.message,
      ...rest,
      fields: status === undefined ? undefined : { status },
    }),
  );

describe('event tracer robustness', () => {
  it('takes any events without throwing, and its chains, timelines and statistics stay plain data', () => {
    fc.assert(
      fc.property(fc.array(anyEvent, { maxLength: 60 }), (events) => {
        const tracer = new EventTracer({ eventMaxIps: 2, eventTimelineHead: 1, eventTimelineTail: 2 });
        for (const event of events) {
          const score = severity(event);
          expect(score >= 0 && score <= 100).toBe(true);
          tracer.ingest(event);
        }
        const chains = tracer.chains();
        expect(JSON.parse(JSON.stringify(chains))).toEqual(chains);
        for (const ip of ['192.0.2.1', '192.0.2.2', '2001:db8::1']) {
          const timeline = tracer.timeline(ip);
          if (timeline) expect(timeline.events.length).toBeLessThanOrEqual(3);
        }
        expect(tracer.trackedIps).toBeLessThanOrEqual(2);
        expect(tracer.stats().events).toBe(events.length);
      }),
      { numRuns: 300 },
    );
  });
});
