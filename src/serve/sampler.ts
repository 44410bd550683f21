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
import { TickErrors } from './tick-errors';

export interface SamplerOptions {
  procRoot?: string;
  /** Between samples, in ms (default 3000). */
  intervalMs?: number;
  /** Points kept for the charts (default 1200: an hour at 3 s). */
  historySize?: number;
  /** Processes in each top list (default 10). */
  top?: number;
  /** Told the first error of each kind a tick meets (later ones are only counted, see `errors`). */
  onError?: (kind: string, error: unknown) => void;
}

/** Reads everything a sample needs at one instant. */
export function readReading(procRoot: string, users: ReadonlyMap<number, string>, hz: number): Reading {
  const host = readHostState(procRoot);
  const io = readDiskstats(procRoot);
  const context = processContext(procRoot, users, 'fds');
  const list = readProcesses(context);
  const processes: Reading['processes'] = new Map();
  for (const p of list.items) {
    processes.set(p.pid, {
      ticks: Math.round((p.userTime + p.systemTime) * hz),
      info: {
        pid: p.pid,
        ppid: p.ppid,
        name: p.name,
        uid: p.uid,
        user: p.user,
        threads: p.threads,
        fds: p.fdCount,
        startTime: p.startTime,
        rss: p.rss,
        state: p.state,
        cmdline: p.cmdline,
      },
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
  private listeners: { stage: string; listener: (sample: SystemSample) => void }[] = [];
  private readonly onError: SamplerOptions['onError'];
  /** What went wrong in ticks so far, by kind. */
  readonly errors = new TickErrors();

  constructor(options: SamplerOptions = {}) {
    this.procRoot = options.procRoot ?? '/proc';
    this.intervalMs = options.intervalMs ?? 3000;
    this.historySize = options.historySize ?? 1200;
    this.top = options.top ?? 10;
    this.onError = options.onError;
  }

  /** Takes a first reading now and a sample every interval; a rate needs the reading before it. */
  start(): void {
    if (this.timer) return;
    this.guarded('read', () => {
      this.previous = readReading(this.procRoot, this.users, this.hz);
    });
    this.timer = setInterval(() => this.tick(), this.intervalMs);
    this.timer.unref();
  }

  /**
   * What the timer runs: a sample, then each listener, each on its own. No
   * error leaves a tick (it would end the process): each is counted by kind.
   */
  tick(): void {
    let failed = false;
    const guard = (stage: string, run: () => void) => {
      if (!this.guarded(stage, run)) failed = true;
    };
    let sample: SystemSample | undefined;
    guard('read', () => {
      sample = this.take();
    });
    if (sample) for (const { stage, listener } of this.listeners) guard(stage, () => listener(sample!));
    if (!failed) this.errors.failing = false;
  }

  /** Runs `run`; false (and counted) when it threw. */
  private guarded(stage: string, run: () => void): boolean {
    try {
      run();
      return true;
    } catch (error) {
      const first = this.errors.record(stage, error);
      if (first !== undefined) this.onError?.(first, error);
      return false;
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Reads /proc and makes a sample against the previous reading, then tells the listeners (errors are thrown). */
  sampleNow(): SystemSample {
    const sample = this.take();
    for (const { listener } of this.listeners) listener(sample);
    return sample;
  }

  private take(): SystemSample {
    const reading = readReading(this.procRoot, this.users, this.hz);
    const before = this.previous ?? reading;
    const sample = systemSample(before, reading, { cores: this.cores, hz: this.hz, top: this.top });
    this.all = processSamples(before, reading, this.hz);
    this.previous = reading;
    this.current = sample;
    this.points.push(historyPoint(sample));
    if (this.points.length > this.historySize) this.points.splice(0, this.points.length - this.historySize);
    return sample;
  }

  /** Called after each sample; `stage` names its errors in `errors` (e.g. `store`). */
  onSample(listener: (sample: SystemSample) => void, stage = 'listener'): void {
    this.listeners.push({ stage, listener });
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
