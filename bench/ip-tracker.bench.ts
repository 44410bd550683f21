/**
 * The IP tracker under load: events per second through `IpTracer.ingest`, and
 * memory with 1,000,000 distinct attacking addresses against the default cap
 * of 100,000 tracked addresses (peak RSS sampled, evictions counted, and
 * whether the heavy hitters survived eviction).
 */
import { spawnSync } from 'node:child_process';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createEvent } from '../src/core/event';
import { IpTracer, DEFAULT_MAX_IPS } from '../src/tracers/ip';
import type { Figure } from './run';

export const name = 'ip-tracker';

const T0 = Date.UTC(2026, 0, 1);

/** A deterministic stream of addresses spread over the IPv4 space (an LCG, full period mod 2^32). */
function address(i: number): string {
  const x = (Math.imul(i, 2654435761) + 12345) >>> 0;
  // Keep out of 0/8, 10/8, 127/8 and multicast so every address is public-looking.
  const a = 1 + ((x >>> 24) % 222);
  const first = a === 10 || a === 127 ? a + 1 : a;
  return `${first}.${(x >>> 16) & 255}.${(x >>> 8) & 255}.${x & 255}`;
}

function failure(ip: string, at: number, line: number, user: string) {
  return createEvent({
    source: '/var/log/auth.log',
    line,
    raw: '',
    service: 'ssh',
    program: 'sshd',
    action: 'auth.failure',
    outcome: 'failure',
    hostile: true,
    ip,
    user,
    timestamp: at,
  });
}

/** A full garbage collection, to measure what is live rather than what V8 has not collected yet. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

function mb(bytes: number): number {
  return Math.round(bytes / 1024 / 1024);
}

async function throughput(): Promise<Figure[]> {
  // 20,000 attackers, 25 events each, interleaved: the realistic shape of a busy auth.log.
  const ips = Array.from({ length: 20_000 }, (_, i) => address(i));
  const events = [];
  for (let round = 0; round < 25; round++) {
    for (let i = 0; i < ips.length; i++) {
      events.push(failure(ips[i]!, T0 + (round * ips.length + i) * 10, events.length + 1, `user${round % 7}`));
    }
  }
  const tracer = new IpTracer();
  const start = process.hrtime.bigint();
  for (const event of events) tracer.ingest(event);
  tracer.finish();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return [
    {
      measure: `ingest ${events.length.toLocaleString('en-US')} sshd failures from 20,000 addresses`,
      value: events.length / seconds,
      unit: 'events/s',
      note: `${tracer.stats().blacklisted} blacklisted, ${seconds.toFixed(2)} s`,
    },
  ];
}

async function millionAddresses(): Promise<Figure[]> {
  collectGarbage();
  const baseline = process.memoryUsage().rss;
  const baseHeap = process.memoryUsage().heapUsed;
  let peak = baseline;
  const sample = () => {
    const rss = process.memoryUsage().rss;
    if (rss > peak) peak = rss;
  };
  const tracer = new IpTracer();
  const distinct = 1_000_000;
  // One address in 100 is a heavy hitter (6 failures within minutes: blacklisted); the rest try twice.
  const heavy: string[] = [];
  let line = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < distinct; i++) {
    const ip = address(i);
    const at = T0 + i * 80;
    const tries = i % 100 === 0 ? 6 : 2;
    if (tries === 6) heavy.push(ip);
    for (let t = 0; t < tries; t++) tracer.ingest(failure(ip, at + t * 1000, ++line, t % 2 ? 'root' : 'admin'));
    if (i % 10_000 === 0) sample();
  }
  tracer.finish();
  sample();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const stats = tracer.stats();
  const kept = heavy.filter((ip) => tracer.profile(ip)?.blacklisted).length;
  collectGarbage();
  const live = process.memoryUsage().heapUsed - baseHeap;
  return [
    {
      measure: '1,000,000 distinct attacking addresses: peak RSS',
      value: mb(peak),
      unit: 'MB',
      note: `baseline ${mb(baseline)} MB, growth ${mb(peak - baseline)} MB; cap ${DEFAULT_MAX_IPS.toLocaleString('en-US')} tracked`,
    },
    {
      measure: '1,000,000 distinct attacking addresses: live heap after finish',
      value: mb(live),
      unit: 'MB',
      note: `${Math.round(live / stats.tracked)} bytes per tracked address, findings included`,
    },
    { measure: '1,000,000 distinct attacking addresses: tracked at the end', value: stats.tracked, unit: 'addresses' },
    {
      measure: '1,000,000 distinct attacking addresses: evicted',
      value: stats.evicted,
      unit: 'addresses',
      note: `highest score evicted ${stats.evictedMaxScore}`,
    },
    {
      measure: '1,000,000 distinct attacking addresses: blacklisted heavy hitters kept',
      value: kept,
      unit: `of ${heavy.length.toLocaleString('en-US')}`,
    },
    {
      measure: '1,000,000 distinct attacking addresses: ingest rate',
      value: line / seconds,
      unit: 'events/s',
      note: `${line.toLocaleString('en-US')} events in ${seconds.toFixed(1)} s`,
    },
  ];
}

/** Old-space cap of the constrained run: the tracker must finish within it. */
const HEAP_CAP_MB = 384;

/** The million-address run again in a child whose V8 heap is capped: it completes only if memory stays bounded. */
function millionAddressesCapped(): Figure[] {
  const child = spawnSync(process.execPath, [`--max-old-space-size=${HEAP_CAP_MB}`, '--import', 'tsx', __filename], {
    env: { ...process.env, IP_TRACKER_BENCH_CHILD: '1' },
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (child.status !== 0) {
    return [
      {
        measure: `1,000,000 addresses under --max-old-space-size=${HEAP_CAP_MB}`,
        value: 0,
        unit: 'FAILED',
        note: child.stderr.slice(-300),
      },
    ];
  }
  const figures = JSON.parse(child.stdout) as Figure[];
  return figures.map((figure) => ({ ...figure, measure: `${figure.measure} (heap capped at ${HEAP_CAP_MB} MB)` }));
}

export async function run(): Promise<Figure[]> {
  // The million first: its RSS baseline must not include the throughput run's garbage.
  return [...(await millionAddresses()), ...millionAddressesCapped(), ...(await throughput())];
}

if (process.env.IP_TRACKER_BENCH_CHILD) {
  void millionAddresses().then((figures) => process.stdout.write(JSON.stringify(figures)));
}
