/**
 * `logsleuth serve`: the CPU an idle serve costs (sample data read, files
 * followed, /proc sampled every 3 s) and the latency of /api/v1/cases with
 * 10,000 suspects under 10,000 requests from autocannon on 127.0.0.1.
 * BENCH_IDLE_SECONDS shortens the idle measure (default 60).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseProcStat } from '../src/proc/pid-stat';
import { clockTicks } from '../src/proc/sysconf';
import { LiveState } from '../src/serve/live-state';
import { serve } from '../src/serve/serve';
import { startServer } from '../src/serve/server';
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

/** This process's CPU time so far (utime + stime of /proc/self/stat), in seconds: what `top` charges it. */
function cpuSeconds(): number {
  const stat = parseProcStat(readFileSync('/proc/self/stat', 'utf8'))!;
  return (stat.utime + stat.stime) / clockTicks();
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
  const start = cpuSeconds();
  const t0 = process.hrtime.bigint();
  await sleep(seconds * 1000);
  const used = cpuSeconds() - start;
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  await serving.stop();
  return [
    {
      measure: `idle serve on examples/data, CPU over ${seconds} s (/proc/self/stat utime + stime)`,
      value: (100 * used) / wall,
      unit: '% of one core',
      note: 'goal < 3; before the idle fixes of docs/performance.md: 3.45; files polled every 250 ms, /proc sampled every 3 s',
    },
  ];
}

/**
 * 10,000 suspects put straight into a LiveState as the IP tracer's verdicts: following a log
 * with 10,000 attackers through the tracers takes minutes in watch mode (see the closing
 * note), and this measure is about the server.
 */
async function cases(): Promise<Figure[]> {
  const state = new LiveState();
  for (let i = 0; i < 10_000; i++) {
    const ip = `198.18.${Math.floor(i / 250)}.${(i % 250) + 1}`;
    const score = 40 + (i % 61);
    state.onFinding({
      kind: score >= 70 ? 'ip.blacklisted' : 'ip.threat',
      key: ip,
      tracer: 'ip',
      at: Date.now(),
      depth: 0,
      data: {
        ip,
        score,
        blacklisted: score >= 70,
        type: 'special',
        firstSeen: '2026-03-14T03:10:00.000Z',
        lastSeen: '2026-03-14T03:15:05.000Z',
        counts: { failedLogins: 6, events: 6 },
        services: ['ssh'],
        reasons: [
          { code: 'auth_failures', text: '6 hostile authentication events (6 failed logins)', points: 25 },
          { code: 'burst', text: '6 hostile events within 10 minutes', points: score - 25 },
        ],
      },
    });
  }
  const server = await startServer({ source: state, listen: '127.0.0.1:0', rateLimitPerMinute: 10_000_000 });
  const total = state.cases({ limit: 1, offset: 0 }).total;
  const figures: Figure[] = [];
  for (const path of ['/api/v1/cases', '/api/v1/cases?min_score=50&limit=1000']) {
    const result = await autocannon({ url: server.url + path, connections: 10, amount: 10_000 });
    const note = `${total} suspects; ${result.requests.average.toFixed(0)} req/s; ${result.non2xx} non-2xx; 10 connections`;
    figures.push(
      { measure: `GET ${path}, 10,000 requests: p50`, value: result.latency.p50, unit: 'ms', note },
      { measure: `GET ${path}, 10,000 requests: p99`, value: result.latency.p99, unit: 'ms', note: 'goal < 50' },
    );
  }
  await server.close();
  return figures;
}

export async function run(): Promise<Figure[]> {
  return [...(await cases()), ...(await idle())];
}
