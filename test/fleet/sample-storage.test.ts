/**
 * `collect --store` keeps the agents' /proc samples, against a real
 * nats-server and DuckDB files: two agents' samples land in silver's sample
 * tables with their host ids, as many as they published; a second run and a
 * sample redelivered after a collector died unacked store none twice; with
 * partition shares each sample is stored by the collector owning its host's
 * partition; what is not a sample is counted and acked.
 */
import { AckPolicy, type JsMsg, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent } from '../../src/fleet/agent';
import { Collector } from '../../src/fleet/collector';
import { type CollectorStore, openCollectorStore } from '../../src/fleet/collector-store';
import { hostPartition } from '../../src/fleet/partition';
import { decodeSample, encodeSample, fleetSample } from '../../src/fleet/sample';
import { type SampleReport, publishSamples } from '../../src/fleet/sample-publisher';
import { sampleDurables } from '../../src/fleet/sample-storage';
import { FLEET_STREAM, fleetSubject, hostToken, samplesSubject } from '../../src/fleet/subjects';
import { ProcSampler } from '../../src/proc/sampler';
import { type Row, openStore } from '../../src/store/store';
import { useNatsServer } from '../helpers/nats-server';

const AUTH_LOG = join(__dirname, '../fixtures/logs/auth.log');
const TIME = { timezone: 'UTC', referenceDate: Date.parse('2026-12-31T00:00:00Z') };

let dir: string;
const nats = useNatsServer();
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'logsleuth-sample-storage-'));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
});

async function query(path: string, sql: string): Promise<Row[]> {
  const store = await openStore(path, { readOnly: true });
  try {
    return await store.query(sql);
  } finally {
    store.close();
  }
}

/** Rows per host of `table`, as `{ host: count }`. */
async function perHost(path: string, table: string): Promise<Record<string, number>> {
  const rows = await query(path, `SELECT host, count(*) AS n FROM ${table} GROUP BY host ORDER BY host`);
  return Object.fromEntries(rows.map((row) => [row['host'] as string, Number(row['n'])]));
}

/** The agent host ids the tests sample as, by subject token. */
const HOSTS = Object.fromEntries(
  ['web1', 'db.1', 'edge.1', 'web2', 'db2', 'bad1', 'gw1'].map((host) => [hostToken(host), host]),
);

/** Samples per agent host id the stream holds now. */
async function perHostInStream(): Promise<Record<string, number>> {
  const jsm = await jetstreamManager(nats.connection);
  const info = await jsm.streams.info(FLEET_STREAM, { subjects_filter: 'logsleuth.samples.>' });
  const counts: Record<string, number> = {};
  for (const [subject, n] of Object.entries(info.state.subjects ?? {})) {
    const host = HOSTS[subject.split('.')[2]!]!;
    counts[host] = (counts[host] ?? 0) + n;
  }
  return counts;
}

/** Samples every 100 ms on each host until each has published `least`; resolves with what each published. */
async function sampleHosts(hosts: readonly string[], least: number): Promise<Record<string, number>> {
  const stop = new AbortController();
  const reports: SampleReport[] = [];
  const sampling = hosts.map((host) =>
    publishSamples({ connection: nats.connection, host, signal: stop.signal, intervalMs: 100 }).then(
      (r) => (reports.push(r), r),
    ),
  );
  const jsm = await jetstreamManager(nats.connection);
  for (;;) {
    const info = await jsm.streams.info(FLEET_STREAM, { subjects_filter: 'logsleuth.samples.>' }).catch(() => null);
    const counts = hosts.map((host) => info?.state.subjects?.[samplesSubject(host)] ?? 0);
    if (counts.every((n) => n >= least)) break;
    await sleep(50);
  }
  stop.abort();
  const done = await Promise.all(sampling);
  return Object.fromEntries(hosts.map((host, i) => [host, done[i]!.published]));
}

/** A collector with a store on `path` drains the stream, and the run is finished. */
async function collect(
  path: string,
  durable: string,
  share?: { index: number; count: number },
): Promise<CollectorStore> {
  const store = await openCollectorStore(path, { durable });
  const collector = new Collector({
    connection: nats.connection,
    durable,
    store,
    ...(share ? { partition: share } : {}),
  });
  await collector.drain();
  await store.finish(await collector.result());
  return store;
}

const add = (a: Record<string, number>, b: Record<string, number>) =>
  Object.fromEntries(Object.keys({ ...a, ...b }).map((host) => [host, (a[host] ?? 0) + (b[host] ?? 0)]));

