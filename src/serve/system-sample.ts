/**
 * A system sample: what the dashboard's tiles and charts show, computed from
 * two readings of /proc a few seconds apart (CPU, disk and network figures are
 * counters since boot, so a rate needs two). Pure: the readings are given.
 */
import type { DiskIoCounters } from '../proc/diskstats';
import type { DiskUsage, InterfaceCounters, LoadState, MemoryState } from '../proc/host';
import type { CpuTimes } from '../proc/system-stat';

/** The health of one figure against its thresholds. */
export type HealthState = 'ok' | 'warning' | 'critical';

/** Warning and critical thresholds, in percent (CPU > 60 warns, > 80 is critical; RAM > 70, > 90). */
export const THRESHOLDS = {
  cpu: { warning: 60, critical: 80 },
  memory: { warning: 70, critical: 90 },
  disk: { warning: 80, critical: 90 },
} as const;

/** The state of `percent` against `limits` (strictly above a threshold crosses it). */
export function healthState(percent: number | null, limits: { warning: number; critical: number }): HealthState {
  if (percent === null) return 'ok';
  return percent > limits.critical ? 'critical' : percent > limits.warning ? 'warning' : 'ok';
}

/** One process's CPU and memory now, and who and what it is. */
export interface ProcessSample {
  pid: number;
  ppid: number;
  name: string;
  /** Real uid, and its user name (null when /etc/passwd does not know it). */
  uid: number;
  user: string | null;
  threads: number;
  /** Open descriptors; null when the fd directory is unreadable (another user's process, when not root). */
  fds: number | null;
  /** Start time in ms since the epoch; null without /proc/stat. */
  startTime: number | null;
  /** Percent of one CPU over the last interval. */
  cpuPercent: number;
  rss: number;
  state: string;
  cmdline: string;
}

/** What is read from /proc at one instant. */
export interface Reading {
  at: number;
  cpu: CpuTimes | null;
  memory: MemoryState | null;
  load: LoadState | null;
  disks: DiskUsage[];
  diskIo: DiskIoCounters[];
  network: InterfaceCounters[];
  /** Each process's CPU ticks (user + system) and what is shown of it. */
  processes: Map<number, { ticks: number; info: Omit<ProcessSample, 'cpuPercent'> }>;
  /** Unreadable or malformed /proc entries. */
  skipped: number;
}

export interface SystemSample {
  at: string;
  intervalSeconds: number;
  cpu: { percent: number | null; cores: number; state: HealthState };
  load: { one: number; five: number; fifteen: number } | null;
  memory: { total: number; available: number; used: number; percent: number; state: HealthState } | null;
  swap: { total: number; used: number; percent: number } | null;
  disks: {
    mountPoint: string;
    device: string;
    fsType: string;
    total: number;
    used: number;
    available: number;
    percent: number;
    state: HealthState;
  }[];
  diskIo: { device: string; readBytesPerSecond: number; writeBytesPerSecond: number; busyPercent: number }[];
  network: { name: string; rxBytes: number; txBytes: number; rxBytesPerSecond: number; txBytesPerSecond: number }[];
  processes: { count: number; topCpu: ProcessSample[]; topRss: ProcessSample[] };
  skipped: number;
}

/** A point of the last hour's history: the figures the charts draw. */
export interface HistoryPoint {
  at: number;
  cpuPercent: number | null;
  memoryPercent: number | null;
  swapPercent: number | null;
  load1: number | null;
}

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

/** CPU busy percent of all cores together between two readings of /proc/stat; null without both. */
export function cpuPercent(before: CpuTimes | null, after: CpuTimes | null): number | null {
  if (!before || !after) return null;
  const total = after.total - before.total;
  if (total <= 0) return null;
  const idle = after.idle + after.iowait - (before.idle + before.iowait);
  return round(Math.min(100, Math.max(0, (100 * (total - idle)) / total)));
}

