/**
 * Fleet cases through a real nats-server: two agents (host ids web1 and web2)
 * ship what their hosts saw, one collector makes one case per address with
 * the evidence of each host, which is what the IP tracer makes of that host's file alone.
 */
import { type NatsConnection, connect } from '@nats-io/transport-node';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Case } from '../../src/core/case';
import { schemaProblems } from '../../src/core/schemas';
import { Agent } from '../../src/fleet/agent';
import { Collector } from '../../src/fleet/collector';
import { createEvent } from '../../src/core/event';
import { FleetCases, MAX_SPREAD_POINTS, SPREAD_POINTS_PER_HOST, fleetScore } from '../../src/fleet/fleet-cases';
import { readEvents } from '../../src/logs/read-events';
import { readLines } from '../../src/logs/sources';
import { IpTracer, type IpProfile } from '../../src/tracers/ip';
import { cli } from '../helpers/cli';
import { type NatsServer, startNatsServer } from '../helpers/nats-server';

const AUTH_LOG = join(__dirname, '../fixtures/logs/auth.log');
const TIME = { timezone: 'UTC', referenceDate: Date.parse('2026-12-31T00:00:00Z') };

/** What the IP tracer alone makes of `ip` in one file. */
async function profileIn(path: string, ip: string): Promise<IpProfile> {
  const tracer = new IpTracer();
  for await (const event of readEvents(readLines([path]), TIME)) tracer.ingest(event);
  tracer.finish();
  return tracer.profile(ip)!;
}

describe('fleetScore', () => {
  it.each([
    [40, 0, 40],
    [40, 1, 40],
    [40, 2, 40 + SPREAD_POINTS_PER_HOST],
    [40, 3, 40 + 2 * SPREAD_POINTS_PER_HOST],
    [40, 50, 40 + MAX_SPREAD_POINTS],
    [95, 5, 100],
  ])('scores a case of %i on %i hostile hosts %i', (score, hosts, expected) => {
    expect(fleetScore(score, hosts)).toBe(expected);
  });
});

describe('FleetCases', () => {
  const failure = (ip: string, line: number) =>
    createEvent({ source: 'auth.log', line, raw: 'x', ip, action: 'auth.failure', outcome: 'failure', hostile: true });

  it('has no fleet evidence for an address seen on one host only', () => {
    const fleet = new FleetCases(new IpTracer());
    fleet.record('web1', failure('198.51.100.1', 1));
    fleet.record('web1', failure('198.51.100.1', 2));
    fleet.record('web2', failure('198.51.100.2', 1));
    expect(fleet.evidence('198.51.100.1', 10)).toBeUndefined();
  });

  it('counts an address written two ways as one (IPv4-mapped IPv6), and a host merely seeing it as not hostile', () => {
    const fleet = new FleetCases(new IpTracer());
    fleet.record('web1', failure('198.51.100.1', 1));
    fleet.record('web2', failure('::ffff:198.51.100.1', 1));
    fleet.record('web3', createEvent({ source: 'access.log', line: 1, raw: 'x', ip: '198.51.100.1' }));
    const evidence = fleet.evidence('198.51.100.1', 10)!;
    expect(evidence.hosts.map((host) => host.host).sort()).toEqual(['web1', 'web2', 'web3']);
    expect(evidence.hostileHosts).toBe(2);
    expect(evidence.score).toBe(10 + SPREAD_POINTS_PER_HOST);
    expect(evidence.summary).toEqual(['failed logins on 2 hosts: web1 (1), web2 (1)']);
  });
});

describe('fleet cases from two agents', () => {
  let server: NatsServer;
  let dir: string;
  let web2Log: string;
  const connections: NatsConnection[] = [];
  beforeAll(async () => {
    server = await startNatsServer();
    dir = mkdtempSync(join(tmpdir(), 'logsleuth-fleet-cases-'));
    // web2 saw the first attempts of 203.0.113.50 (a case on each host) and the IPv6 root attempt (a case on neither).
    const lines = readFileSync(AUTH_LOG, 'utf8').split('\n');
    web2Log = join(dir, 'web2-auth.log');
    writeFileSync(web2Log, [...lines.slice(0, 3), lines[9]].join('\n') + '\n');
    for (const [host, path] of [
      ['web1', AUTH_LOG],
      ['web2', web2Log],
    ] as const) {
      const connection = await connect({ servers: server.url });
      connections.push(connection);
      await new Agent({ connection, host }).ship([path], TIME);
    }
  });
  afterAll(async () => {
    for (const connection of connections) await connection.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives an address seen on both hosts one case, with each host as the IP tracer sees its file alone', async () => {
    const collector = new Collector({ connection: connections[0]!, durable: 'fleet-cases' });
    await collector.drain();
    const { cases } = await collector.result();

    expect(cases.filter((c) => c.ip === '203.0.113.50')).toHaveLength(1);
    const shared = cases.filter((c) => c.fleet).map((c) => c.ip);
    expect(shared).toEqual(['203.0.113.50']);
    for (const suspect of cases.filter((c) => c.fleet)) {
      const hosts = suspect.fleet!.hosts;
      expect(hosts.map((h) => h.host).sort()).toEqual(['web1', 'web2']);
      for (const [host, path] of [
        ['web1', AUTH_LOG],
        ['web2', web2Log],
      ] as const) {
        const seen = hosts.find((h) => h.host === host)!;
        const alone = await profileIn(path, suspect.ip);
        expect({ host, score: seen.score, counts: seen.counts, firstSeen: seen.firstSeen }).toEqual({
          host,
          score: alone.score,
          counts: alone.counts,
          firstSeen: alone.firstSeen,
        });
      }
      expect(suspect.fleet!.hostileHosts).toBe(2);
      expect(suspect.fleet!.score).toBe(fleetScore(suspect.score, 2));
    }
    const attacker = cases.find((c) => c.ip === '203.0.113.50')!.fleet!;
    expect(attacker.summary).toEqual([
      'invalid users on 2 hosts: web1 (2), web2 (2)',
      'other hostile events on 1 host: web1 (1)',
    ]);
  });

  it('shows the fleet cases in collect --json (valid against the report schema) and in the text report', async () => {
    const json = await cli(['collect', '--nats', server.url, '--durable', 'fleet-json', '--json']);
    expect(json.code).toBe(0);
    expect(json.stderr).toContain('from 2 host(s)');
    expect(json.stderr).toContain('1 case(s) on several hosts');
    const report = JSON.parse(json.stdout) as { cases: Case[] };
    expect(schemaProblems('report', report)).toEqual([]);
    expect(report.cases.find((c) => c.ip === '203.0.113.50')!.fleet!.hosts).toHaveLength(2);

    const text = await cli(['collect', '--nats', server.url, '--durable', 'fleet-text']);
    const score = report.cases.find((c) => c.ip === '203.0.113.50')!.fleet!.score;
    expect(text.stdout).toContain(
      `fleet ${score}: 2 hosts, 2 hostile\n       invalid users on 2 hosts: web1 (2), web2 (2)\n`,
    );
  });
});
