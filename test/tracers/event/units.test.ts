/**
 * systemd's lines about units through the whole pipeline into the event
 * tracer: a unit failure explains the outage its clients saw, a unit that
 * started again is the recovery, and an OOM kill's effects name the killed
 * unit's service rather than systemd.
 */
import { EventTracer } from '../../../src/tracers/event';
import { parse } from '../../logs/helpers';

/** A database killed by the OOM killer, restarted by systemd, and the application's refused connections between. */
const NIGHT = `Mar  5 06:00:00 db postgres[900]: [1-1] LOG:  database system is ready to accept connections
Mar  5 06:10:01 db kernel: [12345.678] Out of memory: Killed process 900 (postgres) total-vm:1000kB, anon-rss:900kB, file-rss:0kB, shmem-rss:0kB, UID:113 pgtables:100kB oom_score_adj:0
Mar  5 06:10:02 db systemd[1]: postgresql@15-main.service: Main process exited, code=killed, status=9/KILL
Mar  5 06:10:02 db systemd[1]: postgresql@15-main.service: Failed with result 'oom-kill'.
Mar  5 06:10:05 db gunicorn[321]: [2024-03-05 06:10:05 +0000] [322] [ERROR] psycopg2.OperationalError: connection to server at "127.0.0.1", port 5432 failed: Connection refused
Mar  5 06:10:35 db gunicorn[321]: [2024-03-05 06:10:35 +0000] [322] [ERROR] psycopg2.OperationalError: connection to server at "127.0.0.1", port 5432 failed: Connection refused
Mar  5 06:11:02 db systemd[1]: postgresql@15-main.service: Scheduled restart job, restart counter is at 1.
Mar  5 06:11:03 db systemd[1]: Stopped postgresql@15-main.service - PostgreSQL Cluster 15-main.
Mar  5 06:11:05 db systemd[1]: Started postgresql@15-main.service - PostgreSQL Cluster 15-main.
`;

function chainsOf(text: string) {
  const tracer = new EventTracer();
  for (const event of parse(text).events) tracer.ingest(event);
  return tracer.chains();
}

describe('systemd units in causality chains', () => {
  it("names the unit failure that caused an outage and the unit's start as its recovery", () => {
    const outage = chainsOf(NIGHT).find((chain) => chain.kind === 'service-down')!;
    expect(outage.summary).toBe(
      'postgresql was unreachable for gunicorn from 06:10:05 to 06:10:35: 2 refused connections (gunicorn); postgresql@15-main.service failed (oom-kill) at 06:10:02; back at 06:11:05 (60 s after the first failure)',
    );
    expect(outage.steps.map((step) => step.action)).toEqual([
      'unit.failed',
      'conn.refused',
      'conn.refused',
      'service.recovered',
    ]);
    expect(outage.start).toBe('2024-03-05T06:10:02.000Z');
    expect(outage.details).toMatchObject({
      cause: { unit: 'postgresql@15-main.service', how: 'oom-kill', at: '2024-03-05T06:10:02.000Z' },
    });
  });

  it('counts the killed unit among the OOM kill effects under its own service', () => {
    const oom = chainsOf(NIGHT).find((chain) => chain.kind === 'oom-kill')!;
    expect(oom.summary).toBe(
      'the OOM killer killed postgres (pid 900) at 06:10:01; then 4 failures elsewhere within 5 min: postgresql (2), gunicorn (2)',
    );
  });

  it('keeps an outage without a unit failure of that service uncaused, and a stop is no recovery', () => {
    const text = NIGHT.split('\n')
      .filter(
        (line) => !line.includes('Failed with result') && !line.includes('Main process') && !line.includes('Started'),
      )
      .join('\n');
    const outage = chainsOf(text).find((chain) => chain.kind === 'service-down')!;
    expect(outage.summary).toBe(
      'postgresql was unreachable for gunicorn from 06:10:05 to 06:10:35: 2 refused connections (gunicorn); no recovery seen in the logs',
    );
    expect(outage.details).toMatchObject({ cause: null, recoveredAt: null });
  });

  it('does not blame a failure of another service', () => {
    const text = NIGHT.replaceAll('postgresql@15-main.service', 'nginx.service');
    const outage = chainsOf(text).find((chain) => chain.kind === 'service-down')!;
    expect(outage.details).toMatchObject({ cause: null });
  });
});