/** Per second over `seconds`; 0 when a counter went back (reboot, wrap, a device re-created). */
function rate(before: number | undefined, after: number, seconds: number): number {
  if (before === undefined || after < before || seconds <= 0) return 0;
  return round((after - before) / seconds);
}

/** Every process's CPU over the interval, busiest first; processes born during it count from 0. */
export function processSamples(before: Reading, after: Reading, hz: number): ProcessSample[] {
  const seconds = (after.at - before.at) / 1000;
  const samples: ProcessSample[] = [];
  for (const [pid, now] of after.processes) {
    const then = before.processes.get(pid)?.ticks ?? now.ticks;
    const percent = seconds > 0 && now.ticks >= then ? (100 * (now.ticks - then)) / hz / seconds : 0;
    samples.push({ ...now.info, cpuPercent: round(percent) });
  }
  return samples.sort((a, b) => b.cpuPercent - a.cpuPercent || b.rss - a.rss || a.pid - b.pid);
}

/** The sample between two readings; `top` processes by CPU and by resident memory. */
export function systemSample(before: Reading, after: Reading, options: { cores: number; hz: number; top: number }) {
  const seconds = (after.at - before.at) / 1000;
  const percent = cpuPercent(before.cpu, after.cpu);
  const m = after.memory;
  const ioBefore = new Map(before.diskIo.map((d) => [d.device, d]));
  const netBefore = new Map(before.network.map((n) => [n.name, n]));
  const processes = processSamples(before, after, options.hz);
  const sample: SystemSample = {
    at: new Date(after.at).toISOString(),
    intervalSeconds: round(seconds, 3),
    cpu: { percent, cores: options.cores, state: healthState(percent, THRESHOLDS.cpu) },
    load: after.load ? { one: after.load.one, five: after.load.five, fifteen: after.load.fifteen } : null,
    memory: m
      ? {
          total: m.total,
          available: m.available,
          used: m.total - m.available,
          percent: round(m.usedPercent),
          state: healthState(m.usedPercent, THRESHOLDS.memory),
        }
      : null,
    swap: m
      ? {
          total: m.swapTotal,
          used: m.swapTotal - m.swapFree,
          percent: m.swapTotal > 0 ? round((100 * (m.swapTotal - m.swapFree)) / m.swapTotal) : 0,
        }
      : null,
    disks: after.disks.map((d) => ({
      mountPoint: d.mountPoint,
      device: d.device,
      fsType: d.fsType,
      total: d.total,
      used: d.used,
      available: d.available,
      percent: d.usedPercent,
      state: healthState(d.usedPercent, THRESHOLDS.disk),
    })),
    diskIo: after.diskIo.map((d) => {
      const then = ioBefore.get(d.device);
      return {
        device: d.device,
        readBytesPerSecond: rate(then?.readBytes, d.readBytes, seconds),
        writeBytesPerSecond: rate(then?.writeBytes, d.writeBytes, seconds),
        busyPercent: Math.min(100, rate(then?.ioMs, d.ioMs, seconds) / 10),
      };
    }),
    network: after.network.map((n) => {
      const then = netBefore.get(n.name);
      return {
        name: n.name,
        rxBytes: n.rxBytes,
        txBytes: n.txBytes,
        rxBytesPerSecond: rate(then?.rxBytes, n.rxBytes, seconds),
        txBytesPerSecond: rate(then?.txBytes, n.txBytes, seconds),
      };
    }),
    processes: {
      count: processes.length,
      topCpu: processes.slice(0, options.top),
      topRss: [...processes].sort((a, b) => b.rss - a.rss || a.pid - b.pid).slice(0, options.top),
    },
    skipped: after.skipped,
  };
  return sample;
}

/** The chart point of a sample. */
export function historyPoint(sample: SystemSample): HistoryPoint {
  return {
    at: Date.parse(sample.at),
    cpuPercent: sample.cpu.percent,
    memoryPercent: sample.memory?.percent ?? null,
    swapPercent: sample.swap?.percent ?? null,
    load1: sample.load?.one ?? null,
  };
}
