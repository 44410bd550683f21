/**
 * The process tracer: the processes of this host with their resources, their
 * tree and summaries, usable on its own; on the bus, it names the processes
 * (with their ancestry) that hold a suspect's connections.
 */
import type { Finding } from '../../core/finding';
import type { ProcessOwnerData } from '../../core/kinds';
import { type TracerOptions, resolveOptions } from '../../core/options';
import type { Tracer, TracerContext, TracerMeta } from '../../core/tracer';
import {
  type ProcessContext,
  type ProcessInfo,
  type ReadResult,
  processContext,
  readProcess,
  readProcesses,
  readUsers,
} from '../../proc';
import { cpuPercentBetween } from './cpu-sample';
import { searchProcesses } from './search';
import { type ProcessSummary, summariseProcesses } from './summary';
import { type ProcessTree, buildTree, childrenOf, descendantsOf } from './tree';

export * from './cpu-sample';
export * from './search';
export * from './summary';
export * from './tree';

/** Options of the process tracer; the shared ones come from the investigation once attached. */
export interface ProcessTracerOptions extends Partial<TracerOptions> {
  /** Where user names come from (default /etc/passwd). */
  passwdPath?: string;
  /** `basic` skips io, fds and exe (as ps does): about half the reads. Default `full`. */
  detail?: 'full' | 'basic';
}

/** Longest ancestry followed: deeper chains only arise from a pid-reuse race. */
const MAX_ANCESTRY = 64;

export class ProcessTracer implements Tracer {
  readonly meta: TracerMeta = {
    name: 'process',
    description: 'Processes from /proc/[pid] with resources, tree and summaries; owners of suspect connections.',
    consumes: ['network.connections'],
    produces: ['process.owner'],
  };

  private options: TracerOptions;
  private users: Map<number, string> | undefined;
  private readonly counters = { connectionFindings: 0, ownersReported: 0, ownersVanished: 0 };

  constructor(private readonly settings: ProcessTracerOptions = {}) {
    this.options = resolveOptions(settings);
  }

  attach(ctx: TracerContext): void {
    this.options = ctx.options;
    ctx.on('network.connections', (finding) => this.onConnections(ctx, finding));
  }

  /** Every process now, with the number that vanished or were unreadable while being read. */
  snapshot(): ReadResult<ProcessInfo> {
    return readProcesses(this.context());
  }

  /** One process now; undefined when there is none (or it vanished). */
  process(pid: number): ProcessInfo | undefined {
    return readProcess(this.context(), pid);
  }

  /** The tree of a fresh snapshot (or of `processes`). */
  tree(processes: readonly ProcessInfo[] = this.snapshot().items): ProcessTree {
    return buildTree(processes);
  }

  /** The direct children of `pid`. */
  children(pid: number): ProcessInfo[] {
    return childrenOf(this.tree(), pid);
  }

  /** Every process below `pid`. */
  descendants(pid: number): ProcessInfo[] {
    return descendantsOf(this.tree(), pid);
  }

  /** Parent first, up to the root, read fresh. */
  ancestors(pid: number): ProcessInfo[] {
    const context = this.context();
    const out: ProcessInfo[] = [];
    const seen = new Set([pid]);
    let current = readProcess(context, pid);
    while (current && out.length < MAX_ANCESTRY && !seen.has(current.ppid) && current.ppid > 0) {
      seen.add(current.ppid);
      current = readProcess(context, current.ppid);
      if (current) out.push(current);
    }
    return out;
  }

  /** Processes whose name or command line contains `query` (case-insensitive). */
  search(query: string): ProcessInfo[] {
    return searchProcesses(this.snapshot().items, query);
  }

  /** Counts, totals and top lists of a fresh snapshot (or of `processes`). */
  resources(top = 10, processes: readonly ProcessInfo[] = this.snapshot().items): ProcessSummary {
    return summariseProcesses(processes, top);
  }

  /** What the tracer did on the bus, for the investigation's report. */
  summary(): Record<string, unknown> {
    return { ...this.counters };
  }

  /**
   * A snapshot whose `cpu` is the percentage over the next `intervalMs` (two
   * reads, like top) instead of over each process's lifetime. Processes that
   * did not live through the interval are left out.
   */
  async sample(intervalMs = 1000): Promise<ReadResult<ProcessInfo>> {
    const before = this.snapshot();
    const start = performance.now();
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    const after = this.snapshot();
    const percent = cpuPercentBetween(before.items, after.items, (performance.now() - start) / 1000);
    const items = after.items.filter((p) => percent.has(p.pid)).map((p) => ({ ...p, cpu: percent.get(p.pid)! }));
    return { items, skipped: after.skipped + (after.items.length - items.length) };
  }

  private context(): ProcessContext {
    this.users ??= readUsers(this.settings.passwdPath);
    return processContext(this.options.procRoot, this.users, this.settings.detail);
  }

  private onConnections(ctx: TracerContext, finding: Finding<'network.connections'>): void {
    this.counters.connectionFindings++;
    const inodesByPid = new Map<number, number[]>();
    for (const connection of finding.data.connections) {
      const owners = connection.owners ?? (connection.pid === null ? [] : [{ pid: connection.pid }]);
      for (const { pid } of owners) {
        const inodes = inodesByPid.get(pid) ?? [];
        if (!inodes.includes(connection.inode)) inodes.push(connection.inode);
        inodesByPid.set(pid, inodes);
      }
    }
    for (const [pid, inodes] of inodesByPid) {
      const owner = this.process(pid);
      if (!owner) {
        this.counters.ownersVanished++;
        continue;
      }
      const data: ProcessOwnerData = {
        ip: finding.data.ip,
        pid,
        ppid: owner.ppid,
        name: owner.name,
        cmdline: owner.cmdline,
        user: owner.user,
        inodes: inodes.sort((a, b) => a - b),
        ancestry: this.ancestors(pid).map((p) => ({ pid: p.pid, name: p.name, cmdline: p.cmdline })),
      };
      if (ctx.report('process.owner', `${pid}@${finding.data.ip}`, data, finding)) this.counters.ownersReported++;
    }
  }
}
