/**
 * Periodic samples of the host for `logsleuth record`: every process, every
 * socket with its owners, and the system's CPU, load, memory, disks and
 * traffic. Counters since boot become rates between two samples, so the
 * sampler keeps the previous sample's counters (its only state).
 */
import { join } from 'node:path';
import { type DiskIoCounters, parseDiskstats, wholeDisks } from './diskstats';
import {
  type DiskUsage,
  type InterfaceCounters,
  type LoadState,
  type MemoryState,
  parseLoadavg,
  parseMeminfo,
  parseNetDev,
  readDiskUsage,
} from './host';
import { type NetSocket, readNetSockets } from './net';
import { readUsers } from './passwd';
import { type ProcessInfo, processContext, readProcesses } from './process';
import { readText } from './read';
import { SocketOwnerTracker } from './socket-owner-tracker';
import { type CpuTimes, parseSystemStat } from './system-stat';

/** One process in a sample; CPU % is over the interval since the previous sample (null on the first). */
export interface ProcessSample {
  pid: number;
  ppid: number;
  startTime: number | null;
  name: string;
  cmdline: string;
  uid: number;
  user: string | null;
  state: string;
  /** utime + stime in clock ticks. */
  cpuTicks: number;
  cpuPercent: number | null;
  rss: number;
  readBytes: number | null;
  writeBytes: number | null;
  fds: number | null;
  threads: number;
  voluntaryContextSwitches: number | null;
  nonvoluntaryContextSwitches: number | null;
}

/** One socket, with the processes holding it. */
export interface SocketSample extends NetSocket {
  /** The first holder; null when none could be seen. */
  pid: number | null;
  ownerPids: number[];
}

/** The system as a whole; rates are bytes since the previous sample (null on the first). */
export interface SystemSample {
  cpuPercent: number | null;
  load: LoadState | null;
  memory: MemoryState | null;
  disks: Pick<DiskUsage, 'mountPoint' | 'device' | 'fsType' | 'total' | 'used' | 'available' | 'usedPercent'>[];
  diskReadBytes: number | null;
  diskWriteBytes: number | null;
  netRxBytes: number | null;
  netTxBytes: number | null;
}

export interface ProcSnapshot {
  /** When the sample was taken, ms since the epoch. */
  at: number;
  processes: ProcessSample[];
  sockets: SocketSample[];
  system: SystemSample;
  /** The system files as read (bronze): path under procRoot and content. */
  raw: { path: string; content: string }[];
  /** Entries that vanished or could not be read. */
  skipped: number;
}

export interface SamplerOptions {
  procRoot?: string;
}

const SYSTEM_FILES = ['stat', 'meminfo', 'loadavg', 'net/dev', 'diskstats'] as const;

const sum = <T>(items: readonly T[], get: (item: T) => number) => items.reduce((total, item) => total + get(item), 0);

/** Samples /proc; call `sample()` once per interval. */
export class ProcSampler {
  private readonly procRoot: string;
  private readonly users = readUsers();
  private readonly owners: SocketOwnerTracker;
  private previousTicks = new Map<string, { ticks: number; at: number }>();
  private previousCpu: CpuTimes | undefined;
  private previousDisk: { read: number; written: number } | undefined;
  private previousNet: { rx: number; tx: number } | undefined;

  constructor(options: SamplerOptions = {}) {
    this.procRoot = options.procRoot ?? '/proc';
    this.owners = new SocketOwnerTracker(this.procRoot);
  }

  sample(at = Date.now()): ProcSnapshot {
    const raw: { path: string; content: string }[] = [];
    let skipped = 0;
    const texts = new Map<string, string>();
    for (const path of SYSTEM_FILES) {
      const content = readText(join(this.procRoot, path));
      if (content === undefined) skipped++;
      else {
        texts.set(path, content);
        raw.push({ path, content });
      }
    }
    const context = processContext(this.procRoot, this.users, 'io');
    const processes = readProcesses(context);
    skipped += processes.skipped;
    const sockets = readNetSockets(this.procRoot);
    skipped += sockets.skipped;
    // Kernel threads have no files: not listing them saves a syscall each.
    const owners = this.owners.scan(
      processes.items.filter((info) => !info.kernelThread),
      new Set(sockets.items.map((socket) => socket.inode)),
    );
    return {
      at,
      processes: this.processSamples(processes.items, owners.fdCounts, context.hz, at),
      sockets: sockets.items.map((socket) => {
        const holders = owners.byInode.get(socket.inode) ?? [];
        const ownerPids = [...new Set(holders.map((holder) => holder.pid))];
        return { ...socket, pid: ownerPids[0] ?? null, ownerPids };
      }),
      system: this.systemSample(texts),
      raw,
      skipped,
    };
  }