it("stores two agents' samples with their host ids, each once across runs", async () => {
  const first = await sampleHosts(['web1', 'db.1'], 3);
  const path = join(dir, 'samples.duckdb');
  const once = await collect(path, 'samples');
  const total = Object.values(first).reduce((a, b) => a + b, 0);
  expect(once.stats()).toMatchObject({ samples: total, notSamples: 0, alreadyStored: 0, messages: 0 });
  // One system row per published sample, under the agent's host id (db.1 as published, not its token).
  expect(await perHost(path, 'silver_system_samples')).toEqual(first);
  const processes = await perHost(path, 'silver_process_samples');
  expect(Object.keys(processes)).toEqual(['db.1', 'web1']);
  // This test's own process is in every sample of both hosts (they sample this machine).
  const mine = await query(
    path,
    `SELECT host, count(*) AS n FROM silver_process_samples WHERE pid = ${process.pid} GROUP BY host ORDER BY host`,
  );
  expect(mine.map((row) => [row['host'], Number(row['n'])])).toEqual([
    ['db.1', first['db.1']],
    ['web1', first['web1']],
  ]);
  expect(Number((await query(path, 'SELECT count(*) AS n FROM silver_socket_samples'))[0]!['n'])).toBeGreaterThan(0);
  // Agents ship no raw /proc files.
  expect(await perHost(path, 'bronze_proc_samples')).toEqual({});
  // Each sample's message is recorded, with no events.
  expect(await query(path, 'SELECT count(*) AS n, sum(events) AS events FROM fleet_messages')).toEqual([
    { n: total, events: 0 },
  ]);
  // Gold's process facts are built from them at the end of the run, per host.
  expect(Object.keys(await perHost(path, 'gold_fact_process'))).toEqual(['db.1', 'web1']);
  expect(await perHost(path, 'gold_fact_process')).toEqual(processes);
  // The process view names each process of its own host (both hosts sample this machine: the same pids).
  expect(await perHost(path, 'process_usage')).toEqual(processes);

  // More samples, then a second run on the same store and durable: only the new ones are stored.
  const second = await sampleHosts(['web1'], first['web1']! + 2);
  const again = await collect(path, 'samples');
  expect(again.stats().samples).toBe(second['web1']);
  const all = add(first, second);
  expect(await perHost(path, 'silver_system_samples')).toEqual(all);
  const distinct = await query(
    path,
    'SELECT count(*) AS n FROM (SELECT DISTINCT host, sampled_at FROM silver_system_samples)',
  );
  expect(Number(distinct[0]!['n'])).toBe(Object.values(all).reduce((a, b) => a + b, 0));
});

it('does not store again a sample its earlier unfinished run stored and did not ack', async () => {
  const durable = 'crashed';
  const path = join(dir, 'crashed.duckdb');
  // A collector that committed the first sample and died before acking it.
  const [filter] = sampleDurables(durable, undefined);
  const jsm = await jetstreamManager(nats.connection);
  await jsm.consumers.add(FLEET_STREAM, {
    durable_name: filter!.durable,
    ack_policy: AckPolicy.Explicit,
    filter_subject: filter!.subject,
  });
  const consumer = await jetstream(nats.connection).consumers.get(FLEET_STREAM, filter!.durable);
  const fetched: JsMsg[] = [];
  for await (const message of await consumer.fetch({ max_messages: 1, expires: 1000 })) fetched.push(message);
  const died = await openCollectorStore(path, { durable });
  died.sample(fetched[0]!.info, decodeSample(fetched[0]!.data));
  await died.commit();
  await died.abort();
  fetched[0]!.nak();

  const store = await collect(path, durable);
  const inStream = await perHostInStream();
  expect(store.stats()).toMatchObject({ alreadyStored: 1, resumedRuns: 1 });
  // The killed run's sample has its gold facts, in that run, built by the run that resumed it.
  const facts = (table: string) => query(path, `SELECT count(*) AS n FROM ${table} WHERE run_id = '${died.runId}'`);
  expect(await facts('gold_fact_process')).toEqual(await facts('silver_process_samples'));
  expect((await facts('gold_fact_process'))[0]!['n']).toBeGreaterThan(0);
  expect(store.stats().samples).toBe(Object.values(inStream).reduce((a, b) => a + b, 0) - 1);
  expect(await perHost(path, 'silver_system_samples')).toEqual(inStream);
});

