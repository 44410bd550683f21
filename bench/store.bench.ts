/**
 * The store's costs: `logsleuth analyze --store` against `analyze` alone on
 * the 1,000,000-line benchmark (goal: at most 25% more time), the same without
 * the raw lines (`--no-raw`: what bronze_lines costs), the store's size per
 * million events. All run as a user runs them (the build's CLI, in a child,
 * built-in recognisers), alternately, best of STORE_BENCH_RUNS (default 2)
 * each, so the shared machine's load falls on all alike; the load average is
 * given with the figures. `npm run bench -- store.`; the 60 s `record` CPU
 * measurement is its own bench (`npm run bench -- store-record`).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { buildOnce } from './analyze.bench';
import { writeMixedLogs } from './generate-logs';
import type { Figure } from './run';

const CLI = join(__dirname, '..', 'bin', 'logsleuth.js');
const RUNS = Number(process.env['STORE_BENCH_RUNS'] ?? 2);

/** Seconds one `logsleuth analyze` takes, report discarded. */
function analyzeSeconds(inputs: string[], extra: string[]): number {
  const started = process.hrtime.bigint();
  execFileSync(
    process.execPath,
    [CLI, 'analyze', ...inputs, '--json', '--timezone', 'UTC', '--reference-date', '2026-12-31', ...extra],
    { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, LOGSLEUTH_FAIL2BAN: 'off' } },
  );
  return Number(process.hrtime.bigint() - started) / 1e9;
}

async function storedEvents(path: string): Promise<number> {
  const instance = await DuckDBInstance.create(path);
  const connection = await instance.connect();
  const reader = await connection.runAndReadAll('SELECT count(*) FROM silver_events');
  const count = Number(reader.getRows()[0]![0]);
  connection.closeSync();
  instance.closeSync();
  return count;
}

export const name = 'store';
const LINES = Number(process.env['STORE_BENCH_LINES'] ?? 1_000_000);

export async function run(): Promise<Figure[]> {
  buildOnce();
  const dir = mkdtempSync(join(tmpdir(), 'logsleuth-store-bench-'));
  try {
    const inputs = Object.values(writeMixedLogs(dir, LINES));
    const path = join(dir, 'bench.duckdb');
    const storeIn = (extra: string[]): number => {
      rmSync(path, { force: true });
      rmSync(`${path}.wal`, { force: true });
      return analyzeSeconds(inputs, ['--store', path, ...extra]);
    };
    const loadBefore = loadavg()[0]!;
    let alone = Infinity;
    let noRaw = Infinity;
    let stored = Infinity;
    for (let i = 0; i < RUNS; i++) {
      alone = Math.min(alone, analyzeSeconds(inputs, []));
      noRaw = Math.min(noRaw, storeIn(['--no-raw']));
      stored = Math.min(stored, storeIn([]));
    }
    const load = `load ${loadBefore.toFixed(1)} to ${loadavg()[0]!.toFixed(1)}`;
    const more = (seconds: number): string => `${((100 * (seconds - alone)) / alone).toFixed(1)}% more`;
    const events = await storedEvents(path);
    const bytes = statSync(path).size;
    return [
      { measure: `analyze (${LINES.toLocaleString('en-US')} lines)`, value: alone, unit: 's', note: load },
      { measure: 'analyze --store --no-raw', value: noRaw, unit: 's', note: more(noRaw) },
      {
        measure: 'analyze --store (raw lines kept)',
        value: stored,
        unit: 's',
        note: `${more(stored)}; goal <= 25%`,
      },
      {
        measure: 'store size per million events',
        value: ((bytes / events) * 1e6) / 2 ** 20,
        unit: 'MiB',
        note: `${events} events`,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
