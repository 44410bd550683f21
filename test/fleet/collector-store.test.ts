/**
 * `collect --store` against a real nats-server and a real DuckDB file: every
 * consumed event is stored once, with its agent's host id; a message the store
 * already holds is not stored again when it is redelivered; and a collector
 * SIGKILLed in the middle of a 100,000-event replay, started again, leaves
 * every event in the store exactly once.
 */
import { AckPolicy, type JsMsg, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { generateAuthLog } from '../../bench/generate-logs';
import type { Case } from '../../src/core/case';
import { Agent } from '../../src/fleet/agent';
import { decodeBatch } from '../../src/fleet/batch';
import { Collector } from '../../src/fleet/collector';
import { openCollectorStore } from '../../src/fleet/collector-store';
import { ALL_EVENTS, FLEET_STREAM } from '../../src/fleet/subjects';
import { openStore } from '../../src/store/store';
import { cli } from '../helpers/cli';
import { type NatsServer, startNatsServer, useNatsServer } from '../helpers/nats-server';

const ROOT = join(__dirname, '..', '..');
const AUTH_LOG = join(__dirname, '../fixtures/logs/auth.log');
const TIME = { timezone: 'UTC', referenceDate: Date.parse('2026-12-31T00:00:00Z') };
const TIME_FLAGS = ['--timezone', 'UTC', '--reference-date', '2026-12-31'];

let dir: string;
const nats = useNatsServer();
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'logsleuth-collector-store-'));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
});

async function one(path: string, sql: string): Promise<unknown> {
  const store = await openStore(path, { readOnly: true });
  try {
    const rows = await store.query(sql);
    return Object.values(rows[0]!)[0];
  } finally {
    store.close();
  }
}

/** The byte offset where each line of `text` starts. */
function lineOffsets(text: string): number[] {
  const offsets: number[] = [];
  for (let at = 0; at < text.length; at = text.indexOf('\n', at) + 1) offsets.push(at);
  return offsets;
}

it('stores every consumed event with its agent host id, and the fleet cases at the end', async () => {
  await new Agent({ connection: nats.connection, host: 'edge1', batchSize: 7 }).ship([AUTH_LOG], TIME);
  const path = join(dir, 'once.duckdb');
  const outcome = await cli(['collect', '--nats', nats.server.url, '--durable', 'once', '--store', path, '--json']);
  expect(outcome.code).toBe(0);
  const lines = readFileSync(AUTH_LOG, 'utf8').split('\n').filter(Boolean).length;
  // Batches of at most 7 events, cut per partition too.
  expect(outcome.stderr).toContain(`stored ${lines} events of `);
  expect(await one(path, "SELECT count(*) FROM silver_events WHERE host = 'edge1'")).toBe(lines);
  expect(await one(path, "SELECT count(*) FROM bronze_lines WHERE host = 'edge1'")).toBe(lines);
  expect(await one(path, 'SELECT count(*) FROM fleet_events')).toBe(lines);
  expect(await one(path, 'SELECT sum(events) FROM fleet_messages')).toBe(lines);
  expect(await one(path, 'SELECT count(*) FROM gold_cases')).toBe(
    (JSON.parse(outcome.stdout) as { cases: unknown[] }).cases.length,
  );
  // --no-raw leaves bronze out.
  const bare = join(dir, 'bare.duckdb');
  expect(
    (await cli(['collect', '--nats', nats.server.url, '--durable', 'bare', '--store', bare, '--no-raw'])).code,
  ).toBe(0);
  expect(await one(bare, 'SELECT count(*) FROM silver_events')).toBe(lines);
  expect(await one(bare, 'SELECT count(*) FROM bronze_lines')).toBe(0);
});

it('does not store or ingest again a redelivered message its earlier unfinished run stored', async () => {
  const durable = 'redelivered';
  const jsm = await jetstreamManager(nats.connection);
  await jsm.consumers.add(FLEET_STREAM, {
    durable_name: durable,
    ack_policy: AckPolicy.Explicit,
    filter_subject: ALL_EVENTS,
  });
  const path = join(dir, 'redelivered.duckdb');
  // A collector that committed the first message's events and died before acking it.
  const consumer = await jetstream(nats.connection).consumers.get(FLEET_STREAM, durable);
  const fetched: JsMsg[] = [];
  for await (const message of await consumer.fetch({ max_messages: 1, expires: 1000 })) fetched.push(message);
  const first = fetched[0]!;
  const died = await openCollectorStore(path, { durable });
  const batch = decodeBatch(first.data);
  for (const event of batch.events) died.event(batch.host, event, undefined);
  died.stored(first.info, batch);
  await died.commit();
  await died.abort();
  expect(await one(path, 'SELECT count(*) FROM silver_events')).toBe(batch.events.length);
  expect(await one(path, 'SELECT count(*) FROM runs WHERE finished IS NULL')).toBe(1);
  first.nak();

  const store = await openCollectorStore(path, { durable });
  const collector = new Collector({ connection: nats.connection, durable, store });
  const consumed = await collector.drain();
  const result = await collector.result();
  await store.finish(result);
  // The earlier run's events were read back; its message, redelivered, was acked and nothing more.
  expect(store.stats()).toMatchObject({ alreadyStored: 1, resumedRuns: 1, resumedEvents: batch.events.length });
  const total = consumed.events + batch.events.length;
  expect(await one(path, 'SELECT count(*) FROM silver_events')).toBe(total);
  expect(await one(path, 'SELECT count(*) FROM (SELECT DISTINCT host, source, byte_offset FROM silver_events)')).toBe(
    total,
  );
  expect(await one(path, `SELECT count(*) FROM silver_events WHERE run_id = '${store.runId}'`)).toBe(consumed.events);
  expect(await one(path, 'SELECT count(*) FROM fleet_messages')).toBe(consumed.batches + 1);
  // Its cases are those of a collector that read the whole stream at once: nothing missed, nothing counted twice.
  const whole = new Collector({ connection: nats.connection, durable: 'whole' });
  await whole.drain();
  const summary = (cases: Case[]) => cases.map((c) => [c.ip, c.counts, c.timelineTotal, c.score, c.fleet?.score]);
  expect(summary(result.cases)).toEqual(summary((await whole.result()).cases));
  expect(result.cases.length).toBeGreaterThan(0);
});

