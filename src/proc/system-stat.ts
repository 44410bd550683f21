/**
 * /proc/stat (boot time and CPU times) and /proc/uptime: what turns a
 * process's start ticks into a date and its CPU ticks into a percentage.
 */
import { join } from 'node:path';
import { readText } from './read';
import { decimal, fields } from './text';

/** CPU time in clock ticks, as the `cpu` lines of /proc/stat split it. */
export interface CpuTimes {
  user: number;
  nice: number;
  system: number;
  idle: number;
  iowait: number;
  irq: number;
  softirq: number;
  steal: number;
  /** Sum of every column except guest time (already counted in user). */
  total: number;
}

export interface SystemStat {
  /** Boot time in seconds since the epoch. */
  bootTime: number;
  /** All CPUs together. */
  cpu: CpuTimes;
  /** One entry per CPU, in order (cpu0, cpu1, ...). */
  cpus: CpuTimes[];
  processesCreated: number;
  running: number;
  blocked: number;
  /** Lines that were not understood. */
  malformed: number;
}

const CPU_COLUMNS = ['user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal'] as const;

function cpuTimes(values: string[]): CpuTimes | undefined {
  const numbers = values.map(decimal);
  if (numbers.length < 4 || numbers.some((n) => n === undefined)) return undefined;
  const times = { total: 0 } as CpuTimes;
  CPU_COLUMNS.forEach((column, i) => {
    times[column] = numbers[i] ?? 0;
    times.total += numbers[i] ?? 0;
  });
  return times;
}

/** Parses /proc/stat; undefined without a well-formed `btime` and `cpu` line. */
export function parseSystemStat(text: string): SystemStat | undefined {
  let bootTime: number | undefined;
  let cpu: CpuTimes | undefined;
  const cpus: CpuTimes[] = [];
  let processesCreated = 0;
  let running = 0;
  let blocked = 0;
  let malformed = 0;
  for (const line of text.split('\n')) {
    const f = fields(line);
    const key = f[0];
    if (key === undefined) continue;
    if (key === 'btime') bootTime = decimal(f[1]);
    else if (key === 'processes') processesCreated = decimal(f[1]) ?? 0;
    else if (key === 'procs_running') running = decimal(f[1]) ?? 0;
    else if (key === 'procs_blocked') blocked = decimal(f[1]) ?? 0;
    else if (key.startsWith('cpu')) {
      const times = cpuTimes(f.slice(1));
      if (!times) malformed++;
      else if (key === 'cpu') cpu = times;
      else cpus.push(times);
    }
  }
  if (bootTime === undefined || cpu === undefined) return undefined;
  return { bootTime, cpu, cpus, processesCreated, running, blocked, malformed };
}

/** Reads `procRoot/stat`; undefined when unreadable or malformed. */
export function readSystemStat(procRoot: string): SystemStat | undefined {
  const text = readText(join(procRoot, 'stat'));
  return text === undefined ? undefined : parseSystemStat(text);
}

/** Seconds since boot from `procRoot/uptime`; undefined when unreadable or malformed. */
export function readUptime(procRoot: string): number | undefined {
  const first = fields(readText(join(procRoot, 'uptime')) ?? '')[0];
  if (first === undefined) return undefined;
  const [whole, fraction = '0', extra] = first.split('.');
  if (extra !== undefined || decimal(whole) === undefined || decimal(fraction) === undefined) return undefined;
  return Number(first);
}
