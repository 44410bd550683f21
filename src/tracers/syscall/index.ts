/**
 * The syscall tracer: reads strace's output line by line and keeps, in
 * bounded memory, what the traced processes did: per syscall the count,
 * errors by errno and durations; per path the accesses by kind and bytes; the
 * network peers with bytes; the process tree.
 *
 * On the bus it publishes `syscall.connect` and `syscall.accept` for every
 * process and peer address, and answers the IP tracer's `ip.threat` /
 * `ip.blacklisted` with `syscall.peer`: which traced processes talked to the
 * suspect. Failed calls that mean something (EACCES, ENOENT on an open,
 * ENOSPC, ECONNREFUSED, ...) and every connection are also given as LogEvents
 * (`onEvent`), so an Investigation can feed them to the IP and error tracers.
 */
import { createEvent, type LogEvent } from '../../core/event';
import type { AnyFinding, Finding } from '../../core/finding';
import type { IpThreatData } from '../../core/kinds';
import { type Tracer, type TracerContext, type TracerMeta, standaloneContext } from '../../core/tracer';
import { type Effect, type PathKind, effectOf, hasEffect } from './effects';
import { DurationHistogram } from './histogram';
import type { SyscallConnectData, SyscallPeerData } from './kinds';
import { type StraceLine, parseStraceLine } from './line';

export * from './kinds';
export { parseStraceLine, type StraceLine, type LineKind } from './line';
export { effectOf, type Effect, type PathKind, type PeerKind } from './effects';
export { decodeString, unescapeStrace } from './strings';
export { parseFdTarget, parseSockAddr, parseEndpoint, type FdTarget, type SockAddr, type Endpoint } from './fd';
export { DurationHistogram } from './histogram';

/** Bounds on what the tracer keeps; each has a documented default. */
export interface SyscallLimits {
  /** Paths kept (default 10,000); when full the least used tenth is forgotten and counted. */
  maxPaths: number;
  /** Peers kept (default 2,000), forgotten like paths. */
  maxPeers: number;
  /** Processes and threads kept in the tree (default 10,000); later ones are counted only. */
  maxProcesses: number;
  /** `syscall.connect`/`syscall.accept` findings published (default 1,000). */
  maxFindings: number;
  /** Failed-call events given to `onEvent` (default 10,000). */
  maxErrorEvents: number;
}

export const DEFAULT_SYSCALL_LIMITS: SyscallLimits = {
  maxPaths: 10_000,
  maxPeers: 2_000,
  maxProcesses: 10_000,
  maxFindings: 1_000,
  maxErrorEvents: 10_000,
};

export interface SyscallTracerOptions {
  limits?: Partial<SyscallLimits>;
  /** Milliseconds since the epoch of the midnight `-tt` times count from (default: today's, UTC). `-ttt` times need none. */
  dayStart?: number;
  /** Receives the LogEvents derived from calls: connections and meaningful failures. */
  onEvent?: (event: LogEvent) => void;
  /** Receives every completed call with its process and effect (for NDJSON export). */
  onCall?: (call: StraceLine, process: ProcessNode, effect: Effect | undefined) => void;
}

/** One syscall's figures. Durations in seconds. */
export interface SyscallFigures {
  name: string;
  count: number;
  errors: number;
  errnos: Record<string, number>;
  total: number;
  avg: number;
  p95: number;
  max: number;
  /** Share of all time spent in syscalls, 0-1. */
  share: number;
}

/** One path's accesses. */
export interface PathFigures {
  path: string;
  total: number;
  open: number;
  stat: number;
  read: number;
  write: number;
  unlink: number;
  exec: number;
  bytesRead: number;
  bytesWritten: number;
  /** Calls on it that failed. */
  errors: number;
}

/** One network peer. */
export interface PeerFigures {
  ip: string;
  /** The peer's port (for accepted peers, their source port). */
  port: number;
  protocol: string;
  connects: number;
  accepts: number;
  sends: number;
  recvs: number;
  bytesSent: number;
  bytesReceived: number;
  failures: number;
  pids: number[];
}

