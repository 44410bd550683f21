/**
 * The error tracer's throughput and memory bound:
 * - messages/s through the TemplateMiner (the Loghub 2k raw lines, 10 passes);
 * - events/s through full error analysis (ErrorTracer.ingest: recognition,
 *   signatures, recurrence) on the Loghub raw lines plus real error lines;
 * - 100,000 distinct error signatures: peak RSS and evictions, each in a fresh
 *   child process so the peak is that workload's alone.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createEvent } from '../src/core/event';
import { ErrorTracer } from '../src/tracers/error';
import { TemplateMiner } from '../src/tracers/error/template-miner';
import type { Figure } from './run';

export const name = 'errors';

const LOGHUB = join(__dirname, '..', '..', 'shared', 'corpora', 'loghub');
const DATASETS = ['Apache', 'HDFS', 'Zookeeper', 'Proxifier', 'OpenSSH', 'Linux'];

/** The raw lines of the six Loghub 2k logs (headers included), without their CR; none without the corpora. */
function rawLines(): string[] {
  const out: string[] = [];
  for (const dataset of existsSync(LOGHUB) ? DATASETS : []) {
    for (const line of readFileSync(join(LOGHUB, dataset, `${dataset}_2k.log`), 'utf8').split('\n')) {
      const text = line.endsWith('\r') ? line.slice(0, -1) : line;
      if (text.length > 0) out.push(text);
    }
  }
  return out;
}

const ERROR_LINES = [
  'Out of memory: Killed process 4711 (postgres) total-vm:8453124kB, anon-rss:6291456kB',
  "OSError: [Errno 28] No space left on device: '/var/lib/app/cache/item.bin'",
  'ERROR:  duplicate key value violates unique constraint "users_email_key"',
  '2024/03/01 10:00:00 [error] 1234#1234: *5 connect() failed (111: Connection refused) while connecting to upstream, client: 203.0.113.9',
  'php-fpm[12345]: segfault at 0 ip 00007f1c2a3b4c5d sp 00007ffd1e2f3a40 error 4 in libc-2.31.so[7f1c2a300000+1b1000]',
  "PermissionError: [Errno 13] Permission denied: '/etc/app/secrets.yml'",
];

/** A letters-only word for n (numbers would be masked, and every message would share one template). */
function word(n: number): string {
  let out = '';
  let rest = n;
  do {
    out += String.fromCharCode(97 + (rest % 26));
    rest = Math.floor(rest / 26);
  } while (rest > 0);
  return out;
}

/** Runs in the child: ingests `count` distinct signatures and reports peak RSS and evictions. */
function distinctSignatures(count: number, maxSignatures: number | undefined): Record<string, number> {
  const tracer = new ErrorTracer({ checkHost: false, ...(maxSignatures ? { maxSignatures } : {}) });
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const service = word(i % 100);
    tracer.ingest(
      createEvent({
        source: 'bench.log',
        line: i + 1,
        raw: `${service} open ${word(i)} ${word(i * 7 + 3)}: Permission denied`,
        timestamp: 1_700_000_000_000 + i * 1000,
        service,
        level: 'error',
      }),
    );
  }
  const seconds = (performance.now() - start) / 1000;
  const peakRssMiB = process.resourceUsage().maxRSS / 1024;
  // What the tracer keeps, without the garbage the peak includes (the child runs with --expose-gc);
  // the tracer is read after the collection, so it is still alive during it.
  const retainedHeapMiB = heapAfterGc();
  const stats = tracer.stats();
  return {
    peakRssMiB,
    retainedHeapMiB,
    signatures: stats.signatures,
    evicted: stats.evictedSignatures,
    clusters: stats.clusters,
    evictedClusters: stats.evictedClusters,
    perSecond: count / seconds,
  };
}

function inChild(count: number, maxSignatures: number | undefined): Record<string, number> {
  const output = execFileSync(
    process.execPath,
    ['--expose-gc', ...process.execArgv, __filename, 'child', String(count), String(maxSignatures ?? 0)],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    },
  );
  return JSON.parse(output.trim().split('\n').pop()!) as Record<string, number>;
}

