/**
 * Samples /proc every few seconds (3 s by default) and keeps the last hour:
 * the current system sample, the chart history and every process's CPU and
 * memory. Bounded: the history is a ring of `historySize` points.
 */
import { availableParallelism } from 'node:os';
import { isInterestingDisk, readDiskstats } from '../proc/diskstats';
import { readHostState } from '../proc/host';
import { readUsers } from '../proc/passwd';
import { processContext, readProcesses } from '../proc/process';
import { clockTicks } from '../proc/sysconf';
import {
  type HistoryPoint,
  type ProcessSample,
  type Reading,
  type SystemSample,
  historyPoint,
  processSamples,
  systemSample,
} from './system-sample';

export interface SamplerOptions {
  procRoot?: string;
  /** Between samples, in ms (default 3000). */
  intervalMs?: number;
  /** Points kept for the charts (default 1200: an hour at 3 s). */
  historySize?: number;
  /** Processes in each top list (default 10). */
  top?: number;
}

/** Reads everything a sample needs at one instant. */
export function readReading(procRoot: string, users: ReadonlyMap<number, string>, hz: number): Reading {
  const host = readHostState(procRoot);
  const io = readDiskstats(procRoot);
  const context = processContext(procRoot, users, 'basic');
  const list = readProcesses(context);
  const processes: Reading['processes'] = new Map();
  for (const p of list.items) {
    processes.set(p.pid, {
      ticks: Math.round((p.userTime + p.systemTime) * hz),
      info: { pid: p.pid, name: p.name, user: p.user, rss: p.rss, state: p.state, cmdline: p.cmdline },
    });
  }
  return {
    at: Date.now(),
    cpu: host.cpu,
    memory: host.memory,
    load: host.load,
    disks: host.disks,
    diskIo: io.items.filter((d) => isInterestingDisk(d.device)),
    network: host.network,
    processes,
    skipped: host.skipped + io.skipped + list.skipped,
  };
}

export class SystemSampler {
  readonly intervalMs: number;
  private readonly procRoot: string;
  private readonly historySize: number;
  private readonly top: number;
  private readonly hz = clockTicks();
  private readonly cores = availableParallelism();
  private readonly users = readUsers();
  private previous: Reading | undefined;
  private current: SystemSample | undefined;
  private all: ProcessSample[] = [];
  private points: HistoryPoint[] = [];
  private timer: NodeJS.Timeout | undefined;
  private listeners: ((sample: SystemSample) => void)[] = [];

  constructor(options: SamplerOptions = {}) {
    this.procRoot = options.procRoot ?? '/proc';
    this.intervalMs = options.intervalMs ?? 3000;
    this.historySize = options.historySize ?? 1200;
    this.top = options.top ?? 10;
  }

  /** Takes a first reading now and a sample every interval; a rate needs the reading before it. */
  start(): void {
    if (this.timer) return;
    this.previous = readReading(this.procRoot, this.users, this.hz);
    this.timer = setInterval(() => this.sampleNow(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Reads /proc and makes a sample against the previous reading (also what the timer calls). */
  sampleNow(): SystemSample {
    const reading = readReading(this.procRoot, this.users, this.hz);
    const before = this.previous ?? reading;
    const sample = systemSample(before, reading, { cores: this.cores, hz: this.hz, top: this.top });
    this.all = processSamples(before, reading, this.hz);
    this.previous = reading;
    this.current = sample;
    this.points.push(historyPoint(sample));
    if (this.points.length > this.historySize) this.points.splice(0, this.points.length - this.historySize);
    for (const listener of this.listeners) listener(sample);
    return sample;
  }

  /** Called after each sample (the metrics read it). */
  onSample(listener: (sample: SystemSample) => void): void {
    this.listeners.push(listener);
  }

  /** The latest sample; undefined before the first interval has passed. */
  latest(): SystemSample | undefined {
    return this.current;
  }

  /** Chart points, oldest first. */
  history(): HistoryPoint[] {
    return this.points.slice();
  }

  /** Every process of the latest sample, busiest first. */
  processes(): ProcessSample[] {
    return this.all;
  }
}
