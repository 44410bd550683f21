/**
 * A full live snapshot (every process, every socket, socket ownership) against
 * the system tools that answer the same question, on the same machine:
 * `ss -tuanp` (sockets with owners) and `ps -eo pid,ppid,user,rss,pcpu,comm,args`
 * (the process table). Then the process tracer alone with a few hundred extra
 * sleeping processes. Medians of several warm runs; the tools' times include
 * their own process start, as a user at a shell pays it.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { NetworkTracer } from '../src/tracers/network';
import { ProcessTracer } from '../src/tracers/process';
import type { Figure } from './run';

export const name = 'snapshot: logsleuth vs ss + ps';

const RUNS = 9;
const PS_ARGS = ['-eo', 'pid,ppid,user,rss,pcpu,comm,args'];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function time(fn: () => unknown): number {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function medianMs(fn: () => unknown): number {
  fn();
  return median(Array.from({ length: RUNS }, () => time(fn)));
}

const tool = (command: string, args: string[]) => () =>
  execFileSync(command, args, { stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 << 20 });

export async function run(): Promise<Figure[]> {
  const network = new NetworkTracer();
  // What `logsleuth snapshot` does: ps-level process details; the fd scan is the ownership one.
  const processes = new ProcessTracer({ detail: 'basic' });
  const fullProcesses = new ProcessTracer();
  const counts = { processes: processes.snapshot().items.length, sockets: network.snapshot().connections.length };

  const ours = medianMs(() => {
    network.snapshot();
    processes.snapshot();
  });
  const ss = medianMs(tool('ss', ['-tuanp']));
  const ps = medianMs(tool('ps', PS_ARGS));
  const figures: Figure[] = [
    {
      measure: `full snapshot (${counts.processes} processes, ${counts.sockets} sockets, owners)`,
      value: ours,
      unit: 'ms',
      note: `median of ${RUNS}`,
    },
    { measure: 'ss -tuanp', value: ss, unit: 'ms' },
    { measure: `ps ${PS_ARGS.join(' ')}`, value: ps, unit: 'ms' },
    {
      measure: 'ratio logsleuth / (ss + ps)',
      value: ours / (ss + ps),
      unit: 'x',
      note: 'below 1: faster than the two tools together',
    },
  ];

  const sleepers: ChildProcess[] = [];
  try {
    for (let i = 0; i < 300; i++) sleepers.push(spawn('sleep', ['600'], { stdio: 'ignore' }));
    await new Promise((resolve) => setTimeout(resolve, 500));
    const many = processes.snapshot().items.length;
    const tracerAlone = medianMs(() => processes.snapshot());
    const tracerFull = medianMs(() => fullProcesses.snapshot());
    const psMany = medianMs(tool('ps', PS_ARGS));
    figures.push(
      {
        measure: `process tracer snapshot (${many} processes, 300 of them sleeping children)`,
        value: tracerAlone,
        unit: 'ms',
        note: `median of ${RUNS}`,
      },
      { measure: `ps ${PS_ARGS.join(' ')} (same processes)`, value: psMany, unit: 'ms' },
      { measure: 'ratio process tracer / ps', value: tracerAlone / psMany, unit: 'x' },
      {
        measure: 'process tracer, full detail (+ io, fds, exe)',
        value: tracerFull,
        unit: 'ms',
        note: `${((tracerFull * 1000) / many).toFixed(0)} µs per process`,
      },
    );
  } finally {
    for (const sleeper of sleepers) sleeper.kill('SIGKILL');
  }
  return figures;
}
