/**
 * `collect --serve` as a library call through a real nats-server: the host
 * list on /api/v1/hosts (both agents up, one stale once it stops), the
 * collector's current cases on /api/v1/cases with their evidence per host,
 * and the fleet's gauges on /metrics.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { CaseDetail, CaseSummary, Page } from '../../src/serve/source';
import { Agent } from '../../src/fleet/agent';
import { fleetScore } from '../../src/fleet/fleet-cases';
import { type FleetServing, serveFleet } from '../../src/fleet/fleet-serve';
import type { HostHealth } from '../../src/fleet/host-health';
import { publishSamples } from '../../src/fleet/sample-publisher';
import { cli } from '../helpers/cli';
import { useNatsServer } from '../helpers/nats-server';
import { problems, until } from '../serve/helpers';

const AUTH_LOG = join(__dirname, '../fixtures/logs/auth.log');
const TIME = { timezone: 'UTC', referenceDate: Date.parse('2026-12-31T00:00:00Z') };

describe('serveFleet', () => {
  let serving: FleetServing;
  const agents = ['web1', 'web2'].map((host) => ({ host, stop: new AbortController(), sampling: Promise.resolve() }));
  const nats = useNatsServer();
  beforeAll(async () => {
    serving = await serveFleet({ connection: nats.connection, listen: '127.0.0.1:0', rateLimitPerMinute: 100_000 });
    for (const agent of agents) {
      const { host, stop } = agent;
      agent.sampling = publishSamples({ connection: nats.connection, host, signal: stop.signal, intervalMs: 200 }).then(
        () => {},
      );
      await new Agent({ connection: nats.connection, host }).ship([AUTH_LOG], TIME);
    }
  });
  afterAll(async () => {
    for (const agent of agents) agent.stop.abort();
    await Promise.all(agents.map((agent) => agent.sampling));
    await serving?.stop();
  });

  const get = async <T>(path: string): Promise<T> => {
    const response = await fetch(serving.server.url + path);
    expect(response.status).toBe(200);
    return (await response.json()) as T;
  };
  const hosts = async () => (await get<{ fleet: boolean; items: HostHealth[] }>('/api/v1/hosts')).items;
  const verdicts = (items: HostHealth[]) => Object.fromEntries(items.map((h) => [h.host, h.health]));

  it('lists both hosts up on /api/v1/hosts, with their events and latest sample', async () => {
    let body: { fleet: boolean; items: HostHealth[] } | undefined;
    await until(async () => {
      body = await get('/api/v1/hosts');
      return body!.items.filter((h) => h.health === 'up' && h.lastSample && h.events > 0).length === 2;
    }, 'both hosts up with events and samples');
    expect(problems('api-hosts', body)).toEqual([]);
    expect(body!.fleet).toBe(true);
    expect(verdicts(body!.items)).toEqual({ web1: 'up', web2: 'up' });
    const events = serving.collector.stats().byHost;
    for (const h of body!.items) expect(h).toMatchObject({ events: events[h.host], intervalMs: 200 });
  });

  /** The cases `analyze` finds in the file each agent shipped. */
  let analyzed: Promise<{ ip: string; counts: Record<string, number> }[]> | undefined;
  const alone = () =>
    (analyzed ??= cli(['analyze', AUTH_LOG, '--json', '--timezone', 'UTC', '--reference-date', '2026-12-31']).then(
      (outcome) => (JSON.parse(outcome.stdout) as { cases: { ip: string; counts: Record<string, number> }[] }).cases,
    ));

  it("serves the collector's current cases: the addresses analyze finds in the file", async () => {
    const suspects = (await alone()).map((c) => c.ip).sort();
    expect(suspects.length).toBeGreaterThan(0);
    let cases: Page<CaseSummary> | undefined;
    await until(async () => {
      cases = await get('/api/v1/cases?limit=1000');
      return cases!.total >= suspects.length;
    }, 'the cases');
    expect(problems('api-cases', cases)).toEqual([]);
    expect(cases!.items.map((c) => c.ip).sort()).toEqual(suspects);
  });

  it('gives every case its evidence per host and fleet score, in the list and in the case', async () => {
    // Both agents shipped the same file: every address is on both hosts, each with the counts analyze finds in it.
    const counts = new Map((await alone()).map((c) => [c.ip, c.counts]));
    // (Not isDeepStrictEqual: fetch's objects are of another realm than jest's.)
    const same = (a: Record<string, number>, b: Record<string, number> = {}) =>
      Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([key, n]) => b[key] === n);
    const whole = (c: CaseSummary) =>
      c.fleet?.hosts.length === 2 && c.fleet.hosts.every((h) => same(h.counts, counts.get(c.ip)));
    let cases: Page<CaseSummary> | undefined;
    await until(async () => {
      cases = await get('/api/v1/cases?limit=1000');
      return cases!.total === counts.size && cases!.items.every(whole);
    }, "every case on both hosts, each with the file's counts");
    expect(problems('api-cases', cases)).toEqual([]);
    for (const c of cases!.items) {
      expect(c.fleet!.hosts.map((h) => h.host).sort()).toEqual(['web1', 'web2']);
      expect(c.fleet!.score).toBe(fleetScore(c.score, c.fleet!.hostileHosts));
    }
    const invalid = cases!.items.find((c) => (counts.get(c.ip)!['invalidUsers'] ?? 0) > 0)!;
    const each = counts.get(invalid.ip)!['invalidUsers'];
    expect(invalid.fleet!.hostileHosts).toBe(2);
    expect(invalid.fleet!.summary).toContain(`invalid users on 2 hosts: web1 (${each}), web2 (${each})`);
    const detail = await get<CaseDetail>(`/api/v1/cases/${encodeURIComponent(invalid.ip)}`);
    expect(problems('api-case', detail)).toEqual([]);
    expect(detail.fleet).toEqual(invalid.fleet);
    expect(detail.fleet!.hosts[0]!.evidence[0]).toMatchObject({ source: AUTH_LOG, action: expect.any(String) });
  });

  it('exports each host as up, its events and when it was last seen on /metrics', async () => {
    const text = await (await fetch(serving.server.url + '/metrics')).text();
    const events = serving.collector.stats().byHost;
    for (const host of ['web1', 'web2']) {
      expect(text).toContain(`logsleuth_fleet_host_up{host="${host}"} 1\n`);
      expect(text).toContain(`logsleuth_fleet_host_events_total{host="${host}"} ${events[host]}\n`);
      const name = `logsleuth_fleet_host_last_seen_timestamp_seconds{host="${host}"} `;
      const line = text.split('\n').find((l) => l.startsWith(name))!;
      expect(Math.abs(Number(line.slice(name.length)) - Date.now() / 1000)).toBeLessThan(60);
    }
    const lint = spawnSync('/usr/bin/promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(lint.stdout + lint.stderr).toBe('');
    expect(lint.status).toBe(0);
  });

  it('shows a host stale once its agent stops, the other still up', async () => {
    agents[1]!.stop.abort();
    await agents[1]!.sampling;
    let items: HostHealth[] = [];
    await until(async () => {
      items = await hosts();
      return verdicts(items).web2 !== 'up';
    }, 'web2 no longer up');
    expect(verdicts(items)).toEqual({ web1: 'up', web2: 'stale' });
    const text = await (await fetch(serving.server.url + '/metrics')).text();
    expect(text).toContain('logsleuth_fleet_host_up{host="web2"} 0\n');
  });
});
