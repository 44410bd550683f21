/**
 * One process assembled from its /proc/[pid] files: stat, status and cmdline
 * are required (a process that vanishes while being read is skipped and
 * counted); io, fd and exe are optional (null when unreadable, as for other
 * users' processes when not root).
 */
import { clockTicks, pageSize } from './sysconf';
import { joinCmdline, parseCmdline } from './pid-cmdline';
import { readFdCount } from './pid-fd';
import { type ProcIo, parseProcIo } from './pid-io';
import { parseProcStat } from './pid-stat';
import { parseProcStatus } from './pid-status';
import { type ReadResult, listPids, readBytes, readLink, readText } from './read';
import { readSystemStat, readUptime } from './system-stat';

/** Everything logsleuth knows of one process. Memory in bytes, times in seconds. */
export interface ProcessInfo {
  pid: number;
  ppid: number;
  /** The kernel's name for it (comm, at most 15 bytes). */
  name: string;
  /** The arguments; empty for kernel threads and zombies. */
  argv: string[];
  /** `argv` joined with spaces, as `ps -o args` shows it. */
  cmdline: string;
  /** One letter, as in `ps -o stat`: R, S, D, Z, T, t, I, X. */
  state: string;
  /** Real uid. */
  uid: number;
  /** Effective uid (differs for setuid programs). */
  euid: number;
  /** User name of the real uid; null when /etc/passwd does not know it. */
  user: string | null;
  threads: number;
  kernelThread: boolean;
  /** CPU time spent in user and kernel mode, in seconds. */
  userTime: number;
  systemTime: number;
  /** CPU time over the process's lifetime, in percent of one CPU, as `ps -o pcpu` computes it. */
  cpu: number;
  /** Start time in ms since the epoch; null without /proc/stat. */
  startTime: number | null;
  /** Resident and virtual size in bytes. */
  rss: number;
  vsize: number;
  /** Other memory figures from status (VmPeak, VmHWM, VmSwap, ...), in bytes. */
  memory: Partial<Record<string, number>>;
  /** I/O counters; null when unreadable. */
  io: ProcIo | null;
  /** Open descriptors; null when unreadable. */
  fdCount: number | null;
  voluntaryContextSwitches: number | null;
  nonvoluntaryContextSwitches: number | null;
  /** The executable's path; null when unreadable (kernel threads, other users). */
  exe: string | null;
}

/** What readProcess needs that is the same for every process: read once per snapshot. */
export interface ProcessContext {
  procRoot: string;
  /** Clock ticks per second. */
  hz: number;
  /** Boot time in seconds since the epoch; undefined when /proc/stat is unreadable. */
  bootTime: number | undefined;
  /** Seconds since boot, for the lifetime CPU percentage; undefined when unknown. */
  uptime: number | undefined;
  pageSize: number;
  users: ReadonlyMap<number, string>;
  /**
   * `full` (the default) also reads io, the fd directory and the exe link;
   * `basic` reads what `ps` reads (stat, status, cmdline) and leaves those null:
   * half the system calls, for a process table; `fds` is `basic` plus the
   * count of open descriptors (a table with `top`'s nFD column); `io` is
   * `basic` plus io, for a sampler that lists the fds itself (the count and
   * the socket owners from one listing).
   */
  detail: 'full' | 'fds' | 'basic' | 'io';
}

/** Builds the shared context from `procRoot/stat` and `procRoot/uptime`. */
export function processContext(
  procRoot: string,
  users: ReadonlyMap<number, string>,
  detail: ProcessContext['detail'] = 'full',
): ProcessContext {
  return {
    procRoot: procRoot.length > 1 && procRoot.endsWith('/') ? procRoot.slice(0, -1) : procRoot,
    hz: clockTicks(),
    bootTime: readSystemStat(procRoot)?.bootTime,
    uptime: readUptime(procRoot),
    pageSize: pageSize(),
    users,
    detail,
  };
}

/** Reads one process; undefined when it vanished, is unreadable or malformed. */
export function readProcess(context: ProcessContext, pid: number): ProcessInfo | undefined {
  // Plain concatenation: path.join shows in profiles at six files per process.
  const dir = `${context.procRoot}/${pid}`;
  const statText = readText(`${dir}/stat`, 'whole');
  const stat = statText === undefined ? undefined : parseProcStat(statText);
  if (!stat || stat.pid !== pid) return undefined;
  const statusText = readText(`${dir}/status`, 'whole');
  const cmdlineBytes = readBytes(`${dir}/cmdline`, 'whole');
  if (statusText === undefined || cmdlineBytes === undefined) return undefined;
  const status = parseProcStatus(statusText);
  if (!status.uids) return undefined;
  const { hz, bootTime, uptime } = context;
  const full = context.detail === 'full';
  const ioText = full || context.detail === 'io' ? readText(`${dir}/io`, 'whole') : undefined;
  const argv = parseCmdline(cmdlineBytes);
  const cpuTicks = stat.utime + stat.stime;
  const age = uptime === undefined ? 0 : uptime - stat.startTicks / hz;
  const { VmRSS, VmSize, ...memory } = status.memory;
  return {
    pid,
    ppid: stat.ppid,
    name: stat.name,
    argv,
    cmdline: joinCmdline(argv),
    state: stat.state,
    uid: status.uids[0],
    euid: status.uids[1],
    user: context.users.get(status.uids[0]) ?? null,
    threads: status.threads ?? stat.threads,
    kernelThread: stat.kernelThread,
    userTime: stat.utime / hz,
    systemTime: stat.stime / hz,
    cpu: age > 0 ? (cpuTicks / hz / age) * 100 : 0,
    startTime: bootTime === undefined ? null : Math.round((bootTime + stat.startTicks / hz) * 1000),
    // status counts kB exactly; stat's pages are the fallback (kernel threads have no VmRSS line).
    rss: VmRSS ?? stat.rssPages * context.pageSize,
    vsize: VmSize ?? stat.vsize,
    memory,
    io: (ioText === undefined ? undefined : parseProcIo(ioText)) ?? null,
    // Kernel threads have no files and no executable: not asking saves two failing syscalls each.
    fdCount:
      context.detail === 'basic' || context.detail === 'io'
        ? null
        : stat.kernelThread
          ? 0
          : (readFdCount(context.procRoot, pid) ?? null),
    voluntaryContextSwitches: status.voluntaryContextSwitches ?? null,
    nonvoluntaryContextSwitches: status.nonvoluntaryContextSwitches ?? null,
    exe: !full || stat.kernelThread ? null : (readLink(`${dir}/exe`) ?? null),
  };
}

/** Reads every process under the context's root (or `pids`); vanished ones are counted in `skipped`. */
export function readProcesses(context: ProcessContext, pids = listPids(context.procRoot)): ReadResult<ProcessInfo> {
  const items: ProcessInfo[] = [];
  let skipped = 0;
  for (const pid of pids) {
    const info = readProcess(context, pid);
    if (info) items.push(info);
    else skipped++;
  }
  return { items, skipped };
}
