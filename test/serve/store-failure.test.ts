/**
 * A store whose event writes fail (its connection closed underneath serve)
 * does not stop the following: the failure is told once, counted, named in
 * /api/v1/health (degraded) and /metrics, and every event stays in memory.
 */
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/index';
import { type Serving, serve } from '../../src/serve/serve';
import { REFERENCE_DATE, problems, until } from './helpers';

const CRON = 'Mar 14 03:00:01 web01 CRON[2]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)\n';
/** More rows than DuckDB's appender buffers (100 chunks of 2,048) before it must write. */
const MORE_THAN_BUFFERED = 210_000;

interface Health {
  status: string;
  reasons: string[];
  events: number;
  store: { eventsWritten: number; eventsNotWritten: number; failure: { at: string; message: string } | null } | null;
}

let dir: string;
let serving: Serving | undefined;
afterAll(async () => {
  await serving?.stop().catch(() => undefined); // finishing the run fails too: the store is closed
  rmSync(dir, { recursive: true, force: true });
});

it('keeps following in memory after the store fails, and says so in health and metrics', async () => {
  dir = mkdtempSync(join(tmpdir(), 'logsleuth-store-failure-'));
  const log = join(dir, 'auth.log');
  writeFileSync(log, CRON);
  const store = await openStore(join(dir, 'serve.duckdb'));
  const told: unknown[] = [];
  serving = await serve({
    inputs: [log],
    listen: '127.0.0.1:0',
    timezone: 'UTC',
    referenceDate: REFERENCE_DATE,
    pollMs: 50,
    store,
    onStoreError: (error) => told.push(error),
  });
  const url = serving.server.url;
  const health = async () => (await (await fetch(`${url}/api/v1/health`)).json()) as Health;
  await until(async () => (await health()).events === 1, 'the first event');
  expect(await health()).toMatchObject({
    status: 'ok',
    reasons: [],
    store: { eventsWritten: 1, eventsNotWritten: 0, failure: null },
  });

  store.close();
  appendFileSync(log, CRON.repeat(MORE_THAN_BUFFERED));
  appendFileSync(log, 'Mar 14 03:00:02 web01 sshd[7]: Failed password for root from 192.0.2.77 port 4000 ssh2\n');
  const events = MORE_THAN_BUFFERED + 2;
  await until(async () => (await health()).events === events, 'every appended event', 60_000);

  const after = await health();
  expect(problems('api-health', after)).toEqual([]);
  expect(after.status).toBe('degraded');
  // The sampler's commit of the same store may fail too (its own reason); the event writes' is there.
  expect(after.reasons).toContainEqual(expect.stringMatching(/^store: event writes stopped at .*closed connection/));
  expect(after.store!.failure!.message).toMatch(/closed connection/);
  expect(after.store!.eventsWritten + after.store!.eventsNotWritten).toBe(events);
  expect(after.store!.eventsNotWritten).toBeGreaterThan(0);
  expect(told).toHaveLength(1);
  // The events are in memory still, the last one too.
  const latest = (await (await fetch(`${url}/api/v1/events?limit=1`)).json()) as { items: { ip: string | null }[] };
  expect(latest.items.map((e) => e.ip)).toEqual(['192.0.2.77']);
  const metrics = await (await fetch(`${url}/metrics`)).text();
  expect(metrics).toContain(`logsleuth_store_events_total{result="not_written"} ${after.store!.eventsNotWritten}\n`);
  expect(metrics).toContain(`logsleuth_store_events_total{result="written"} ${after.store!.eventsWritten}\n`);
}, 90_000);
