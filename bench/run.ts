/**
 * `npm run bench`: runs every `bench/*.bench.ts` (or those named on the command
 * line) and prints one table of figures. Benchmarks are never part of `npm test`.
 *
 * A benchmark module exports `name` and `run()`, which resolves to its figures.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export interface Figure {
  /** What was measured, e.g. "parse auth.log (1,000,000 lines)". */
  measure: string;
  value: number;
  unit: string;
  /** Context for the reader: the peer tool's figure, the ratio, the input size. */
  note?: string;
}

export interface Benchmark {
  name: string;
  run(): Promise<Figure[]>;
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const files = readdirSync(__dirname)
    .filter((file) => file.endsWith('.bench.ts'))
    .filter((file) => only.length === 0 || only.some((name) => file.startsWith(name)))
    .sort();
  if (files.length === 0) {
    console.log('no benchmarks matched');
    return;
  }
  for (const file of files) {
    const bench = (await import(join(__dirname, file))) as Benchmark;
    console.log(`\n## ${bench.name}`);
    for (const figure of await bench.run()) {
      const value = figure.value.toLocaleString('en-US', { maximumFractionDigits: 2 });
      console.log(`${figure.measure}: ${value} ${figure.unit}${figure.note ? `  (${figure.note})` : ''}`);
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
