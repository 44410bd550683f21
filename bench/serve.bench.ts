/**
 * `logsleuth serve`: the CPU an idle serve costs (sample data read, files
 * followed, /proc sampled every 3 s) and the latency of /api/v1/cases with
 * 10,000 suspects under 10,000 requests from autocannon on 127.0.0.1.
 * BENCH_IDLE_SECONDS shortens the idle measure (default 60).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '../src/serve/serve';
import type { Figure } from './run';

export const name = 'serve';

/** The part of autocannon's API used here (it ships no types). */
interface Cannon {
  (options: { url: string; connections: number; amount: number }): Promise<{
    latency: { p50: number; p99: number };
    requests: { average: number };
    non2xx: number;
  }>;
}
const autocannon = require('autocannon') as Cannon;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitStable(read: () => number): Promise<void> {
  let last = -1;
  for (;;) {
    const now = read();
    if (now > 0 && now === last) return;
    last = now;
    await sleep(500);
  }
}

/** Six failed logins from each of `count` addresses (10.x.y.z would be private: 100.64/10 is shared space). */
function attackers(count: number): string {
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const ip = `198.18.${Math.floor(i / 250)}.${(i % 250) + 1}`;
    for (let k = 0; k < 6; k++)
      lines.push(
        `Mar 14 03:${String(10 + k).padStart(2, '0')}:0${k} web01 sshd[${1000 + k}]: Failed password for root from ${ip} port ${40000 + k} ssh2`,
      );
  }
  return lines.join('\n') + '\n';
}

async function idle(): Promise<Figure[]> {
  const seconds = Number(process.env.BENCH_IDLE_SECONDS ?? 60);
  const serving = await serve({
    inputs: [join(__dirname, '..', 'examples', 'data', '**', '*.log')],
    listen: '127.0.0.1:0',
    timezone: 'UTC',
    referenceDate: Date.parse('2026-12-31T00:00:00Z'),
  });
  await waitStable(() => serving.state.counters().lines);
  await sleep(3500);
  const start = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await sleep(seconds * 1000);
  const used = process.cpuUsage(start);
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  await serving.stop();
  return [
    {
      measure: `idle serve on examples/data, CPU over ${seconds} s`,
      value: (100 * (used.user + used.system)) / 1e6 / wall,
      unit: '% of one core',
      note: 'goal < 3; files polled every 250 ms, /proc sampled every 3 s',
    },
  ];
}

async function cases(): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'logsleuth-serve-bench-'));
  writeFileSync(join(dir, 'auth.log'), attackers(10_000));
  const serving = await serve({
    inputs: [join(dir, 'auth.log')],
    // Live correlation reads /proc's sockets once per new suspect: 10,000 of them at once is its own (slow) measure.
    live: false,
    listen: '127.0.0.1:0',
    timezone: 'UTC',
    referenceDate: Date.parse('2026-12-31T00:00:00Z'),
    rateLimitPerMinute: 10_000_000,
  });
  await waitStable(() => serving.state.counters().lines);
  await sleep(2500);
  const total = serving.state.cases({ limit: 1, offset: 0 }).total;
  const figures: Figure[] = [];
  for (const path of ['/api/v1/cases', '/api/v1/cases?min_score=50&limit=1000']) {
    const result = await autocannon({ url: serving.server.url + path, connections: 10, amount: 10_000 });
    const note = `${total} suspects; ${result.requests.average.toFixed(0)} req/s; ${result.non2xx} non-2xx; 10 connections`;
    figures.push(
      { measure: `GET ${path}, 10,000 requests: p50`, value: result.latency.p50, unit: 'ms', note },
      { measure: `GET ${path}, 10,000 requests: p99`, value: result.latency.p99, unit: 'ms', note: 'goal < 50' },
    );
  }
  await serving.stop();
  return figures;
}

export async function run(): Promise<Figure[]> {
  return [...(await cases()), ...(await idle())];
}