/** Peak RSS and heap after GC of a child that only loads the tracer. */
function baseline(): { rss: number; heap: number } {
  const output = execFileSync(process.execPath, ['--expose-gc', ...process.execArgv, __filename, 'baseline'], {
    encoding: 'utf8',
  });
  return JSON.parse(output.trim().split('\n').pop()!) as { rss: number; heap: number };
}

function heapAfterGc(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / (1024 * 1024);
}

export async function run(): Promise<Figure[]> {
  const figures: Figure[] = [];
  const loghub = rawLines();
  // Without the corpora the figures are measured on the error lines alone, and say so.
  const messages =
    loghub.length > 0
      ? loghub
      : ERROR_LINES.flatMap((line) => Array.from({ length: 2000 }, (_, i) => line.replace('4711', String(4711 + i))));
  const sampleName = loghub.length > 0 ? 'Loghub 2k raw lines (6 datasets)' : 'error lines (Loghub corpora absent)';
  const passes = 10;
  let start = performance.now();
  for (let pass = 0; pass < passes; pass++) {
    const miner = new TemplateMiner();
    for (const message of messages) miner.add(message);
  }
  let seconds = (performance.now() - start) / 1000;
  figures.push({
    measure: `TemplateMiner.add, ${sampleName}`,
    value: (messages.length * passes) / seconds,
    unit: 'messages/s',
    note: `${messages.length * passes} messages, a fresh miner per pass`,
  });

  const events = [
    ...messages,
    ...ERROR_LINES.flatMap((line) => Array.from({ length: 500 }, (_, i) => line.replace('4711', String(4711 + i)))),
  ].map((raw, i) =>
    createEvent({
      source: 'bench.log',
      line: i + 1,
      raw,
      level: i % 3 === 0 ? 'error' : 'info',
      timestamp: 1_700_000_000_000 + i * 250,
    }),
  );
  start = performance.now();
  for (let pass = 0; pass < 5; pass++) {
    const tracer = new ErrorTracer({ checkHost: false });
    for (const event of events) tracer.ingest(event);
    tracer.problems();
  }
  seconds = (performance.now() - start) / 1000;
  figures.push({
    measure: 'ErrorTracer.ingest (recognise, signature, recurrence), Loghub lines + error lines',
    value: (events.length * 5) / seconds,
    unit: 'events/s',
    note: `${events.length * 5} events, a third at level error`,
  });

  const base = baseline();
  figures.push({ measure: 'peak RSS of a child that only loads the tracer', value: base.rss, unit: 'MiB' });
  for (const cap of [undefined, 100_000]) {
    const result = inChild(100_000, cap);
    const label = cap ? `maxSignatures ${cap.toLocaleString('en-US')} (keep all)` : 'default maxSignatures 10,000';
    figures.push({
      measure: `100,000 distinct signatures, ${label}: peak RSS`,
      value: result.peakRssMiB!,
      unit: 'MiB',
      note: `${result.signatures} kept, ${result.evicted} evicted; ${result.clusters} miner clusters, ${result.evictedClusters} evicted; ${Math.round(result.perSecond!)} events/s`,
    });
    figures.push({
      measure: `100,000 distinct signatures, ${label}: heap the tracer retains (after GC, over the loaded baseline)`,
      value: result.retainedHeapMiB! - base.heap,
      unit: 'MiB',
    });
  }
  return figures;
}

if (process.argv[2] === 'child') {
  const cap = Number(process.argv[4]);
  console.log(JSON.stringify(distinctSignatures(Number(process.argv[3]), cap > 0 ? cap : undefined)));
} else if (process.argv[2] === 'baseline') {
  const heap = heapAfterGc();
  console.log(JSON.stringify({ rss: process.resourceUsage().maxRSS / 1024, heap }));
}