/** A process (or thread) of the traced tree. */
export interface ProcessNode {
  pid: number;
  ppid: number | null;
  /** The thread group leader, for a thread; its own pid for a process. */
  tgid: number;
  thread: boolean;
  name: string;
  exe: string | null;
  argv: string[];
  /** Seconds (as strace stamped them). */
  start: number | null;
  end: number | null;
  exitCode: number | null;
  signal: string | null;
  calls: number;
}

/** Everything the tracer counted, as plain data. */
export interface SyscallReport {
  lines: {
    total: number;
    calls: number;
    unfinished: number;
    /** A `resumed` line whose `unfinished` half was never seen (attached mid-call). */
    orphanResumed: number;
    signals: number;
    notes: number;
    summary: number;
    garbage: number;
  };
  /** Seconds spent in syscalls (sum of `-T` durations). */
  totalTime: number;
  first: string | null;
  last: string | null;
  syscalls: SyscallFigures[];
  paths: PathFigures[];
  peers: PeerFigures[];
  processes: ProcessNode[];
  signals: Record<string, number>;
  dropped: { paths: number; peers: number; processes: number; findings: number; errorEvents: number };
}

interface CallStats {
  count: number;
  errors: number;
  errnos: Map<string, number>;
  durations: DurationHistogram;
}

