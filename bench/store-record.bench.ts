/**
 * `logsleuth record --interval 1s` on this host: CPU of the recording
 * process over 60 s (goal: under 2% of one core), from its /proc stat ticks.
 * `npm run bench -- store-record` (RECORD_BENCH_SECONDS to shorten).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseProcStat } from '../src/proc/pid-stat';
import { clockTicks } from '../src/proc/sysconf';
import type { Figure } from './run';

export const name = 'store-record';
const SECONDS = Number(process.env['RECORD_BENCH_SECONDS'] ?? 60);

const ticksOf = (pid: number) => {
  const stat = parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  return stat ? stat.utime + stat.stime : 0;
};

export async function run(): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'logsleuth-record-bench-'));
  const root = join(__dirname, '..');
  const child = spawn(
    process.execPath,
    [join(root, 'bin/logsleuth.js'), 'record', '--store', join(dir, 'r.duckdb'), '--interval', '1s'],
    { stdio: 'ignore' },
  );
  try {
    await new Promise((resolve) => setTimeout(resolve, 3000)); // start-up (module loading) left out
    const before = ticksOf(child.pid!);
    await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000));
    const used = (ticksOf(child.pid!) - before) / clockTicks();
    return [
      {
        measure: `record --interval 1s, CPU over ${SECONDS} s`,
        value: (100 * used) / SECONDS,
        unit: '% of one core',
        note: 'goal < 2%; needs npm run build',
      },
    ];
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}
