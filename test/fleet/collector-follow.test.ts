/**
 * A collector in follow mode through a real nats-server: events as they come,
 * every host's samples into the host list, and a host whose agent stopped
 * going stale; bad sample messages are counted and skipped.
 */
import { jetstream } from '@nats-io/jetstream';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { gzipSync } from 'node:zlib';
import { Agent } from '../../src/fleet/agent';
import { Collector } from '../../src/fleet/collector';
import type { HostHealth } from '../../src/fleet/host-health';
import { MAX_SAMPLE_BYTES, encodeSample, fleetSample } from '../../src/fleet/sample';
import { publishSamples } from '../../src/fleet/sample-publisher';
import { ensureFleetStream, fleetSubject } from '../../src/fleet/subjects';
import { ProcSampler } from '../../src/proc/sampler';
import { useNatsServer } from '../helpers/nats-server';

const AUTH_LOG = join(__dirname, '../fixtures/logs/auth.log');
const TIME = { timezone: 'UTC', referenceDate: Date.parse('2026-12-31T00:00:00Z') };

/** Polls `read` until `done` holds of what it gives (jest's timeout bounds the wait). */
async function until<T>(read: () => T, done: (value: T) => boolean): Promise<T> {
  for (;;) {
    const value = read();
    if (done(value)) return value;
    await sleep(25);
  }
}

const verdicts = (hosts: HostHealth[]) => Object.fromEntries(hosts.map((h) => [h.host, h.health]));

describe('Collector.run', () => {
  const nats = useNatsServer();

  it("shows two agents' hosts up, and one stale once its agent stops", async () => {
    const collecting = new AbortController();
    const collector = new Collector({ connection: nats.connection });
    const running = collector.run(collecting.signal);
    const agents = ['web1', 'web2'].map((host) => {
      const stop = new AbortController();
      const sampling = publishSamples({ connection: nats.connection, host, signal: stop.signal, intervalMs: 200 });
      return { host, stop, sampling };
    });
    try {
      const shipped = await new Agent({ connection: nats.connection, host: 'web1' }).ship([AUTH_LOG], TIME);
      // Both hosts' samples have come, and all of web1's events (batches of each partition).
      const up = await until(
        () => collector.hosts.hosts(),
        (hosts) =>
          hosts.filter((h) => h.lastSample && h.health === 'up').length === 2 &&
          collector.stats().events === shipped.events,
      );
      expect(verdicts(up)).toEqual({ web1: 'up', web2: 'up' });
      const web1 = up.find((h) => h.host === 'web1')!;
      expect(web1).toMatchObject({ events: shipped.events, intervalMs: 200 });
      expect(web1.eventsPerSecond).toBeGreaterThan(0);
      expect(web1.memoryPercent).toBeGreaterThan(0);

      agents[1]!.stop.abort();
      await agents[1]!.sampling;
      const later = await until(
        () => collector.hosts.hosts(),
        (hosts) => verdicts(hosts).web2 !== 'up',
      );
      expect(verdicts(later)).toEqual({ web1: 'up', web2: 'stale' });
    } finally {
      for (const agent of agents) agent.stop.abort();
      await Promise.all(agents.map((agent) => agent.sampling));
      collecting.abort();
    }
    const stats = await running;
    expect(stats.events).toBeGreaterThan(0);
    expect(collector.hosts.malformedSamples).toBe(0);
  });

  it('goes on collecting events and samples after the server restarts', async () => {
    const collecting = new AbortController();
    const retries: string[] = [];
    const collector = new Collector({ connection: nats.connection, durable: 'restarted' });
    const running = collector.run(collecting.signal, { onRetry: (error) => retries.push(error.message) });
    const stop = new AbortController();
    const sampling = publishSamples({ connection: nats.connection, host: 'db9', signal: stop.signal, intervalMs: 200 });
    const agent = new Agent({ connection: nats.connection, host: 'db9' });
    try {
      const first = await agent.ship([AUTH_LOG], TIME);
      await until(
        () => collector.stats().byHost['db9'] ?? 0,
        (events) => events === first.events,
      );
      await nats.server.restart();
      const seenBefore = collector.hosts.hosts().find((h) => h.host === 'db9')!.lastSample!;
      // The same file again as another host (new batch ids, so new events), once the connection is back.
      let again;
      for (;;) {
        try {
          again = await new Agent({ connection: nats.connection, host: 'db10' }).ship([AUTH_LOG], TIME);
          break;
        } catch {
          await sleep(100);
        }
      }
      await until(
        () => collector.stats().byHost['db10'] ?? 0,
        (events) => events === again.events,
      );
      await until(
        () => collector.hosts.hosts().find((h) => h.host === 'db9')!.lastSample!,
        (seen) => seen > seenBefore,
      );
      expect(retries.length).toBeGreaterThan(0);
    } finally {
      stop.abort();
      await sampling;
      collecting.abort();
    }
    await running;
  });

  it("counts and skips what is not a sample of its subject's host, and goes on", async () => {
    await ensureFleetStream(nats.connection);
    const js = jetstream(nats.connection);
    const good = fleetSample('db1', new ProcSampler().sample(), 1000);
    await js.publish(fleetSubject('samples', 'bad1'), Buffer.from('not gzip'));
    await js.publish(fleetSubject('samples', 'bad2'), gzipSync(Buffer.alloc(MAX_SAMPLE_BYTES + 1, 32)));
    await js.publish(fleetSubject('samples', 'bad3'), gzipSync(JSON.stringify({ ...good, host: 'bad3', at: 'now' })));
    // A valid sample that speaks for another host than the one it was published as.
    await js.publish(fleetSubject('samples', 'bad4'), encodeSample(good));
    await js.publish(fleetSubject('samples', 'db1'), encodeSample(good));
    const collecting = new AbortController();
    const collector = new Collector({ connection: nats.connection, durable: 'second' });
    const running = collector.run(collecting.signal);
    try {
      const hosts = await until(
        () => collector.hosts.hosts(),
        (list) => list.some((h) => h.host === 'db1'),
      );
      expect(hosts.map((h) => h.host)).not.toContain('bad4');
      // The four bad ones skipped; the latest sample of every other host taken (the earlier tests' too).
      await until(
        () => collector.hosts.malformedSamples,
        (count) => count === 4,
      );
      const known = collector.hosts.hosts();
      expect(known.map((h) => h.host).filter((host) => host.startsWith('bad'))).toEqual([]);
      // One sample per host that sent any; hosts known only by their events (db10) may come in meanwhile.
      expect(collector.hosts.samples).toBe(known.filter((h) => h.lastSample).length);
    } finally {
      collecting.abort();
    }
    await running;
  });
});