  private processSamples(
    items: ProcessInfo[],
    fdCounts: ReadonlyMap<number, number>,
    hz: number,
    at: number,
  ): ProcessSample[] {
    const ticksNow = new Map<string, { ticks: number; at: number }>();
    const samples = items.map((info) => {
      const cpuTicks = Math.round((info.userTime + info.systemTime) * hz);
      const key = `${info.pid}:${info.startTime ?? ''}`;
      const before = this.previousTicks.get(key);
      ticksNow.set(key, { ticks: cpuTicks, at });
      const seconds = before ? (at - before.at) / 1000 : 0;
      return {
        pid: info.pid,
        ppid: info.ppid,
        startTime: info.startTime,
        name: info.name,
        cmdline: info.cmdline,
        uid: info.uid,
        user: info.user,
        state: info.state,
        cpuTicks,
        cpuPercent: before && seconds > 0 ? (100 * (cpuTicks - before.ticks)) / hz / seconds : null,
        rss: info.rss,
        readBytes: info.io?.readBytes ?? null,
        writeBytes: info.io?.writeBytes ?? null,
        fds: info.kernelThread ? 0 : (fdCounts.get(info.pid) ?? null),
        threads: info.threads,
        voluntaryContextSwitches: info.voluntaryContextSwitches,
        nonvoluntaryContextSwitches: info.nonvoluntaryContextSwitches,
      };
    });
    this.previousTicks = ticksNow;
    return samples;
  }

  private systemSample(texts: Map<string, string>): SystemSample {
    const parse = <T>(path: string, parser: (text: string) => T | undefined): T | undefined => {
      const text = texts.get(path);
      return text === undefined ? undefined : parser(text);
    };
    const cpu = parse('stat', parseSystemStat)?.cpu;
    let cpuPercent: number | null = null;
    if (cpu && this.previousCpu && cpu.total > this.previousCpu.total) {
      const busy =
        cpu.total - cpu.idle - cpu.iowait - (this.previousCpu.total - this.previousCpu.idle - this.previousCpu.iowait);
      cpuPercent = (100 * busy) / (cpu.total - this.previousCpu.total);
    }
    if (cpu) this.previousCpu = cpu;
    const disks: DiskIoCounters[] = wholeDisks(parse('diskstats', parseDiskstats)?.items ?? []);
    const disk = { read: sum(disks, (d) => d.readBytes), written: sum(disks, (d) => d.writeBytes) };
    const interfaces: InterfaceCounters[] = (parse('net/dev', parseNetDev)?.items ?? []).filter((i) => i.name !== 'lo');
    const net = { rx: sum(interfaces, (i) => i.rxBytes), tx: sum(interfaces, (i) => i.txBytes) };
    const delta = (now: number, before: number | undefined) =>
      before === undefined ? null : Math.max(0, now - before);
    const sample: SystemSample = {
      cpuPercent,
      load: parse('loadavg', parseLoadavg) ?? null,
      memory: parse('meminfo', parseMeminfo) ?? null,
      disks: readDiskUsage(this.procRoot).items.map(
        ({ mountPoint, device, fsType, total, used, available, usedPercent }) => ({
          mountPoint,
          device,
          fsType,
          total,
          used,
          available,
          usedPercent,
        }),
      ),
      diskReadBytes: texts.has('diskstats') ? delta(disk.read, this.previousDisk?.read) : null,
      diskWriteBytes: texts.has('diskstats') ? delta(disk.written, this.previousDisk?.written) : null,
      netRxBytes: texts.has('net/dev') ? delta(net.rx, this.previousNet?.rx) : null,
      netTxBytes: texts.has('net/dev') ? delta(net.tx, this.previousNet?.tx) : null,
    };
    if (texts.has('diskstats')) this.previousDisk = disk;
    if (texts.has('net/dev')) this.previousNet = net;
    return sample;
  }
}
