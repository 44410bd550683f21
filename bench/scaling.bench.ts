/**
 * Whether `logsleuth analyze --json` scales linearly (issue 14): the CLI runs
 * in a child process (analyze-child.ts, on the build) on generated sshd logs,
 * (a) growing in lines at a fixed number of addresses, then (b) growing in
 * distinct addresses at a fixed number of lines per address. For each run:
 * time per line and peak RSS (VmHWM, the child's own). The CLI's fixed cost
 * (schemas compiled, report written: a one-line log's run) dwarfs the lines of
 * the small runs, so time per line is given both whole and net of it; for each
 * series, the ratio of the largest run's net time per line to the smallest's
 * (linear: no more than about 1).
 *
 * Sizes are chosen by environment variables, so a quick run is possible:
 * `SCALING_LINES=10000,100000 SCALING_ADDRESSES=100,1000 npm run bench -- scaling`.
 * - `SCALING_LINES`: line counts of series (a), default 10000,100000,1000000
 * - `SCALING_FIXED_ADDRESSES`: its addresses, default 1000
 * - `SCALING_ADDRESSES`: address counts of series (b), default 100,1000,10000,100000
 * - `SCALING_LINES_PER_ADDRESS`: its lines per address, default 10
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildOnce, inChild } from './analyze.bench';
import { writeSshdLog } from './generate-logs';
import type { Figure } from './run';

export const name = 'scaling';

/** Time per line may grow by this factor from the smallest run to the largest and still count as flat. */
const FLAT_WITHIN = 1.5;

function sizes(variable: string, fallback: number[]): number[] {
  const value = process.env[variable];
  if (!value) return fallback;
  const parsed = value.split(',').map(Number);
  if (parsed.some((n) => !Number.isInteger(n) || n <= 0))
    throw new Error(`${variable} must be positive integers separated by commas, got "${value}"`);
  return parsed;
}

interface Run {
  lines: number;
  addresses: number;
  microsPerLine: number;
  /** Time per line beyond the CLI's fixed cost. */
  netMicrosPerLine: number;
  peakRssMiB: number;
  seconds: number;
}

/** `analyze --json` in a child process on a fresh sshd log of `lines` lines from `addresses` addresses. */
function analyze(lines: number, addresses: number): { seconds: number; peakRssMiB: number } {
  const dir = mkdtempSync(join(tmpdir(), 'logsleuth-scaling-'));
  try {
    const file = join(dir, 'auth.log');
    writeSshdLog(file, lines, addresses);
    const cli = inChild('cli', [file]);
    if (cli.code !== 0) throw new Error(`analyze exited ${cli.code} on ${lines} lines, ${addresses} addresses`);
    return cli;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function measure(lines: number, addresses: number, fixedSeconds: number): Run {
  const { seconds, peakRssMiB } = analyze(lines, addresses);
  return {
    lines,
    addresses,
    microsPerLine: (seconds * 1e6) / lines,
    netMicrosPerLine: ((seconds - fixedSeconds) * 1e6) / lines,
    peakRssMiB,
    seconds,
  };
}

const count = (n: number) => n.toLocaleString('en-US');

function table(title: string, runs: Run[]): string {
  const cell = (value: string, width: number) => value.padStart(width);
  return [
    title,
    '| lines     | addresses | µs/line | net µs/line | peak RSS MiB | seconds |',
    '| --------- | --------- | ------- | ----------- | ------------ | ------- |',
    ...runs.map(
      (r) =>
        `| ${cell(count(r.lines), 9)} | ${cell(count(r.addresses), 9)} | ${cell(r.microsPerLine.toFixed(1), 7)} | ${cell(r.netMicrosPerLine.toFixed(1), 11)} | ${cell(r.peakRssMiB.toFixed(0), 12)} | ${cell(r.seconds.toFixed(2), 7)} |`,
    ),
  ].join('\n');
}

/** The largest run's net time per line over the smallest's, as a figure that says whether it stayed flat. */
function flatness(series: string, runs: Run[]): Figure {
  const ratio = runs[runs.length - 1]!.netMicrosPerLine / runs[0]!.netMicrosPerLine;
  return {
    measure: `${series}: net time per line, largest run / smallest`,
    value: ratio,
    unit: 'x',
    note: ratio <= FLAT_WITHIN ? `does not grow (within ${FLAT_WITHIN}x)` : `grows (more than ${FLAT_WITHIN}x)`,
  };
}

export async function run(): Promise<Figure[]> {
  buildOnce();
  const fixedAddresses = sizes('SCALING_FIXED_ADDRESSES', [1000])[0]!;
  const perAddress = sizes('SCALING_LINES_PER_ADDRESS', [10])[0]!;
  const fixed = analyze(1, 1);
  const byLines = sizes('SCALING_LINES', [10_000, 100_000, 1_000_000])
    .sort((a, b) => a - b)
    .map((lines) => measure(lines, fixedAddresses, fixed.seconds));
  const byAddresses = sizes('SCALING_ADDRESSES', [100, 1_000, 10_000, 100_000])
    .sort((a, b) => a - b)
    .map((addresses) => measure(addresses * perAddress, addresses, fixed.seconds));
  console.log(
    `\nfixed cost (a one-line log): ${fixed.seconds.toFixed(2)} s, peak RSS ${fixed.peakRssMiB.toFixed(0)} MiB`,
  );
  console.log(table(`\nlines grow, ${count(fixedAddresses)} addresses:`, byLines));
  console.log(table(`\naddresses grow, ${perAddress} lines each:`, byAddresses));
  const figure = (r: Run): Figure => ({
    measure: `analyze --json, ${count(r.lines)} sshd lines, ${count(r.addresses)} addresses`,
    value: r.microsPerLine,
    unit: 'µs/line',
    note: `net of the fixed cost ${r.netMicrosPerLine.toFixed(1)} µs/line; ${r.seconds.toFixed(2)} s; peak RSS ${r.peakRssMiB.toFixed(0)} MiB`,
  });
  return [
    {
      measure: 'analyze --json, fixed cost (a one-line log)',
      value: fixed.seconds,
      unit: 's',
      note: `peak RSS ${fixed.peakRssMiB.toFixed(0)} MiB`,
    },
    ...byLines.map(figure),
    flatness(`lines grow (${count(fixedAddresses)} addresses)`, byLines),
    ...byAddresses.map(figure),
    flatness(`addresses grow (${perAddress} lines each)`, byAddresses),
  ];
}
