/**
 * The store's costs: `analyze --store` against `analyze` alone on the
 * 1,000,000-line benchmark (goal: at most 25% more time), the store's size
 * per million events. `npm run bench -- store`; the 60 s `record` CPU
 * measurement is its own bench (`npm run bench -- store-record`).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LogEvent } from '../src/core/event';
import { investigate } from '../src/investigate';
import { openStore } from '../src/store/store';
import { writeMixedLogs } from './generate-logs';
import type { Figure } from './run';

export const name = 'store';
const LINES = Number(process.env['STORE_BENCH_LINES'] ?? 1_000_000);

export async function run(): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'logsleuth-store-bench-'));
  try {
    const inputs = Object.values(writeMixedLogs(dir, LINES));
    const options = { inputs, timezone: 'UTC', referenceDate: Date.parse('2026-12-31') };
    let start = performance.now();
    await investigate(options);
    const alone = (performance.now() - start) / 1000;
    const path = join(dir, 'bench.duckdb');
    start = performance.now();
    const store = await openStore(path);
    const writer = await store.startRun({ command: 'analyze', inputs });
    let events = 0;
    const { result } = await investigate({
      ...options,
      onEvent: (event: LogEvent) => {
        events++;
        writer.event(event);
      },
    });
    await writer.finish(result);
    store.close();
    const stored = (performance.now() - start) / 1000;
    const bytes = statSync(path).size;
    return [
      { measure: `analyze (${LINES.toLocaleString('en-US')} lines)`, value: alone, unit: 's' },
      {
        measure: 'analyze --store (raw lines kept)',
        value: stored,
        unit: 's',
        note: `${((100 * (stored - alone)) / alone).toFixed(1)}% more; goal <= 25%`,
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