it('stores the samples as they come while following, each once', async () => {
  const path = join(dir, 'follow.duckdb');
  const store = await openCollectorStore(path, { durable: 'follow' });
  const collector = new Collector({ connection: nats.connection, durable: 'follow', store });
  const following = new AbortController();
  const running = collector.run(following.signal);
  await sampleHosts(['edge.1'], 3);
  const inStream = await perHostInStream();
  const total = Object.values(inStream).reduce((a, b) => a + b, 0);
  while (store.stats().samples < total) await sleep(50);
  following.abort();
  await running;
  await store.finish(await collector.result());
  expect(store.stats().samples).toBe(total);
  expect(await perHost(path, 'silver_system_samples')).toEqual(inStream);
});

it("stores each host's samples in the collector owning its host partition", async () => {
  // web1 is in partition 0 and web2 in 9: one for each half.
  expect([hostPartition('web1') % 2, hostPartition('web2') % 2]).toEqual([0, 1]);
  await sampleHosts(['web2'], 2);
  const inStream = await perHostInStream();
  const even = join(dir, 'even.duckdb');
  const odd = join(dir, 'odd.duckdb');
  await collect(even, 'shared', { index: 0, count: 2 });
  await collect(odd, 'shared', { index: 1, count: 2 });
  const evens = await perHost(even, 'silver_system_samples');
  const odds = await perHost(odd, 'silver_system_samples');
  for (const host of Object.keys(evens)) expect(hostPartition(host) % 2).toBe(0);
  for (const host of Object.keys(odds)) expect(hostPartition(host) % 2).toBe(1);
  // Together, every sample once.
  expect(add(evens, odds)).toEqual(inStream);
  expect(Object.keys(evens)).toContain('web1');
  expect(Object.keys(odds)).toContain('web2');
});

it('counts and acks what is not a sample of its host, and stores the rest', async () => {
  const js = jetstream(nats.connection);
  const good = fleetSample('db2', new ProcSampler().sample(), 1000);
  await js.publish(samplesSubject('db2'), Buffer.from('not gzip'));
  // A valid sample published as another host.
  await js.publish(samplesSubject('bad1'), encodeSample(good));
  // Bounds a store needs: a pid past Linux's and a time no timestamp holds.
  const pid = { ...good.processes[0]!, pid: 2 ** 31 };
  await js.publish(samplesSubject('db2'), encodeSample({ ...good, processes: [pid] }));
  await js.publish(samplesSubject('db2'), encodeSample({ ...good, at: 1e300 }));
  // An agent from before partitions, on the old subject: read by a collector without a share.
  await js.publish(fleetSubject('samples', 'db2'), encodeSample(good));
  const path = join(dir, 'bad.duckdb');
  const store = await collect(path, 'bad');
  expect(store.stats().notSamples).toBe(4);
  // Every other sample of the stream is stored, and db2's one good one.
  const expected: Record<string, number> = { ...(await perHostInStream()), db2: 1 };
  delete expected['bad1'];
  expect(await perHost(path, 'silver_system_samples')).toEqual(expected);
  const info = await (await jetstream(nats.connection).consumers.get(FLEET_STREAM, 'bad-samples')).info();
  expect([info.num_pending, info.num_ack_pending]).toEqual([0, 0]);
});

it("finds the processes of an agent's host that held a fleet case's connections (suspect_processes)", async () => {
  // gw1's log has the brute force of 203.0.113.50, and its sample a connection from it held by sshd.
  await new Agent({ connection: nats.connection, host: 'gw1' }).ship([AUTH_LOG], TIME);
  const taken = fleetSample('gw1', new ProcSampler().sample(), 1000);
  const sshd = { ...taken.processes[0]!, pid: 4101, name: 'sshd', cmdline: 'sshd: admin [priv]' };
  const socket = { ...taken.sockets[0]!, remoteAddress: '203.0.113.50', remotePort: 51234, state: 'ESTABLISHED' };
  const sample = { ...taken, processes: [sshd], sockets: [{ ...socket, pid: 4101, ownerPids: [4101] }] };
  await jetstream(nats.connection).publish(samplesSubject('gw1'), encodeSample(sample));
  const path = join(dir, 'suspects.duckdb');
  await collect(path, 'suspects');
  const rows = await query(path, "SELECT host, pid, name, samples FROM suspect_processes WHERE ip = '203.0.113.50'");
  expect(rows).toEqual([{ host: 'gw1', pid: 4101, name: 'sshd', samples: 1 }]);
});
