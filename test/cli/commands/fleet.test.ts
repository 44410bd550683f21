/** `logsleuth agent` then `logsleuth collect` against a real nats-server. */
import { jetstream } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { connect } from '@nats-io/transport-node';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Case } from '../../../src/core/case';
import { cli } from '../../helpers/cli';
import { openStore } from '../../../src/store/store';
import { encodeBatch } from '../../../src/fleet/batch';
import { addressPartition, hostPartition, partitionOf } from '../../../src/fleet/partition';
import { fleetSubject } from '../../../src/fleet/subjects';
import { setTimeout as sleep } from 'node:timers/promises';
import { publishSamples } from '../../../src/fleet/sample-publisher';
import { untilStored } from '../../helpers/fleet-stream';
import { type NatsServer, startNatsServer } from '../../helpers/nats-server';

const ROOT = join(__dirname, '../../..');

const AUTH_LOG = join(__dirname, '../../fixtures/logs/auth.log');
const TIME = ['--timezone', 'UTC', '--reference-date', '2026-12-31'];

describe('logsleuth agent / collect', () => {
  let server: NatsServer;
  beforeAll(async () => (server = await startNatsServer()));
  afterAll(async () => server.stop());

  it("ships a file twice and collects analyze's cases once", async () => {
    const first = await cli(['agent', '--once', AUTH_LOG, '--nats', server.url, '--host-id', 'web1', ...TIME]);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toMatch(/^web1: \d+ events in \d+ batches \(0 already there, 0 too large\)/);
    const again = await cli(['agent', '--once', AUTH_LOG, '--nats', server.url, '--host-id', 'web1', ...TIME]);
    const batches = /in (\d+) batches/.exec(first.stdout)![1];
    expect(again.stdout).toContain(`in ${batches} batches (${batches} already there`);

    const collected = await cli(['collect', '--nats', server.url, '--json']);
    expect(collected.code).toBe(0);
    expect(collected.stderr).toMatch(/from 1 host\(s\) \(web1 \d+\), 0 malformed/);
    const analyzed = await cli(['analyze', AUTH_LOG, '--json', ...TIME]);
    const summary = (text: string) =>
      (JSON.parse(text) as { cases: Case[] }).cases.map((c) => [c.ip, c.counts, c.timelineTotal, c.score]);
    expect(summary(collected.stdout)).toEqual(summary(analyzed.stdout));
    expect(summary(collected.stdout).length).toBeGreaterThan(0);
  });

  it("collect --store keeps the fleet's cases, each host's evidence with them", async () => {
    for (const host of ['web1', 'web2'])
      await cli(['agent', '--once', AUTH_LOG, '--nats', server.url, '--host-id', host, ...TIME]);
    const dir = mkdtempSync(join(tmpdir(), 'logsleuth-collect-store-'));
    try {
      const path = join(dir, 'fleet.duckdb');
      const collected = await cli(['collect', '--nats', server.url, '--durable', 'stored', '--json', '--store', path]);
      expect(collected.code).toBe(0);
      const cases = (JSON.parse(collected.stdout) as { cases: Case[] }).cases;
      const store = await openStore(path, { readOnly: true });
      try {
        expect(await store.query('SELECT command FROM runs WHERE finished IS NOT NULL')).toEqual([
          { command: 'collect' },
        ]);
        const rows = await store.query('SELECT ip, fleet FROM gold_cases');
        expect(rows.map((r) => r['ip']).sort()).toEqual(cases.map((c) => c.ip).sort());
        const several = rows.filter((r) => r['fleet'] !== null);
        expect(several.length).toBeGreaterThan(0);
        const fleet = JSON.parse(String(several[0]!['fleet'])) as { hosts: { host: string }[] };
        const hosts = fleet.hosts.map((h) => h.host).sort();
        expect(hosts).toEqual(['web1', 'web2']);
      } finally {
        store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('follows with --from-start until SIGTERM, ships what the file holds, and saves its place', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'logsleuth-agent-cli-'));
    const log = join(dir, 'auth.log');
    copyFileSync(AUTH_LOG, log);
    const args = ['agent', log, '--nats', server.url, '--host-id', 'cli1', '--from-start', '--state', dir, ...TIME];
    args.push('--sample-interval', '200ms');
    // tsx as a loader in the one process (not its CLI, which relays signals with a 30 ms deadline).
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/store/record-child.ts', ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const nc = await connect({ servers: server.url });
    try {
      // One event per line of this file (syslog has no multi-line records).
      const total = readFileSync(AUTH_LOG, 'utf8').split('\n').filter(Boolean).length;
      const stored = await untilStored(nc, total, 'cli1');
      // One read of the file: one batch per partition its events fall in.
      const partitions = new Set(stored.map((event) => partitionOf(event, hostPartition('cli1'))));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(stderr).toBe('');
      expect(stdout).toContain(`cli1: ${total} events in ${partitions.size} batches (0 already there, 0 too large)`);
      expect(stdout).toContain('0 publish retries, 0 events dropped, 0 unsent');
      expect(stdout).toMatch(
        /\n[1-9]\d* samples published, 0 dropped \(server away or slow\), 0 processes and 0 sockets cut/,
      );
      expect(existsSync(join(dir, 'positions.json'))).toBe(true);
    } finally {
      child.kill('SIGKILL');
      await nc.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('collect --partition 0/2 and 1/2 take every case once, and tell of batches on the old subjects', async () => {
    await cli(['agent', '--once', AUTH_LOG, '--nats', server.url, '--host-id', 'part1', ...TIME]);
    const nc = await connect({ servers: server.url });
    try {
      const old = encodeBatch({ host: 'old1', source: 'old.log', line: 1, events: [] });
      await jetstream(nc).publish(fleetSubject('events', 'old1'), old);
    } finally {
      await nc.close();
    }
    const ips = (text: string) => (JSON.parse(text) as { cases: Case[] }).cases.map((c) => c.ip);
    const whole = await cli(['collect', '--nats', server.url, '--durable', 'part-whole', '--json']);
    const shares = [];
    for (const share of ['0/2', '1/2']) {
      const collected = await cli([
        'collect',
        '--nats',
        server.url,
        '--durable',
        'part',
        '--partition',
        share,
        '--json',
      ]);
      expect(collected.code).toBe(0);
      expect(collected.stderr).toContain(
        '1 message(s) on logsleuth.events.<host> (agents without partitions) left unread:' +
          ' a collector without --partition reads them\n',
      );
      shares.push(ips(collected.stdout));
    }
    for (const [index, share] of shares.entries())
      for (const ip of share) expect(addressPartition(ip)! % 2).toBe(index);
    expect(ips(whole.stdout).length).toBeGreaterThan(0);
    expect([...shares[0]!, ...shares[1]!].sort()).toEqual(ips(whole.stdout).sort());
    expect(whole.stderr).not.toContain('left unread');

    // Alone on its durable, a collector on auto leases every partition, drains them and releases them.
    const leased = await cli([
      'collect',
      '--nats',
      server.url,
      '--durable',
      'part-auto',
      '--partition',
      'auto',
      '--json',
    ]);
    expect(leased.code).toBe(0);
    expect(ips(leased.stdout).sort()).toEqual(ips(whole.stdout).sort());
    const nc2 = await connect({ servers: server.url });
    try {
      const kv = await new Kvm(nc2).open('logsleuth-leases-part-auto');
      expect(await kv.status()).toMatchObject({ ttl: 15_000 });
      const keys: string[] = [];
      for await (const key of await kv.keys()) keys.push(key);
      expect(keys).toEqual([]);
    } finally {
      await nc2.close();
    }
  });

  it.each(['3/2', 'x', '1/0', '0/17', 'Auto'])(
    'refuses --partition %s in one line before connecting',
    async (value) => {
      const outcome = await cli(['collect', '--partition', value, '--nats', 'nats://127.0.0.1:1']);
      expect(outcome.code).toBe(2);
      expect(outcome.stderr).toBe(
        `logsleuth: --partition must be I/N with 0 <= I < N <= 16, or auto, not '${value}'\n`,
      );
    },
  );

  it.each([
    [
      ['--partition', 'auto', '--store', 'x.duckdb'],
      "--partition auto does not go with --store: a taken-over partition's events are in its earlier owner's DuckDB file, which only one process opens at a time; give each collector a fixed share I/N",
    ],
    [['--partition', 'auto', '--lease-ttl', '1s'], "--lease-ttl takes a duration like 15s (at least 3s), not '1s'"],
    [['--partition', 'auto', '--lease-ttl', 'soon'], "--lease-ttl takes a duration like 15s (at least 3s), not 'soon'"],
    [['--partition', '0/2', '--lease-ttl', '5s'], '--lease-ttl goes with --partition auto'],
  ])('refuses collect %j in one line before connecting', async (flags, message) => {
    const outcome = await cli(['collect', ...flags, '--nats', 'nats://127.0.0.1:1']);
    expect(outcome).toMatchObject({ code: 2, stderr: `logsleuth: ${message}\n` });
  });

  it('collect --serve serves the host list until SIGTERM, then prints the report', async () => {
    const nc = await connect({ servers: server.url });
    const controller = new AbortController();
    const sampling = publishSamples({ connection: nc, host: 'served1', signal: controller.signal, intervalMs: 200 });
    const args = ['collect', '--nats', server.url, '--durable', 'served', '--serve', '127.0.0.1:0', '--json'];
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/store/record-child.ts', ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      while (!/serving on (http:\S+)/.test(stderr)) await sleep(25);
      const url = /serving on (http:\S+)/.exec(stderr)![1]!;
      for (;;) {
        const body = (await (await fetch(`${url}/api/v1/hosts`)).json()) as {
          items: { host: string; health: string }[];
        };
        if (body.items.some((h) => h.host === 'served1' && h.health === 'up')) break;
        await sleep(25);
      }
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(stderr).toMatch(/logsleuth: \d+ events in \d+ batches from \d+ host\(s\)/);
      expect((JSON.parse(stdout) as { cases: Case[] }).cases.length).toBeGreaterThan(0);
    } finally {
      child.kill('SIGKILL');
      controller.abort();
      await sampling;
      await nc.close();
    }
  });

  it('collect --serve refuses a non-loopback address without --token', async () => {
    const outcome = await cli(['collect', '--nats', server.url, '--serve', '0.0.0.0:0']);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain('refusing to listen on 0.0.0.0 (not loopback) without --token FILE');
  });

  it('refuses an agent with nothing to follow, and --journal with --once', async () => {
    const nothing = await cli(['agent', '--nats', 'nats://127.0.0.1:1']);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain('nothing to follow: give log paths or --journal');
    const once = await cli(['agent', '--journal', '--once', '--nats', 'nats://127.0.0.1:1']);
    expect(once.code).toBe(2);
    expect(once.stderr).toContain('--journal follows journald: it does not go with --once');
  });

  it.each(['-1', '1.5', 'lots'])('refuses --spool-max %s before connecting', async (value) => {
    const outcome = await cli(['agent', AUTH_LOG, '--spool-max', value, '--nats', 'nats://127.0.0.1:1']);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain(`--spool-max must be a whole number of bytes >= 0, not '${value}'`);
  });

  it.each(['50ms', 'often', '-1s'])('refuses --sample-interval %s before connecting', async (value) => {
    const outcome = await cli(['agent', AUTH_LOG, '--sample-interval', value, '--nats', 'nats://127.0.0.1:1']);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain(
      `--sample-interval takes a duration like 5s or 200ms (at least 100ms), or 0/off, not '${value}'`,
    );
  });

  it('says clearly when the server cannot be reached', async () => {
    const outcome = await cli(['collect', '--nats', 'nats://127.0.0.1:1']);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain('cannot connect to NATS at nats://127.0.0.1:1');
  });

  it('agent --findings publishes its findings, and collect counts them per host', async () => {
    const args = ['agent', '--once', '--findings', AUTH_LOG, '--nats', server.url, '--host-id', 'finder', ...TIME];
    const shipped = await cli(args);
    expect(shipped.code).toBe(0);
    const published = Number(
      /\n(\d+) findings published \(0 already there\), 0 dropped, 0 unsent\n/.exec(shipped.stdout)?.[1],
    );
    expect(published).toBeGreaterThan(0);
    expect((await cli(args)).stdout).toContain(`0 findings published (${published} already there)`);
    const collected = await cli(['collect', '--nats', server.url, '--durable', 'finding-counter']);
    expect(collected.stderr).toContain(
      `logsleuth: ${published} agent finding(s) from 1 host(s) (finder ${published})\n`,
    );
  });
});
