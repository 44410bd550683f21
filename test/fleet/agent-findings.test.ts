/**
 * Agents' local findings: the wire form and its checks, the collector's table
 * (each finding once, counted per host and kind), and through a real
 * nats-server an agent publishing what its tracers find over what it ships,
 * once however often it is shipped, read by a collector.
 */
import { jetstream } from '@nats-io/jetstream';
import { appendFileSync, copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { AnyFinding } from '../../src/core/finding';
import { Agent } from '../../src/fleet/agent';
import { Collector } from '../../src/fleet/collector';
import {
  MAX_FINDING_BYTES,
  decodeFleetFinding,
  encodeFleetFinding,
  fleetFindingId,
} from '../../src/fleet/fleet-finding';
import { HostFindingsTable } from '../../src/fleet/host-findings';
import { fleetSubject } from '../../src/fleet/subjects';
import { createInvestigation } from '../../src/investigate';
import { readEvents } from '../../src/logs/read-events';
import { readLines } from '../../src/logs/sources';
import { useNatsServer } from '../helpers/nats-server';

const AUTH_LOG = join(__dirname, '../fixtures/logs/auth.log');
const TIME = { timezone: 'UTC', referenceDate: Date.parse('2026-12-31T00:00:00Z') };

const threat = (ip: string): AnyFinding =>
  ({ kind: 'ip.threat', key: ip, tracer: 'ip', at: 1, data: { ip, score: 50 }, depth: 0 }) as unknown as AnyFinding;
const message = (host: string, finding: AnyFinding) => ({
  subject: fleetSubject('findings', host),
  data: encodeFleetFinding(host, finding)!,
});

/** What the standard tracers find over the fixture, as the agent's would: kind and key, sorted. */
async function expectedFindings(): Promise<string[]> {
  const { investigation } = createInvestigation();
  for await (const event of readEvents(readLines([AUTH_LOG]), TIME)) investigation.ingest(event);
  await investigation.finish();
  return investigation
    .findings()
    .map((f) => `${f.kind} ${f.key}`)
    .sort();
}

describe('the wire form of a finding', () => {
  it('round-trips, with an id of host, kind and a hash of the key', () => {
    const finding = threat('203.0.113.50');
    const id = fleetFindingId('web1', finding);
    expect(id).toMatch(/^web1:finding:ip\.threat:[0-9a-f]{16}$/);
    expect(fleetFindingId('web1', threat('203.0.113.51'))).not.toBe(id);
    expect(decodeFleetFinding(encodeFleetFinding('web1', finding)!)).toEqual({ version: 1, host: 'web1', id, finding });
  });

  it('leaves a finding over the size limit unencoded', () => {
    const big = { ...threat('198.51.100.1'), data: { blob: 'x'.repeat(MAX_FINDING_BYTES) } } as unknown as AnyFinding;
    expect(encodeFleetFinding('web1', big)).toBeUndefined();
  });

  it.each([
    ['bad gzip', Buffer.from('not gzip')],
    ['a gzip bomb', gzipSync(Buffer.alloc(MAX_FINDING_BYTES + 1, 32))],
    [
      'no finding',
      gzipSync(JSON.stringify({ version: 1, host: 'web1', id: 'web1:finding:ip.threat:0000000000000000' })),
    ],
    [
      'an id that is not its own',
      gzipSync(
        JSON.stringify({
          version: 1,
          host: 'web1',
          id: fleetFindingId('web1', threat('192.0.2.1')),
          finding: threat('192.0.2.2'),
        }),
      ),
    ],
  ])('refuses %s', (_, data) => {
    expect(() => decodeFleetFinding(data)).toThrow('not a finding');
  });
});

describe("the collector's table of the agents' findings", () => {
  it('keeps each finding once, counted per host and kind, and refuses one speaking for another host', () => {
    const table = new HostFindingsTable();
    table.take(message('web1', threat('203.0.113.50')));
    table.take(message('web1', threat('203.0.113.50')));
    table.take(message('web1', threat('203.0.113.51')));
    table.take(message('web2', threat('203.0.113.50')));
    table.take({ subject: fleetSubject('findings', 'web2'), data: message('web1', threat('192.0.2.9')).data });
    table.take({ subject: fleetSubject('findings', 'web2'), data: Buffer.from('junk') });
    expect(table.counts()).toEqual([
      { host: 'web1', findings: 2, byKind: { 'ip.threat': 2 } },
      { host: 'web2', findings: 1, byKind: { 'ip.threat': 1 } },
    ]);
    expect(table.findings('web2').map((f) => f.finding.key)).toEqual(['203.0.113.50']);
    expect(table.malformed).toBe(2);
  });

  it('forgets the oldest beyond its bound', () => {
    const table = new HostFindingsTable(2);
    for (const ip of ['192.0.2.1', '192.0.2.2', '192.0.2.3']) table.take(message('web1', threat(ip)));
    expect(table.findings().map((f) => f.finding.key)).toEqual(['192.0.2.2', '192.0.2.3']);
    expect(table.forgotten).toBe(1);
  });
});

describe('agents publishing their findings (real nats-server)', () => {
  let dir: string;
  const nats = useNatsServer();
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'logsleuth-findings-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("publishes its tracers' findings over what it ships, each once however often it is shipped", async () => {
    const expected = await expectedFindings();
    expect(expected.length).toBeGreaterThan(0);
    const agent = new Agent({ connection: nats.connection, host: 'web1', batchSize: 4, findings: true });
    await agent.ship([AUTH_LOG], TIME);
    expect(agent.findingsReport()).toEqual({ published: expected.length, duplicates: 0, dropped: 0, pending: 0 });
    // A restarted agent finds the same again: the server drops them as duplicates.
    const again = new Agent({ connection: nats.connection, host: 'web1', batchSize: 4, findings: true });
    await again.ship([AUTH_LOG], TIME);
    expect(again.findingsReport()).toMatchObject({ published: 0, duplicates: expected.length });
    // A non-finding on a findings subject is counted by the collector and skipped.
    await jetstream(nats.connection).publish(fleetSubject('findings', 'web1'), Buffer.from('junk'));

    const collector = new Collector({ connection: nats.connection, durable: 'findings' });
    await collector.drain();
    const kept = collector.agentFindings.findings('web1');
    expect(kept.map(({ finding }) => `${finding.kind} ${finding.key}`).sort()).toEqual(expected);
    expect(collector.agentFindings.counts()).toEqual([
      expect.objectContaining({ host: 'web1', findings: expected.length }),
    ]);
    expect(collector.agentFindings.malformed).toBe(1);
  });

  it('publishes new findings while it follows, not only when it stops', async () => {
    const log = join(dir, 'auth.log');
    copyFileSync(AUTH_LOG, log);
    const stopAgent = new AbortController();
    const agent = new Agent({ connection: nats.connection, host: 'web2', findings: true });
    const following = agent.follow([log], { signal: stopAgent.signal, fromStart: true, findingsMs: 200, ...TIME });
    const stopCollector = new AbortController();
    const collector = new Collector({ connection: nats.connection, durable: 'findings-follow' });
    const collecting = collector.run(stopCollector.signal);
    try {
      while (collector.agentFindings.findings('web2').length === 0) await new Promise((r) => setTimeout(r, 50));
      const before = collector.agentFindings.findings('web2').length;
      // A new brute force comes in: its finding is published while the agent still follows.
      const lines = Array.from(
        { length: 8 },
        (_, i) => `Dec 31 23:59:0${i} web2 sshd[9${i}]: Failed password for root from 45.33.99.77 port 4${i} ssh2`,
      );
      appendFileSync(log, lines.join('\n') + '\n');
      while (!collector.agentFindings.findings('web2').some(({ finding }) => finding.key === '45.33.99.77'))
        await new Promise((r) => setTimeout(r, 50));
      expect(collector.agentFindings.findings('web2').length).toBeGreaterThan(before);
    } finally {
      stopAgent.abort();
      await following;
      stopCollector.abort();
      await collecting;
    }
  });
});