describe('a collector SIGKILLed in the middle of a 100,000-event replay', () => {
  const LINES = 100_000;
  let replay: NatsServer;
  beforeAll(async () => (replay = await startNatsServer()));
  afterAll(async () => replay.stop());

  /** `logsleuth collect` as a real process, in its own process group (tsx's loader thread is in it too). */
  function startCollect(store: string): ChildProcess {
    const args = ['collect', '--nats', replay.url, '--durable', 'replay', '--store', store];
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/store/record-child.ts', ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: true,
    });
    child.stderr!.resume();
    return child;
  }

  async function groupGone(child: ChildProcess): Promise<void> {
    for (;;) {
      try {
        process.kill(-child.pid!, 0);
      } catch {
        return;
      }
      await sleep(50);
    }
  }

  it('started again, leaves every event in the store exactly once', async () => {
    const log = join(dir, 'replay.log');
    const text = generateAuthLog(LINES);
    writeFileSync(log, text);
    const shipped = await cli(['agent', '--once', log, '--nats', replay.url, '--host-id', 'replay', ...TIME_FLAGS]);
    expect(shipped.stdout).toContain(`replay: ${LINES} events in `);
    const watcher = await connect({ servers: replay.url });
    const jsm = await jetstreamManager(watcher);
    const store = join(dir, 'replay.duckdb');
    const child = startCollect(store);
    try {
      // Killed once it has committed and acked some messages, with messages not even fetched yet.
      for (;;) {
        const info = await jsm.consumers.info(FLEET_STREAM, 'replay').catch(() => undefined);
        if (info && info.ack_floor.stream_seq > 0 && info.num_pending > 0) break;
        if (child.exitCode !== null) throw new Error(`collect exited ${child.exitCode} before it was killed`);
        await sleep(20);
      }
      process.kill(-child.pid!, 'SIGKILL');
      await groupGone(child);
    } finally {
      if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL');
      await watcher.close();
    }
    const beforeRestart = Number(await one(store, 'SELECT count(*) FROM silver_events'));
    expect(beforeRestart).toBeGreaterThan(0);
    expect(beforeRestart).toBeLessThan(LINES);
    expect(await one(store, 'SELECT count(*) FROM runs WHERE finished IS NULL')).toBe(1);

    // Its unacked messages come back after the consumer's ack wait (30 s).
    const again = await cli(['collect', '--nats', replay.url, '--durable', 'replay', '--store', store, '--json']);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain(`${beforeRestart} events read back from 1 unfinished earlier run(s)`);
    expect(await one(store, 'SELECT count(*) FROM silver_events')).toBe(LINES);
    expect(
      await one(store, 'SELECT count(*) FROM (SELECT DISTINCT host, source, byte_offset FROM silver_events)'),
    ).toBe(LINES);
    const offsets = await openStore(store, { readOnly: true }).then(async (db) => {
      try {
        const rows = await db.query("SELECT byte_offset FROM fleet_events WHERE host = 'replay' ORDER BY byte_offset");
        return rows.map((row) => row['byte_offset']);
      } finally {
        db.close();
      }
    });
    expect(offsets).toEqual(lineOffsets(text));
    expect(await one(store, 'SELECT count(*) FROM runs WHERE finished IS NOT NULL')).toBe(1);
    // Its investigation saw every event once: those read back and those it consumed make the replay.
    const consumed = Number(/logsleuth: (\d+) events in /.exec(again.stderr)![1]);
    expect(consumed + beforeRestart).toBe(LINES);
    // Its cases count what those of a collector never killed count. Only the order differs (the
    // unacked messages come back last), so order-bound evidence (bursts, success after failures) may too.
    const whole = await cli(['collect', '--nats', replay.url, '--durable', 'whole', '--json']);
    const events = (text: string) =>
      new Map((JSON.parse(text) as { cases: Case[] }).cases.map((c) => [c.ip, c.counts.events]));
    const restarted = events(again.stdout);
    const never = events(whole.stdout);
    const both = [...restarted.keys()].filter((ip) => never.has(ip));
    expect(both.length).toBeGreaterThan(0);
    expect(both.map((ip) => restarted.get(ip))).toEqual(both.map((ip) => never.get(ip)));
  }, 150_000);
});
