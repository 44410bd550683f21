/**
 * What the process table adds up to: counts by state and user, totals, and
 * the top consumers of CPU, memory, I/O and descriptors.
 */
import type { ProcessInfo } from '../../proc';

/** A short line about one process in a top-N list. */
export interface ProcessBrief {
  pid: number;
  name: string;
  user: string | null;
  value: number;
}

export interface ProcessSummary {
  processes: number;
  threads: number;
  kernelThreads: number;
  byState: Record<string, number>;
  byUser: Record<string, number>;
  /** Sum of resident sizes in bytes (shared pages counted in each process, as ps does). */
  totalRss: number;
  /** Sum of CPU percentages (as given: lifetime, or sampled). */
  totalCpu: number;
  top: {
    cpu: ProcessBrief[];
    memory: ProcessBrief[];
    /** By bytes read + written to storage; processes with unreadable io are left out. */
    io: ProcessBrief[];
    fds: ProcessBrief[];
  };
}

function topBy(processes: readonly ProcessInfo[], n: number, value: (p: ProcessInfo) => number | null): ProcessBrief[] {
  const rows: ProcessBrief[] = [];
  for (const p of processes) {
    const v = value(p);
    if (v !== null) rows.push({ pid: p.pid, name: p.name, user: p.user, value: v });
  }
  return rows.sort((a, b) => b.value - a.value || a.pid - b.pid).slice(0, n);
}

/** Summarises a snapshot; `top` is the length of each top list (default 10). */
export function summariseProcesses(processes: readonly ProcessInfo[], top = 10): ProcessSummary {
  const byState: Record<string, number> = {};
  const byUser: Record<string, number> = {};
  let threads = 0;
  let kernelThreads = 0;
  let totalRss = 0;
  let totalCpu = 0;
  for (const p of processes) {
    byState[p.state] = (byState[p.state] ?? 0) + 1;
    const user = p.user ?? String(p.uid);
    byUser[user] = (byUser[user] ?? 0) + 1;
    threads += p.threads;
    if (p.kernelThread) kernelThreads++;
    totalRss += p.rss;
    totalCpu += p.cpu;
  }
  return {
    processes: processes.length,
    threads,
    kernelThreads,
    byState,
    byUser,
    totalRss,
    totalCpu,
    top: {
      cpu: topBy(processes, top, (p) => p.cpu),
      memory: topBy(processes, top, (p) => p.rss),
      io: topBy(processes, top, (p) => (p.io ? p.io.readBytes + p.io.writeBytes : null)),
      fds: topBy(processes, top, (p) => p.fdCount),
    },
  };
}
