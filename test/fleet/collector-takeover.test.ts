/**
 * Collectors on `partition: 'auto'` through a real nats-server: two share the
 * partitions by lease and together hold one collector's cases; one killed
 * (SIGKILL, a real process) leaves its partitions to the other after the TTL,
 * which reads what is published after the kill; one stopped cleanly hands its
 * partitions over at once.
 */
import { jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { type NatsConnection, connect } from '@nats-io/transport-node';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Case } from '../../src/core/case';
import { Agent } from '../../src/fleet/agent';
import { Collector } from '../../src/fleet/collector';
import { leaseBucket, partitionKey } from '../../src/fleet/leases';
import { PARTITIONS, addressPartition } from '../../src/fleet/partition';
import { FLEET_STREAM } from '../../src/fleet/subjects';
import { useNatsServer } from '../helpers/nats-server';

const ROOT = join(__dirname, '../..');
const TIME = { timezone: 'UTC', referenceDate: Date.parse('2026-12-31T00:00:00Z') };
const TTL = 3_000;
/** 48 addresses, one per /24, so that every partition has some. */
const ADDRESSES = Array.from({ length: 48 }, (_, s) => `45.${s + 1}.12.7`);

/** An auth.log of `host` in which every address fails 3 times (`tries` more for the second half of the list). */
function authLog(host: string, minute: number): string {
  const lines: string[] = [];
  for (const [i, ip] of ADDRESSES.entries()) {
    for (let attempt = 0; attempt < 3 + (i % 2); attempt++) {
      const second = String((i * 4 + attempt) % 60).padStart(2, '0');
      const stamp = `Dec 31 22:${String(minute + Math.floor((i * 4 + attempt) / 60)).padStart(2, '0')}:${second}`;
      lines.push(
        `${stamp} ${host} sshd[${4000 + i}]: Failed password for invalid user admin from ${ip} port 5${i} ssh2`,
      );
    }
  }
  return lines.join('\n') + '\n';
}

/** Lines of the log of `authLog` per address. */
const attemptsOf = (ip: string) => 3 + (ADDRESSES.indexOf(ip) % 2);
const TOTAL = ADDRESSES.reduce((sum, ip) => sum + attemptsOf(ip), 0);

function caseSummary(c: Case) {
  return { ip: c.ip, score: c.score, counts: c.counts, timelineTotal: c.timelineTotal, fleet: c.fleet };
}
const byJson = <T>(items: readonly T[]) => items.map((item) => JSON.stringify(item)).sort();

async function until(done: () => boolean | Promise<boolean>, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(50);
  }
}