/** errnos of failed calls worth an error event; ENOENT only on opens and execs. */
const MEANINGFUL_ERRNOS = new Set([
  'EACCES',
  'EPERM',
  'ENOSPC',
  'EDQUOT',
  'EROFS',
  'EMFILE',
  'ENFILE',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
const ENOENT_CALLS = new Set(['open', 'openat', 'openat2', 'creat', 'execve', 'execveat']);

/** The base name of an executable path. */
function baseName(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash >= 0 ? path.slice(slash + 1) : path;
}

/** The parenthesised strerror text of a failed result (`-1 ENOENT (No such file or directory)`). */
function errorText(ret: string, errno: string): string {
  const open = ret.indexOf('(');
  return open >= 0 && ret.endsWith(')') ? ret.slice(open + 1, -1) : errno;
}

function emptyPath(path: string): PathFigures {
  return {
    path,
    total: 0,
    open: 0,
    stat: 0,
    read: 0,
    write: 0,
    unlink: 0,
    exec: 0,
    bytesRead: 0,
    bytesWritten: 0,
    errors: 0,
  };
}

/** Keeps the most used nine tenths of a full table. */
function shrink<V>(table: Map<string, V>, weight: (value: V) => number): number {
  const sorted = [...table].sort((a, b) => weight(a[1]) - weight(b[1]));
  const drop = Math.max(1, Math.floor(sorted.length / 10));
  for (let i = 0; i < drop; i++) table.delete(sorted[i]![0]);
  return drop;
}

export class SyscallTracer implements Tracer {
  readonly meta: TracerMeta = {
    name: 'syscall',
    description:
      'Reads strace output: syscalls with durations and errors, paths, peers, the process tree; who talked to a suspect.',
    consumes: ['ip.threat', 'ip.blacklisted'],
    produces: ['syscall.connect', 'syscall.accept', 'syscall.peer'],
  };

  readonly limits: SyscallLimits;
  private ctx: TracerContext | undefined;
  private readonly dayStart: number;
  private readonly onEvent: SyscallTracerOptions['onEvent'];
  private readonly onCall: SyscallTracerOptions['onCall'];
  private readonly pending = new Map<number, StraceLine>();
  private readonly stats = new Map<string, CallStats>();
  private readonly paths = new Map<string, PathFigures>();
  private readonly peers = new Map<string, PeerFigures>();
  private readonly processes = new Map<number, ProcessNode>();
  private readonly signals = new Map<string, number>();
  private readonly lines = {
    total: 0,
    calls: 0,
    unfinished: 0,
    orphanResumed: 0,
    signals: 0,
    notes: 0,
    summary: 0,
    garbage: 0,
  };
  private readonly dropped = { paths: 0, peers: 0, processes: 0, findings: 0, errorEvents: 0 };
  private findingsPublished = 0;
  private errorEvents = 0;
  private first = NaN;
  private last = NaN;
  private eventLine = 0;

  constructor(options: SyscallTracerOptions = {}) {
    this.limits = { ...DEFAULT_SYSCALL_LIMITS, ...options.limits };
    const now = new Date();
    this.dayStart = options.dayStart ?? Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
    this.onEvent = options.onEvent;
    this.onCall = options.onCall;
  }

  attach(ctx: TracerContext): void {
    this.ctx = ctx;
    const onSuspect = (finding: Finding<'ip.threat'> | Finding<'ip.blacklisted'>) => this.answer(ctx, finding);
    ctx.on('ip.threat', onSuspect);
    ctx.on('ip.blacklisted', onSuspect);
  }

  private context(): TracerContext {
    if (!this.ctx) this.attach(standaloneContext(this));
    return this.ctx!;
  }

  /** Takes one line of strace's output (without its newline). */
  line(text: string): void {
    this.lines.total++;
    const line = parseStraceLine(text);
    switch (line.kind) {
      case 'call':
        this.call(line);
        break;
      case 'unfinished':
        this.lines.unfinished++;
        this.pending.set(line.pid, line);
        break;
      case 'resumed': {
        const start = this.pending.get(line.pid);
        if (start && start.name === line.name) {
          this.pending.delete(line.pid);
          // The call began when its first half was stamped; its arguments are both halves.
          line.time = start.time;
          line.args = start.args + line.args;
        } else {
          this.lines.orphanResumed++;
        }
        line.kind = 'call';
        this.call(line);
        break;
      }
      case 'signal':
        this.lines.signals++;
        this.signals.set(line.name, (this.signals.get(line.name) ?? 0) + 1);
        this.stamp(line.time);
        break;
      case 'exit':
      case 'killed':
        this.ended(line);
        break;
      case 'note':
        this.lines.notes++;
        break;
      case 'summary':
        this.lines.summary++;
        break;
      default:
        this.lines.garbage++;
    }
  }

  /** Takes a whole chunk of text (lines separated by `\n`, the last one complete). */
  feed(text: string): void {
    let from = 0;
    for (;;) {
      const nl = text.indexOf('\n', from);
      if (nl < 0) break;
      if (nl > from) this.line(text.slice(from, nl));
      from = nl + 1;
    }
    if (from < text.length) this.line(text.slice(from));
  }

  /** End of input: a call still unfinished never returned (strace was stopped); nothing to conclude. */
  finish(): void {
    this.pending.clear();
  }

  private stamp(time: number): void {
    if (Number.isNaN(time)) return;
    if (!(time >= this.first)) this.first = time;
    if (!(time <= this.last)) this.last = time;
  }

  /** ms since the epoch of a strace time (`-ttt` is already absolute; `-tt` counts from midnight). */
  epochMs(time: number): number | undefined {
    if (Number.isNaN(time)) return undefined;
    return time > 1e8 ? time * 1000 : this.dayStart + time * 1000;
  }

  private iso(time: number): string | null {
    const ms = this.epochMs(time);
    return ms === undefined ? null : new Date(ms).toISOString();
  }

  /** The node of a thread id, made on first sight (a thread of an attached process, or the first process). */
  processOf(tid: number): ProcessNode {
    let node = this.processes.get(tid);
    if (!node) {
      node = {
        pid: tid,
        ppid: null,
        tgid: tid,
        thread: false,
        name: '?',
        exe: null,
        argv: [],
        start: null,
        end: null,
        exitCode: null,
        signal: null,
        calls: 0,
      };
      if (this.processes.size < this.limits.maxProcesses) this.processes.set(tid, node);
      else this.dropped.processes++;
    }
    return node;
  }

  private leader(node: ProcessNode): ProcessNode {
    return node.thread ? (this.processes.get(node.tgid) ?? node) : node;
  }

  private call(call: StraceLine): void {
    this.lines.calls++;
    this.stamp(call.time);
    let stats = this.stats.get(call.name);
    if (!stats) {
      stats = { count: 0, errors: 0, errnos: new Map(), durations: new DurationHistogram() };
      this.stats.set(call.name, stats);
    }
    // A call that never returned (`= ?`: exit, a killed thread) is not counted, as `strace -c` does not.
    const returned = !(Number.isNaN(call.value) && call.errno === '');
    if (returned) {
      stats.count++;
      if (call.errno !== '') {
        stats.errors++;
        stats.errnos.set(call.errno, (stats.errnos.get(call.errno) ?? 0) + 1);
      }
      stats.durations.add(call.duration);
    }
    const node = this.processOf(call.pid);
    node.calls++;
    if (node.start === null && !Number.isNaN(call.time)) node.start = call.time;
    const effect = hasEffect(call.name) ? effectOf(call) : undefined;
    if (effect) this.apply(call, node, effect);
    if (
      call.errno !== '' &&
      (MEANINGFUL_ERRNOS.has(call.errno) || (call.errno === 'ENOENT' && ENOENT_CALLS.has(call.name)))
    ) {
      this.failed(call, node, effect);
    }
    this.onCall?.(call, node, effect);
  }

  private apply(call: StraceLine, node: ProcessNode, effect: Effect): void {
    switch (effect.type) {
      case 'path':
        this.touch(effect.path, effect.kind, effect.bytes, call.errno !== '');
        break;
      case 'exec':
        this.touch(effect.path, 'exec', 0, false);
        node.exe = effect.path;
        node.argv = effect.argv;
        node.name = baseName(effect.path);
        break;
      case 'spawn': {
        const child = this.processOf(effect.child);
        const parent = this.leader(node);
        child.ppid = parent.pid;
        child.thread = effect.thread;
        child.tgid = effect.thread ? parent.pid : child.pid;
        if (child.name === '?') child.name = parent.name;
        if (!effect.thread && child.exe === null) {
          child.exe = parent.exe;
          child.argv = parent.argv;
        }
        if (child.start === null && !Number.isNaN(call.time)) child.start = call.time;
        break;
      }
      case 'peer':
        this.meet(call, node, effect);
        break;
    }
  }

  private touch(path: string, kind: PathKind, bytes: number, failed: boolean): void {
    let figures = this.paths.get(path);
    if (!figures) {
      if (this.paths.size >= this.limits.maxPaths) this.dropped.paths += shrink(this.paths, (p) => p.total);
      figures = emptyPath(path);
      this.paths.set(path, figures);
    }
    figures.total++;
    figures[kind]++;
    if (kind === 'read') figures.bytesRead += bytes;
    else if (kind === 'write') figures.bytesWritten += bytes;
    if (failed) figures.errors++;
  }

  private meet(call: StraceLine, node: ProcessNode, effect: Extract<Effect, { type: 'peer' }>): void {
    const key = `${effect.protocol} ${effect.ip} ${effect.port}`;
    let peer = this.peers.get(key);
    if (!peer) {
      if (this.peers.size >= this.limits.maxPeers)
        this.dropped.peers += shrink(this.peers, (p) => p.connects + p.accepts + p.sends + p.recvs);
      peer = {
        ip: effect.ip,
        port: effect.port,
        protocol: effect.protocol,
        connects: 0,
        accepts: 0,
        sends: 0,
        recvs: 0,
        bytesSent: 0,
        bytesReceived: 0,
        failures: 0,
        pids: [],
      };
      this.peers.set(key, peer);
    }
    const leader = this.leader(node);
    if (peer.pids.length < 16 && !peer.pids.includes(leader.pid)) peer.pids.push(leader.pid);
    const failed = call.errno !== '' && call.errno !== 'EINPROGRESS';
    if (failed) peer.failures++;
    switch (effect.kind) {
      case 'connect':
        peer.connects++;
        break;
      case 'accept':
        peer.accepts++;
        break;
      case 'send':
        peer.sends++;
        peer.bytesSent += effect.bytes;
        return;
      case 'recv':
        peer.recvs++;
        peer.bytesReceived += effect.bytes;
        return;
    }
    this.publishPeer(call, leader, effect, failed);
  }

  private publishPeer(
    call: StraceLine,
    leader: ProcessNode,
    effect: Extract<Effect, { type: 'peer' }>,
    failed: boolean,
  ): void {
    const accept = effect.kind === 'accept';
    const data: SyscallConnectData = {
      pid: leader.pid,
      process: leader.name,
      cmdline: leader.argv.join(' ').slice(0, 512),
      ip: effect.ip,
      port: effect.port,
      protocol: effect.protocol,
      local: effect.local ? { ...effect.local } : null,
      at: this.iso(call.time),
      outcome: failed ? 'failure' : 'success',
      errno: call.errno === '' ? null : call.errno,
    };
    const ms = this.epochMs(call.time);
    this.onEvent?.(
      createEvent({
        source: 'strace',
        line: ++this.eventLine,
        format: 'strace',
        timestamp: ms,
        program: leader.name,
        pid: leader.pid,
        service: 'syscall',
        action: accept ? 'conn.accept' : 'conn.connect',
        outcome: failed ? 'failure' : 'success',
        ip: effect.ip,
        port: effect.port,
        message: `${leader.name} pid ${leader.pid} ${accept ? 'accepted' : 'connected to'} ${effect.ip}:${effect.port}`,
        raw: `${call.name}(${call.args}) = ${call.ret}`.slice(0, 4096),
      }),
    );
    // One finding per process and peer (an accepted peer by address: its ports are ephemeral).
    const key = accept ? `${leader.pid}<${effect.ip}` : `${leader.pid}>${effect.ip}:${effect.port}`;
    const kind = accept ? 'syscall.accept' : 'syscall.connect';
    const ctx = this.context();
    if (ctx.bus.get(kind, key)) return;
    if (this.findingsPublished >= this.limits.maxFindings) {
      this.dropped.findings++;
      return;
    }
    if (ctx.report(kind, key, data)) this.findingsPublished++;
  }

  private failed(call: StraceLine, node: ProcessNode, effect: Effect | undefined): void {
    if (!this.onEvent) return;
    if (this.errorEvents >= this.limits.maxErrorEvents) {
      this.dropped.errorEvents++;
      return;
    }
    this.errorEvents++;
    const leader = this.leader(node);
    const target =
      effect?.type === 'path' || effect?.type === 'exec'
        ? effect.path
        : effect?.type === 'peer'
          ? `${effect.ip}:${effect.port}`
          : '';
    const text = errorText(call.ret, call.errno);
    const message = `${call.name}${target ? ` ${target}` : ''}: ${text}`;
    this.onEvent(
      createEvent({
        source: 'strace',
        line: ++this.eventLine,
        format: 'strace',
        timestamp: this.epochMs(call.time),
        program: leader.name,
        pid: leader.pid,
        service: 'syscall',
        level: 'error',
        action: 'syscall.error',
        outcome: 'failure',
        message,
        raw: `${call.name}(${call.args}) = ${call.ret}`.slice(0, 4096),
        fields: { syscall: call.name, errno: call.errno, ...(target ? { target } : {}) },
      }),
    );
  }

  private ended(line: StraceLine): void {
    this.stamp(line.time);
    this.pending.delete(line.pid);
    const node = this.processOf(line.pid);
    if (!Number.isNaN(line.time)) node.end = line.time;
    if (line.kind === 'exit') node.exitCode = line.code;
    else node.signal = line.name;
  }

  /** Answers a suspect address with what the traced processes did with it. */
  private answer(ctx: TracerContext, finding: Finding<'ip.threat'> | Finding<'ip.blacklisted'>): void {
    const data: IpThreatData = finding.data;
    const met = [...this.peers.values()].filter((peer) => peer.ip === data.ip);
    if (met.length === 0) return;
    const pids = [...new Set(met.flatMap((peer) => peer.pids))];
    const processes = pids.map((pid) => {
      const node = this.processes.get(pid);
      return { pid, name: node?.name ?? '?', cmdline: (node?.argv ?? []).join(' ').slice(0, 512) };
    });
    const sum = (pick: (peer: PeerFigures) => number) => met.reduce((total, peer) => total + pick(peer), 0);
    const connects = sum((p) => p.connects);
    const ports = [...new Set(met.map((peer) => peer.port))].sort((a, b) => a - b).slice(0, 64);
    const who =
      processes
        .slice(0, 3)
        .map((p) => `${p.name} pid ${p.pid}`)
        .join(', ') + (processes.length > 3 ? ` and ${processes.length - 3} more` : '');
    // The ports it was connected to: an accepted peer's port is only its source port.
    const connectedPorts = [...new Set(met.filter((peer) => peer.connects > 0).map((peer) => peer.port))];
    const at = connectedPorts.length === 1 ? `:${connectedPorts[0]}` : '';
    const accepts = sum((p) => p.accepts);
    const verb =
      connects === 0 ? `accepted ${data.ip}` : `connected to ${data.ip}${at}${accepts > 0 ? ' and accepted it' : ''}`;
    const peer: SyscallPeerData = {
      ip: data.ip,
      summary: `${who} ${verb}`,
      processes,
      ports,
      connects,
      accepts,
      bytesSent: sum((p) => p.bytesSent),
      bytesReceived: sum((p) => p.bytesReceived),
    };
    if (ctx.bus.get('syscall.peer', data.ip)) ctx.bus.revise('syscall.peer', data.ip, peer);
    else ctx.report('syscall.peer', data.ip, peer, finding);
  }

  /** Findings on the tracer's bus (its private one when used on its own). */
  findings(): AnyFinding[] {
    return this.context().bus.findings();
  }

  /** Per-syscall figures, most time first (as `strace -c` sorts). */
  syscalls(): SyscallFigures[] {
    let all = 0;
    for (const stats of this.stats.values()) all += stats.durations.total;
    const out: SyscallFigures[] = [];
    for (const [name, stats] of this.stats) {
      if (stats.count === 0) continue;
      const d = stats.durations;
      out.push({
        name,
        count: stats.count,
        errors: stats.errors,
        errnos: Object.fromEntries([...stats.errnos].sort((a, b) => b[1] - a[1])),
        total: d.total,
        avg: d.timed ? d.total / d.timed : 0,
        p95: d.quantile(0.95),
        max: d.max,
        share: all > 0 ? d.total / all : 0,
      });
    }
    return out.sort((a, b) => b.total - a.total || b.count - a.count || (a.name < b.name ? -1 : 1));
  }

  /** The report as plain data: the `top` most used paths and peers, the first `maxTree` processes. */
  report(top = 50, maxTree = 500): SyscallReport {
    const syscalls = this.syscalls();
    return {
      lines: { ...this.lines },
      totalTime: syscalls.reduce((sum, s) => sum + s.total, 0),
      first: this.iso(this.first),
      last: this.iso(this.last),
      syscalls,
      paths: [...this.paths.values()]
        .sort(
          (a, b) =>
            b.total - a.total ||
            b.bytesRead + b.bytesWritten - (a.bytesRead + a.bytesWritten) ||
            (a.path < b.path ? -1 : 1),
        )
        .slice(0, top)
        .map((p) => ({ ...p })),
      peers: [...this.peers.values()]
        .sort(
          (a, b) =>
            b.connects + b.accepts - (a.connects + a.accepts) ||
            b.bytesSent + b.bytesReceived - (a.bytesSent + a.bytesReceived),
        )
        .slice(0, top)
        .map((p) => ({ ...p, pids: p.pids.slice() })),
      processes: [...this.processes.values()].slice(0, maxTree).map((p) => ({ ...p, argv: p.argv.slice() })),
      signals: Object.fromEntries(this.signals),
      dropped: { ...this.dropped, processes: this.dropped.processes + Math.max(0, this.processes.size - maxTree) },
    };
  }

  /** Pids of the processes (not threads) that have not exited, at most `max`: what /proc sampling reads. */
  livePids(max = 256): number[] {
    const out: number[] = [];
    for (const node of this.processes.values()) {
      if (out.length >= max) break;
      if (!node.thread && node.end === null) out.push(node.pid);
    }
    return out;
  }

  /** The tracer's statistics for an investigation's report. */
  summary(): Record<string, unknown> {
    return {
      lines: { ...this.lines },
      syscalls: this.stats.size,
      paths: this.paths.size,
      peers: this.peers.size,
      processes: this.processes.size,
      dropped: { ...this.dropped },
    };
  }
}
