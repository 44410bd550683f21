import { createEvent } from '../../../src/core/event';
import { EventTracer } from '../../../src/tracers/event';
import { OTHER } from '../../../src/tracers/event/stats';
import { ev, failed } from './events';

describe('event statistics', () => {
  it('counts by source, level, action, service, severity, address, user and hour', () => {
    const tracer = new EventTracer();
    for (const event of [
      failed('03:12:01', '203.0.113.45', 'root'),
      failed('03:12:06', '203.0.113.45', 'admin'),
      failed('04:10:03', '198.51.100.10', 'root'),
      ev({ at: '04:20:00', source: 'django.log', service: 'django', level: 'error', message: 'Internal Server Error' }),
      ev({ source: 'django.log', service: 'django', level: 'info', message: 'no time on this line' }),
    ]) {
      tracer.ingest(event);
    }
    const stats = tracer.stats();
    expect(stats).toMatchObject({
      events: 5,
      untimed: 1,
      hostile: 3,
      first: '2026-03-14T03:12:01.000Z',
      last: '2026-03-14T04:20:00.000Z',
      bySource: { 'test.log': 3, 'django.log': 2 },
      byLevel: { unknown: 3, error: 1, info: 1 },
      byAction: { 'auth.failure': 3, unknown: 2 },
      byService: { ssh: 3, django: 2 },
      bySeverity: { low: 1, medium: 3, high: 1, critical: 0 },
      topIps: [
        { ip: '203.0.113.45', count: 2 },
        { ip: '198.51.100.10', count: 1 },
      ],
      topUsers: [
        { user: 'root', count: 2 },
        { user: 'admin', count: 1 },
      ],
      distinctIps: 2,
      distinctUsers: 2,
      overTime: {
        bucketMs: 3_600_000,
        buckets: [
          { start: '2026-03-14T03:00:00.000Z', events: 2, hostile: 2, severe: 0 },
          { start: '2026-03-14T04:00:00.000Z', events: 2, hostile: 1, severe: 1 },
        ],
      },
    });
  });

  it('bounds every table: extra keys go to (other), top lists to eventTopN, users to eventTopCapacity', () => {
    const tracer = new EventTracer({ eventStatsKeys: 2, eventTopN: 2, eventTopCapacity: 3, eventMaxBuckets: 2 });
    for (let i = 0; i < 5; i++) {
      tracer.ingest(failed(`0${i}:00:00`, `192.0.2.${i}`, `user${i}`));
      tracer.ingest(ev({ at: `0${i}:00:01`, source: `file${i}.log`, message: 'x' }));
    }
    const stats = tracer.stats();
    expect(stats.bySource).toEqual({ 'test.log': 5, 'file0.log': 1, [OTHER]: 4 });
    expect(stats.topIps).toHaveLength(2);
    expect(stats.overTime.buckets.map((b) => b.start)).toEqual([
      '2026-03-14T03:00:00.000Z',
      '2026-03-14T04:00:00.000Z',
    ]);
    expect(stats.evictions).toMatchObject({ ips: 0, topUsers: 2, timeBuckets: 3 });
  });

  it('counts events whose time is NaN or infinite as untimed, and a huge window ends', () => {
    const tracer = new EventTracer({ eventDownstreamWindowMs: 1e15, eventRecoveryWindowMs: 1e15 });
    for (const timestamp of [NaN, Infinity, -Infinity]) {
      tracer.ingest(
        createEvent({
          source: 'x',
          line: 1,
          raw: 'r',
          timestamp,
          service: 'kernel',
          action: 'oom.kill',
          level: 'error',
        }),
      );
    }
    tracer.ingest(ev({ at: '01:00:00', service: 'kernel', action: 'oom.kill', level: 'error', message: 'oom' }));
    tracer.ingest(
      ev({ at: '01:00:01', service: 'django', level: 'error', message: 'Connection refused on port 5432' }),
    );
    expect(tracer.stats()).toMatchObject({ events: 5, untimed: 3 });
    expect(tracer.chains().map((c) => c.kind)).toEqual(['oom-kill', 'service-down']);
  });
});
