/**
 * The event tracer's throughput and memory: a generated mixed stream of
 * 1,000,000 events (sshd failures, administrators' logins,
 * fail2ban bans and unbans, HTTP requests with some 502s, application errors
 * naming refused connections, database checkpoints, an OOM kill now and then),
 * one simulated day at ~12 events per second. Events are built in batches of
 * 50,000 outside the timed section, so the figure is the tracer's own:
 * `ingest` of every event, then `finish()` (chains concluded and published).
 * Two runs: 5,000 distinct addresses (within `eventMaxIps`) and 50,000
 * (five times over it: every new address evicts one). Peak RSS is the
 * process's, which shows that memory follows the limits (distinct addresses,
 * minutes), not the number of events.
 *
 * Then following (`serve`, `watch`): 2,000 flagged addresses with 20 failures
 * each, and 200 flushes, each after 10 new events of one address; the figure
 * is the mean time of a flush (one timeline and one address's chains rebuilt).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { type LogEvent, createEvent } from '../src/core/event';
import { standaloneContext } from '../src/core/tracer';
import { EventTracer } from '../src/tracers/event';
import { DEFAULT_EVENT_LIMITS } from '../src/tracers/event/limits';
import type { Figure } from './run';

export const name = 'event';

// A full collection on demand, to measure what the tracer retains (not garbage waiting to be collected).
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

function heapMiB(): number {
  collect();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

const TOTAL = 1_000_000;
const BATCH = 50_000;
const START = Date.parse('2026-03-14T00:00:00Z');
const STEP_MS = 86;

function generator(seed: number, addresses: number): (i: number) => LogEvent {
  let state = seed >>> 0;
  const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) >>> 8;
  const ipOf = (n: number) => `198.${18 + ((n >> 16) & 1)}.${(n >> 8) & 255}.${n & 255}`;
  return (i) => {
    const t = START + i * STEP_MS;
    const roll = next() % 1000;
    const ip = ipOf(next() % addresses);
    const base = { source: 'bench.log', line: i + 1, timestamp: t };
    if (roll < 350) {
      return createEvent({
        ...base,
        raw: `Failed password for root from ${ip} port 4242 ssh2`,
        service: 'ssh',
        program: 'sshd',
        action: 'auth.failure',
        outcome: 'failure',
        hostile: true,
        ip,
        user: 'root',
        message: `Failed password for root from ${ip} port 4242 ssh2`,
      });
    }
    if (roll < 400) {
      return createEvent({
        ...base,
        raw: `pam_unix(sshd:auth): authentication failure; rhost=${ip}`,
        service: 'ssh',
        action: 'auth.failure',
        hostile: true,
        ip,
        message: `pam_unix(sshd:auth): authentication failure; rhost=${ip}`,
      });
    }
    if (roll < 420) {
      // Administrators: a few private addresses that log in and never fail.
      const admin = `10.0.0.${1 + (roll % 20)}`;
      return createEvent({
        ...base,
        raw: `Accepted publickey for deploy from ${admin}`,
        service: 'ssh',
        action: 'auth.success',
        outcome: 'success',
        ip: admin,
        user: 'deploy',
        message: `Accepted publickey for deploy from ${admin} port 4242 ssh2`,
      });
    }
    if (roll < 430) {
      const ban = roll < 425;
      return createEvent({
        ...base,
        raw: `[sshd] ${ban ? 'Ban' : 'Unban'} ${ip}`,
        service: 'fail2ban',
        action: ban ? 'ip.ban' : 'ip.unban',
        hostile: ban,
        ip,
        fields: { jail: 'sshd' },
        message: `[sshd] ${ban ? 'Ban' : 'Unban'} ${ip}`,
      });
    }
    if (roll < 900) {
      const status = roll < 435 ? 502 : roll < 600 ? 404 : 200;
      return createEvent({
        ...base,
        raw: `${ip} - - "GET /products/ HTTP/1.1" ${status} 512`,
        service: 'http',
        format: 'access',
        action: 'http.request',
        outcome: status >= 400 ? 'failure' : 'success',
        ip,
        fields: { status, path: '/products/' },
        message: 'GET /products/ HTTP/1.1',
      });
    }
    if (roll < 940) {
      return createEvent({
        ...base,
        raw: 'Internal Server Error: /api/orders/\nTraceback (most recent call last):\npsycopg2.OperationalError: could not connect to server: Connection refused\n\tIs the server running on host "127.0.0.1" and accepting\n\tTCP/IP connections on port 5432?',
        service: 'django',
        level: 'error',
        message: 'Internal Server Error: /api/orders/',
      });
    }
    if (roll < 999) {
      return createEvent({
        ...base,
        raw: 'checkpoint complete: wrote 412 buffers',
        service: 'postgresql',
        level: 'info',
        message: 'checkpoint complete: wrote 412 buffers',
      });
    }
    return createEvent({
      ...base,
      raw: `Out of memory: Killed process ${2000 + (i % 5000)} (gunicorn)`,
      service: 'kernel',
      level: 'error',
      action: 'oom.kill',
      message: `Out of memory: Killed process ${2000 + (i % 5000)} (gunicorn) total-vm:1845632kB`,
    });
  };
}

async function scenario(addresses: number): Promise<Figure[]> {
  const heapBefore = heapMiB();
  const tracer = new EventTracer();
  const ctx = standaloneContext(tracer);
  tracer.attach(ctx);
  const make = generator(7, addresses);
  let ingestNs = 0n;
  for (let from = 0; from < TOTAL; from += BATCH) {
    const batch: LogEvent[] = [];
    for (let i = from; i < Math.min(TOTAL, from + BATCH); i++) batch.push(make(i));
    const start = process.hrtime.bigint();
    for (const event of batch) tracer.ingest(event);
    ingestNs += process.hrtime.bigint() - start;
  }
  const finishStart = process.hrtime.bigint();
  await tracer.finish();
  await ctx.bus.settled();
  const finishNs = process.hrtime.bigint() - finishStart;
  const ingestS = Number(ingestNs) / 1e9;
  const finishS = Number(finishNs) / 1e9;
  const stats = tracer.stats();
  const chains = ctx.bus.findings('event.chain').length;
  const retained = heapMiB() - heapBefore;
  const label = `${TOTAL.toLocaleString('en-US')} events, ${addresses.toLocaleString('en-US')} addresses`;
  return [
    { measure: `ingest (${label})`, value: TOTAL / ingestS, unit: 'events/s', note: `${ingestS.toFixed(2)} s` },
    {
      measure: `ingest + finish (${label})`,
      value: TOTAL / (ingestS + finishS),
      unit: 'events/s',
      note: `finish ${finishS.toFixed(2)} s, ${chains.toLocaleString('en-US')} chains`,
    },
    {
      measure: `heap retained by the tracer and its findings (${label})`,
      value: retained,
      unit: 'MiB',
      note: 'after a full GC',
    },
    {
      measure: `peak RSS after ${label}`,
      value: process.resourceUsage().maxRSS / 1024,
      unit: 'MiB',
      note: `${tracer.trackedIps.toLocaleString('en-US')} addresses tracked (eventMaxIps ${stats.limits.eventMaxIps.toLocaleString('en-US')}), ${stats.evictions.ips.toLocaleString('en-US')} evictions`,
    },
  ];
}

async function following(): Promise<Figure[]> {
  const ADDRESSES = 2000;
  const FLUSHES = 200;
  const tracer = new EventTracer();
  const ctx = standaloneContext(tracer);
  tracer.attach(ctx);
  const ipOf = (n: number) => `198.18.${(n >> 8) & 255}.${n & 255}`;
  let line = 0;
  const failure = (ip: string) =>
    createEvent({
      source: 'bench.log',
      line: ++line,
      timestamp: START + line * STEP_MS,
      raw: `Failed password for root from ${ip} port 4242 ssh2`,
      service: 'ssh',
      program: 'sshd',
      action: 'auth.failure',
      outcome: 'failure',
      hostile: true,
      ip,
      user: 'root',
      message: `Failed password for root from ${ip} port 4242 ssh2`,
    });
  for (let n = 0; n < ADDRESSES; n++) for (let i = 0; i < 20; i++) tracer.ingest(failure(ipOf(n)));
  for (let n = 0; n < ADDRESSES; n++) {
    const ip = ipOf(n);
    ctx.bus.publish({
      kind: 'ip.threat',
      key: ip,
      tracer: 'ip',
      data: {
        ip,
        score: 80,
        reasons: [],
        type: 'public',
        blacklisted: false,
        firstSeen: null,
        lastSeen: null,
        counts: {},
        services: ['ssh'],
      },
    });
  }
  await ctx.bus.settled();
  tracer.flush();
  let flushNs = 0n;
  for (let f = 0; f < FLUSHES; f++) {
    const ip = ipOf(f % ADDRESSES);
    for (let i = 0; i < 10; i++) tracer.ingest(failure(ip));
    const start = process.hrtime.bigint();
    tracer.flush();
    flushNs += process.hrtime.bigint() - start;
  }
  return [
    {
      measure: `flush while following (${ADDRESSES.toLocaleString('en-US')} flagged addresses, 10 new events of one)`,
      value: Number(flushNs) / 1e6 / FLUSHES,
      unit: 'ms',
      note: `mean of ${FLUSHES} flushes`,
    },
  ];
}

export async function run(): Promise<Figure[]> {
  const rssBefore = process.memoryUsage().rss / 2 ** 20;
  // Within the limits first (no eviction), then five times more addresses than eventMaxIps (constant eviction).
  const within = await scenario(Math.floor(DEFAULT_EVENT_LIMITS.eventMaxIps / 2));
  const beyond = await scenario(DEFAULT_EVENT_LIMITS.eventMaxIps * 5);
  return [{ measure: 'RSS before', value: rssBefore, unit: 'MiB' }, ...within, ...beyond, ...(await following())];
}