describe('collectors sharing the partitions by lease', () => {
  let dir: string;
  const connections: NatsConnection[] = [];
  const open = async () => {
    const connection = await connect({ servers: nats.server.url });
    connections.push(connection);
    return connection;
  };
  const ship = async (host: string, minute: number) => {
    const path = join(dir, `${host}.log`);
    writeFileSync(path, authLog(host, minute));
    await new Agent({ connection: await open(), host, batchSize: 5 }).ship([path], TIME);
  };
  const auto = async (durable: string) =>
    new Collector({ connection: await open(), durable, partition: 'auto', leaseTtlMs: TTL });
  const held = (collector: Collector) => collector.leases!.readable().length;

  const nats = useNatsServer();
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'logsleuth-takeover-'));
  });
  afterAll(async () => {
    for (const connection of connections) await connection.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("hold together one collector's cases, each address in the collector leasing its partition", async () => {
    const members = [await auto('pair'), await auto('pair')];
    const stops = members.map(() => new AbortController());
    const runs = members.map((collector, i) => collector.run(stops[i]!.signal));
    await until(() => members.every((collector) => held(collector) === 8), 'each member leases 8 partitions');
    const leased = members.map((collector) => new Set(collector.leases!.readable()));
    await ship('web1', 0);
    await ship('web2', 10);
    await until(() => members.reduce((sum, c) => sum + c.stats().events, 0) === 2 * TOTAL, 'every event is read');
    for (const stop of stops) stop.abort();
    await Promise.all(runs);
    const results = await Promise.all(members.map((collector) => collector.result()));

    const whole = new Collector({ connection: connections[0]!, durable: 'whole' });
    await whole.drain();
    const one = await whole.result();
    expect(one.cases.length).toBe(ADDRESSES.length);
    for (const [i, result] of results.entries()) {
      expect(result.cases.length).toBeGreaterThan(0);
      for (const c of result.cases) expect(leased[i]!.has(addressPartition(c.ip)!)).toBe(true);
    }
    const union = results.flatMap((result) => result.cases.map(caseSummary));
    expect(byJson(union)).toEqual(byJson(one.cases.map(caseSummary)));
  });

  it('take over the partitions of a member stopped cleanly at once', async () => {
    const [leaving, staying] = [await auto('clean'), await auto('clean')];
    const stops = [new AbortController(), new AbortController()];
    const runs = [leaving.run(stops[0]!.signal), staying.run(stops[1]!.signal)];
    await until(() => held(leaving) === 8 && held(staying) === 8, 'each member leases 8 partitions');
    stops[0]!.abort();
    await runs[0];
    const stoppedAt = Date.now();
    await until(() => held(staying) === PARTITIONS, 'the staying member leases all 16');
    // Before the staying member's next tick even: it watches the bucket and took the released keys at once.
    expect(Date.now() - stoppedAt).toBeLessThan(TTL / 3);
    stops[1]!.abort();
    await runs[1];
  });

  /** `logsleuth collect --follow --partition auto` as a real process in its own group (tsx's loader thread too). */
  function startCollect(durable: string): ChildProcess {
    const args = ['collect', '--follow', '--partition', 'auto', '--lease-ttl', '3s', '--durable', durable];
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/store/record-child.ts', ...args, '--nats', nats.server.url],
      { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], detached: true },
    );
    child.stderr!.resume();
    return child;
  }

  it("take over a killed member's partitions after the TTL, and read what comes after the kill", async () => {
    const connection = await open();
    const child = startCollect('killed');
    try {
      const kv = await (async () => {
        for (;;) {
          const bucket = await new Kvm(connection).open(leaseBucket('killed'));
          if (await bucket.status().catch(() => undefined)) return bucket;
          await sleep(100);
        }
      })();
      await until(
        async () => (await kv.get(partitionKey(PARTITIONS - 1)).catch(() => null)) !== null,
        'the child leases',
      );
      const survivor = await auto('killed');
      const stop = new AbortController();
      const running = survivor.run(stop.signal);
      await until(() => held(survivor) === 8, 'the survivor leases 8 partitions');
      const own = new Set(survivor.leases!.readable());
      await ship('before', 20);
      // The child has read and acked its half: nothing is pending on any partition's durable.
      const jsm = await jetstreamManager(connection);
      await until(async () => {
        for (let p = 0; p < PARTITIONS; p++) {
          const info = await jsm.consumers.info(FLEET_STREAM, `killed-p${String(p).padStart(2, '0')}`);
          if (info.num_pending + info.num_ack_pending > 0) return false;
        }
        return true;
      }, 'both members have acked the first log');

      // The child's leases as last written before the kill (it may renew once more: the check holds all the more).
      const theirs = [...Array(PARTITIONS).keys()].filter((p) => !own.has(p));
      const written = new Map<number, number>();
      for (const p of theirs) written.set(p, (await kv.get(partitionKey(p)))!.created.getTime());
      process.kill(-child.pid!, 'SIGKILL');
      await ship('after', 30);
      await until(() => held(survivor) === PARTITIONS, 'the survivor leases all 16');
      // Not before the killed member's leases expired: by the server's clock, each new lease was written a TTL or more
      // after the killed member's.
      for (const p of theirs) {
        const taken = await kv.get(partitionKey(p));
        expect((taken!.json() as { member: string }).member).toBe(survivor.leases!.member);
        expect(taken!.created.getTime() - written.get(p)!).toBeGreaterThanOrEqual(TTL);
      }
      await until(() => survivor.stats().byHost.after === TOTAL, 'every event after the kill is read');
      stop.abort();
      await running;
      const before = ADDRESSES.filter((ip) => own.has(addressPartition(ip)!));
      expect(survivor.stats().byHost.before).toBe(before.reduce((sum, ip) => sum + attemptsOf(ip), 0));
      // A taken-over address's case holds what came after the kill; one of its own partitions, both logs.
      for (const c of (await survivor.result()).cases)
        expect(c.timelineTotal).toBe(attemptsOf(c.ip) * (own.has(addressPartition(c.ip)!) ? 2 : 1));
    } finally {
      if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL');
    }
  });
});
