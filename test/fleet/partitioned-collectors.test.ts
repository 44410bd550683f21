/**
 * Two collectors sharing the fleet by partition, through a real nats-server:
 * two agents ship logs of many addresses in several subnets, some seen on both
 * hosts; collectors 0/2 and 1/2 each hold whole cases, and together exactly the
 * cases (and sweeps and chains) of one collector over everything.
 */
import { jetstream } from '@nats-io/jetstream';
import { type NatsConnection, connect } from '@nats-io/transport-node';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Case } from '../../src/core/case';
import type { InvestigationResult } from '../../src/core/result';
import { Agent } from '../../src/fleet/agent';
import { encodeBatch } from '../../src/fleet/batch';
import { Collector } from '../../src/fleet/collector';
import { addressPartition } from '../../src/fleet/partition';
import { fleetSubject } from '../../src/fleet/subjects';
import { createEvent } from '../../src/core/event';
import { type NatsServer, startNatsServer } from '../helpers/nats-server';

const TIME = { timezone: 'UTC', referenceDate: Date.parse('2026-12-31T00:00:00Z') };
/** Six subnets, each of six addresses: enough for a subnet sweep in each and for both partitions' shares. */
const SUBNETS = ['198.51.100.', '203.0.113.', '192.0.2.', '45.33.12.', '2001:db8:1::', '2001:db8:2::'];

/**
 * A host's auth.log: each address fails three to five times, enough for a case (web2 sees every other
 * address of web1, the IPv4 ones written IPv4-mapped), one logs in after its
 * failures, and cron lines without an address come between.
 */
function authLog(host: 'web1' | 'web2'): string {
  const lines: string[] = [];
  let second = 0;
  const at = () => {
    const time = new Date(Date.UTC(2026, 11, 31, 23, 0, second++)).toISOString().slice(11, 19);
    return `Dec 31 ${time} ${host}`;
  };
  for (const [s, subnet] of SUBNETS.entries()) {
    for (let i = 1; i <= 6; i++) {
      if (host === 'web2' && i % 2 === 1) continue;
      const ip = host === 'web2' && !subnet.includes(':') ? `::ffff:${subnet}${i}` : `${subnet}${i}`;
      const pid = 4000 + 10 * s + i;
      for (let attempt = 0; attempt < 3 + ((s + i) % 3); attempt++)
        lines.push(`${at()} sshd[${pid}]: Failed password for invalid user admin from ${ip} port ${50000 + i} ssh2`);
      if (i === 4) lines.push(`${at()} sshd[${pid}]: Accepted password for deploy from ${ip} port ${50000 + i} ssh2`);
      lines.push(`${at()} CRON[${pid + 1}]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)`);
    }
  }
  return lines.join('\n') + '\n';
}

/** What must match between one collector and the partitioned ones: a case's address, score, counts and fleet evidence. */
function caseSummary(c: Case) {
  return { ip: c.ip, score: c.score, counts: c.counts, timelineTotal: c.timelineTotal, fleet: c.fleet };
}

const byJson = <T>(items: readonly T[]) => items.map((item) => JSON.stringify(item)).sort();

describe('collectors sharing the fleet by partition', () => {
  let server: NatsServer;
  let dir: string;
  const connections: NatsConnection[] = [];
  let whole: InvestigationResult;
  let shares: InvestigationResult[];
  beforeAll(async () => {
    server = await startNatsServer();
    dir = mkdtempSync(join(tmpdir(), 'logsleuth-partitions-'));
    for (const host of ['web1', 'web2'] as const) {
      const path = join(dir, `${host}.log`);
      writeFileSync(path, authLog(host));
      const connection = await connect({ servers: server.url });
      connections.push(connection);
      await new Agent({ connection, host, batchSize: 7 }).ship([path], TIME);
    }
    const connection = connections[0]!;
    const one = new Collector({ connection, durable: 'whole' });
    await one.drain();
    whole = await one.result();
    shares = [];
    for (const index of [0, 1]) {
      const collector = new Collector({ connection, durable: 'shared', partition: { index, count: 2 } });
      await collector.drain();
      shares.push(await collector.result());
    }
  });
  afterAll(async () => {
    for (const connection of connections) await connection.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives every address a case in exactly one collector, the one owning its partition', () => {
    expect(whole.cases.length).toBe(36);
    for (const [index, share] of shares.entries()) {
      expect(share.cases.length).toBeGreaterThan(0);
      for (const c of share.cases) expect(addressPartition(c.ip)! % 2).toBe(index);
    }
    const ips = shares.flatMap((share) => share.cases.map((c) => c.ip));
    expect(ips.sort()).toEqual(whole.cases.map((c) => c.ip).sort());
  });

  it("has together one collector's cases: scores, counts and evidence per host", () => {
    const union = shares.flatMap((share) => share.cases);
    expect(byJson(union.map(caseSummary))).toEqual(byJson(whole.cases.map(caseSummary)));
    // Addresses seen on both hosts (web2 writing them IPv4-mapped) keep their evidence of both.
    expect(whole.cases.filter((c) => c.fleet).length).toBe(18);
  });

  it("has together one collector's subnet sweeps and login chains, none split", () => {
    expect(whole.sweeps.length).toBe(SUBNETS.length);
    expect(byJson(shares.flatMap((share) => share.sweeps))).toEqual(byJson(whole.sweeps));
    expect(whole.chains.length).toBeGreaterThan(0);
    expect(byJson(shares.flatMap((share) => share.chains))).toEqual(byJson(whole.chains));
  });

  it('leaves a batch on the old subject without a partition to a collector without a share, and counts it', async () => {
    const connection = connections[0]!;
    const event = createEvent({ source: 'old.log', line: 1, raw: 'x', ip: '198.51.100.1' });
    await jetstream(connection).publish(
      fleetSubject('events', 'old1'),
      encodeBatch({ host: 'old1', source: 'old.log', line: 1, events: [event] }),
    );
    const partitioned = new Collector({ connection, durable: 'old', partition: { index: 0, count: 1 } });
    expect((await partitioned.drain()).byHost.old1).toBeUndefined();
    expect(await partitioned.unpartitionedMessages()).toBe(1);
    expect((await new Collector({ connection, durable: 'old-whole' }).drain()).byHost.old1).toBe(1);
  });
});
