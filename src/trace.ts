/**
 * Tracing an application: runs `strace` on a command (or attaches to a pid),
 * streams its output through a FIFO into the syscall tracer (so the program's
 * own stdout and stderr stay its own), samples the traced processes' CPU and
 * RSS from /proc, and correlates on one bus: every connection goes to the IP
 * tracer (a listed peer becomes a case), every meaningful failed call to the
 * error tracer. What `logsleuth trace` runs; the result is plain data.
 */
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, constants, existsSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Socket } from 'node:net';
import { join } from 'node:path';
import type { Case } from './core/case';
import { Investigation } from './core/investigation';
import type { Clock } from './core/options';
import type { ErrorRecurringData } from './core/kinds';
import { clockTicks, pageSize, parseProcStat, readText } from './proc';
import { ErrorTracer } from './tracers/error';
import { IpTracer } from './tracers/ip';
import { readReputation } from './tracers/ip/reputation';
import type { CidrSet } from './tracers/ip/whitelist';
import { listedAddresses } from './tracers/ip/listed';
import {
  type Effect,
  type ProcessNode,
  type StraceLine,
  type SyscallLimits,
  type SyscallPeerData,
  type SyscallReport,
  SyscallTracer,
} from './tracers/syscall';

/** Why a trace could not run; `kind` is stable, `message` is for people. */
export class TraceError extends Error {
  constructor(
    readonly kind: 'strace-missing' | 'ptrace-refused' | 'no-such-process' | 'strace-failed' | 'bad-options',
    message: string,
  ) {
    super(message);
    this.name = 'TraceError';
  }
}

export interface TraceOptions {
  /** The command and its arguments (exactly one of `command` and `pid`). */
  command?: string[];
  /** A running process to attach to. */
  pid?: number;
  /** Stop after this many ms (detaching from `pid`, or ending the command's trace). */
  durationMs?: number;
  /** Stops the trace early (Ctrl-C): strace detaches, the report still comes. */
  signal?: AbortSignal;
  /** The strace binary (default `strace` on the PATH). */
  strace?: string;
  /** Longest string strace prints (`-s`, default 256). */
  stringSize?: number;
  /** Where the traced command's stdout goes (default: inherited; `stderr` when stdout carries machine output). */
  programOutput?: 'inherit' | 'ignore' | 'stderr';
  /** strace's own messages and, with `inherit`, the program's stderr pass through here (default: process.stderr). */
  onStderr?: (chunk: Buffer) => void;
  /** A reputation database (schemas/reputation.schema.json): listed peers become cases. */
  reputation?: string;
  /** Known-malicious addresses or networks (a blacklist): a peer in one becomes a case. */
  knownBad?: CidrSet;
  /** Interval of /proc samples and of `onTick`, ms (default 1000). */
  sampleMs?: number;
  /** Called every `sampleMs` with the figures so far (the live view). */
  onTick?: (progress: TraceProgress) => void;
  /** Every completed call (for NDJSON export). */
  onCall?: (call: StraceLine, process: ProcessNode, effect: Effect | undefined) => void;
  limits?: Partial<SyscallLimits>;
  procRoot?: string;
  clock?: Clock;
}

/** One /proc sample of the traced processes together. */
export interface ResourceSample {
  /** ms since the trace began. */
  t: number;
  /** Percent of one CPU over the interval before the sample. */
  cpu: number;
  /** Resident memory in bytes. */
  rss: number;
  processes: number;
}

/** What the live view shows. */
export interface TraceProgress {
  elapsedMs: number;
  report: SyscallReport;
  sample: ResourceSample | undefined;
}

/** A peer address the IP tracer classified. */
export interface PeerClass {
  ip: string;
  type: string;
  score: number;
  blacklisted: boolean;
}

/** A suspect peer: a case, with what the traced processes did with it. */
export interface TraceSuspect {
  ip: string;
  /** One sentence: "curl pid 4242 connected to 203.0.113.9:443, blacklisted: reputation score 85 (...)". */
  summary: string;
  blacklisted: boolean;
  score: number;
  reasons: string[];
  peer: SyscallPeerData | null;
}

/** A failed-call problem from the error tracer, with the paths or addresses it failed on. */
export interface TraceFailure extends ErrorRecurringData {
  /** The distinct targets (paths, `ip:port`), first seen first, at most 20. */
  targets: string[];
  /** How many distinct targets there were. */
  targetCount: number;
}

/** Everything a trace found, as plain data. */
export interface TraceResult {
  version: 1;
  command: string[] | null;
  pid: number | null;
  startedAt: string;
  /** Wall time of the trace, ms. */
  elapsedMs: number;
  /** How the traced command ended (its first process); null when attached, or when it did not end. */
  exit: { code: number | null; signal: string | null } | null;
  syscall: SyscallReport;
  /** Lines of strace's output over 4 Mi characters, skipped (not in `syscall`). */
  overlongLines: number;
  resources: { samples: ResourceSample[]; peakRss: number; peakCpu: number };
  peers: PeerClass[];
  suspects: TraceSuspect[];
  errors: TraceFailure[];
  cases: Case[];
  /** strace's own complaints (its stderr lines starting `strace:`), bounded. */
  straceMessages: string[];
}

const DEBIAN_HINT = "install Debian's package 'strace' (apt-get install strace)";

/** The kernel's ptrace restriction (`kernel.yama.ptrace_scope`), undefined without Yama. */
export function ptraceScope(procRoot = '/proc'): number | undefined {
  const text = readText(join(procRoot, 'sys', 'kernel', 'yama', 'ptrace_scope'));
  const value = text === undefined ? NaN : Number(text.trim());
  return Number.isInteger(value) ? value : undefined;
}

const YAMA = '/proc/sys/kernel/yama/ptrace_scope';

/** strace's complaint that the kernel refused ptrace (EPERM), if one of its messages is one. */
export function ptraceRefusal(straceMessages: readonly string[]): string | undefined {
  // e.g. `attach: ptrace(PTRACE_SEIZE, 1): Operation not permitted`, `PTRACE_TRACEME: Operation not permitted`.
  return straceMessages.find((m) => m.includes('Operation not permitted') && m.toLowerCase().includes('ptrace'));
}

/** One line explaining a refused ptrace, from strace's message and Yama's setting. */
export function explainPtraceRefusal(straceMessage: string, scope: number | undefined): string {
  const why =
    scope === undefined
      ? `no ${YAMA} (no Yama), so the kernel refused for want of CAP_SYS_PTRACE: the process is another user's, or a container or seccomp profile drops it (docker: --cap-add SYS_PTRACE)`
      : scope === 0
        ? `${YAMA} is 0 (classic ptrace): the process is another user's, or CAP_SYS_PTRACE is dropped (docker: --cap-add SYS_PTRACE)`
        : scope === 1
          ? `${YAMA} is 1: only a parent may trace its children; trace the command instead of --pid, run as root, or sysctl kernel.yama.ptrace_scope=0`
          : scope === 2
            ? `${YAMA} is 2: only a process with CAP_SYS_PTRACE (root) may attach`
            : `${YAMA} is ${scope}: ptrace is disabled on this host until reboot`;
  return `ptrace refused (${straceMessage.trim()}): ${why}`;
}

const MAX_TARGETS = 20;
/** Longest line of strace's output read; a longer one (a huge escaped write at a big -s) is skipped and counted. */
const MAX_LINE = 4 << 20;

/**
 * The distinct targets of each error signature. The error tracer groups
 * `openat <*> No such file or directory` and keeps one example path: the first,
 * often the C library's locale probe, where the user looks for their own file.
 */
class FailureTargets {
  private readonly bySignature = new Map<string, Set<string>>();

  add(signature: string, target: string): void {
    let targets = this.bySignature.get(signature);
    if (!targets) this.bySignature.set(signature, (targets = new Set()));
    // Bounded by the syscall tracer's maxErrorEvents: one target per event at most.
    targets.add(target);
  }

  of(problem: ErrorRecurringData): TraceFailure {
    const targets = this.bySignature.get(problem.signature) ?? new Set<string>();
    return { ...problem, targets: [...targets].slice(0, MAX_TARGETS), targetCount: targets.size };
  }
}

/** Splits a byte stream into lines, bounding each: a longer line is counted and skipped. */
export class LineSplitter {
  private rest = '';
  private skipping = false;
  overlong = 0;

  constructor(
    private readonly maxLine: number,
    private readonly onLine: (line: string) => void,
  ) {}

  push(chunk: string): void {
    let from = 0;
    for (;;) {
      const nl = chunk.indexOf('\n', from);
      if (nl < 0) break;
      if (this.skipping) this.skipping = false;
      // The length is checked here too: a line whose end comes in this chunk is not checked below.
      else if (this.rest.length + nl - from > this.maxLine) this.overlong++;
      else this.onLine(this.rest.length ? this.rest + chunk.slice(from, nl) : chunk.slice(from, nl));
      this.rest = '';
      from = nl + 1;
    }
    if (this.skipping) return;
    this.rest += chunk.slice(from);
    if (this.rest.length > this.maxLine) {
      this.overlong++;
      this.rest = '';
      this.skipping = true;
    }
  }

  end(): void {
    if (!this.skipping && this.rest.length) this.onLine(this.rest);
    this.rest = '';
  }
}

/** Reads the traced processes' CPU ticks and RSS from /proc/[pid]/stat. */
class ResourceSampler {
  readonly samples: ResourceSample[] = [];
  private previous = new Map<number, { ticks: number; start: number }>();
  private previousAt = 0;
  private readonly ticks = clockTicks();
  private readonly page = pageSize();
  private stride = 1;
  private count = 0;

  constructor(private readonly procRoot: string) {}

  sample(pids: readonly number[], at: number): ResourceSample | undefined {
    const current = new Map<number, { ticks: number; start: number }>();
    let used = 0;
    let rss = 0;
    for (const pid of pids) {
      const text = readText(join(this.procRoot, String(pid), 'stat'));
      const stat = text === undefined ? undefined : parseProcStat(text);
      if (!stat) continue;
      const ticks = stat.utime + stat.stime;
      current.set(pid, { ticks, start: stat.startTicks });
      const before = this.previous.get(pid);
      used += before && before.start === stat.startTicks ? ticks - before.ticks : 0;
      rss += stat.rssPages * this.page;
    }
    const elapsed = (at - this.previousAt) / 1000;
    const first = this.previous.size === 0 && this.previousAt === 0;
    this.previous = current;
    this.previousAt = at;
    if (current.size === 0) return undefined;
    const sample: ResourceSample = {
      t: Math.round(at),
      cpu: first || !(elapsed > 0) ? 0 : Math.round((used / this.ticks / elapsed) * 100 * 10) / 10,
      rss,
      processes: current.size,
    };
    // Bounded: past 3,600 samples every other one is dropped and the rate halves.
    if (this.count++ % this.stride === 0) this.samples.push(sample);
    if (this.samples.length > 3600) {
      for (let i = 1; i < this.samples.length; i++) this.samples.splice(i, 1);
      this.stride *= 2;
    }
    return sample;
  }
}

/** The strace command line logsleuth runs. */
export function straceArguments(
  output: string,
  options: Pick<TraceOptions, 'command' | 'pid' | 'stringSize'>,
): string[] {
  // -q (not -qq): attach messages go, `+++ exited with +++` lines stay.
  const args = ['-f', '-q', '-ttt', '-T', '-yy', '-s', String(options.stringSize ?? 256), '-o', output];
  if (options.pid !== undefined) return [...args, '-p', String(options.pid)];
  return [...args, '--', ...(options.command ?? [])];
}

/** Runs `strace` and the tracers; resolves with the result once strace has ended. */
export async function trace(options: TraceOptions): Promise<TraceResult> {
  if ((options.command === undefined) === (options.pid === undefined)) {
    throw new TraceError('bad-options', 'give a command to run or a --pid to attach to, not both');
  }
  if (options.command !== undefined && options.command.length === 0)
    throw new TraceError('bad-options', 'no command to trace');
  const procRoot = options.procRoot ?? '/proc';
  if (
    options.pid !== undefined &&
    !(Number.isInteger(options.pid) && options.pid > 0 && existsSync(join(procRoot, String(options.pid))))
  ) {
    throw new TraceError('no-such-process', `no process ${options.pid} to attach to`);
  }
  const db = options.reputation ? await readReputation(options.reputation) : undefined;
  const { set: knownBad, reasons: reputationReasons } = listedAddresses(options.knownBad, db);

  // A listed peer is a suspect from one contact: the trace holds no other evidence against it.
  const ip = new IpTracer({
    ...(knownBad ? { knownMalicious: knownBad } : {}),
    scoring: { weights: { knownMalicious: 100 } },
  });
  const error = new ErrorTracer({ checkHost: false });
  // The tracer is built before the investigation that holds it; its events reach it through this slot.
  const sink: { investigation?: Investigation } = {};
  const targets = new FailureTargets();
  const syscall = new SyscallTracer({
    ...(options.limits ? { limits: options.limits } : {}),
    onEvent: (event) => {
      sink.investigation?.ingest(event);
      const signature = error.signatureFor(event);
      const target = event.fields?.['target'];
      if (signature !== undefined && typeof target === 'string') targets.add(signature, target);
    },
    ...(options.onCall ? { onCall: options.onCall } : {}),
  });
  const investigation = new Investigation({
    tracers: [ip, error, syscall],
    procRoot,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  sink.investigation = investigation;

  const dir = mkdtempSync(join(tmpdir(), 'logsleuth-trace-'));
  const fifo = join(dir, 'strace.out');
  const started = Date.now();
  const messages: string[] = [];
  try {
    execFileSync('mkfifo', ['-m', '600', fifo]);
    const exit = await runStrace(fifo, syscall, messages, options, started, procRoot);
    await investigation.finish();
    const report = syscall.report();
    if (report.lines.total === 0) {
      const refused = ptraceRefusal(messages);
      if (refused) throw new TraceError('ptrace-refused', explainPtraceRefusal(refused, ptraceScope(procRoot)));
      if (options.pid !== undefined && messages.some((m) => m.includes('No such process'))) {
        throw new TraceError('no-such-process', `process ${options.pid} exited before strace could attach`);
      }
      if (exit.code !== 0 && messages.length)
        throw new TraceError('strace-failed', `strace failed: ${messages.slice(0, 3).join(' / ')}`);
    }
    const result = investigation.result();
    const root = options.command ? report.processes[0] : undefined;
    return {
      version: 1,
      command: options.command ?? null,
      pid: options.pid ?? null,
      startedAt: new Date(started).toISOString(),
      elapsedMs: Date.now() - started,
      exit:
        root && (root.exitCode !== null || root.signal !== null) ? { code: root.exitCode, signal: root.signal } : null,
      syscall: report,
      resources: exit.resources,
      overlongLines: exit.overlongLines,
      peers: classifyPeers(ip, report),
      suspects: suspectsOf(investigation, reputationReasons),
      errors: result.errors.map((problem) => targets.of(problem)),
      cases: result.cases,
      straceMessages: messages.slice(0, 20),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function classifyPeers(ip: IpTracer, report: SyscallReport): PeerClass[] {
  const seen = new Map<string, PeerClass>();
  for (const peer of report.peers) {
    if (seen.has(peer.ip)) continue;
    const profile = ip.profile(peer.ip);
    if (profile)
      seen.set(peer.ip, { ip: peer.ip, type: profile.type, score: profile.score, blacklisted: profile.blacklisted });
  }
  return [...seen.values()];
}

function suspectsOf(investigation: Investigation, reputation: Map<string, string>): TraceSuspect[] {
  const bus = investigation.bus;
  const out: TraceSuspect[] = [];
  for (const verdict of [...bus.findings('ip.blacklisted'), ...bus.findings('ip.threat')]) {
    if (out.some((s) => s.ip === verdict.data.ip)) continue;
    const peer = bus.get('syscall.peer', verdict.data.ip)?.data ?? null;
    const why = reputation.get(verdict.data.ip) ?? verdict.data.reasons.map((r) => r.text).join('; ');
    // Loopback and the whitelist are never blacklisted, but a listed address there is still a case.
    const whitelisted = verdict.data.reasons.some((r) => r.code === 'whitelisted');
    const state = verdict.data.blacklisted
      ? 'blacklisted'
      : whitelisted
        ? 'suspect (whitelisted here, so never blacklisted)'
        : 'suspect';
    out.push({
      ip: verdict.data.ip,
      summary: `${peer?.summary ?? `a traced process met ${verdict.data.ip}`}, ${state}: ${why}`,
      blacklisted: verdict.data.blacklisted,
      score: verdict.data.score,
      reasons: verdict.data.reasons.map((r) => r.text),
      peer,
    });
  }
  return out;
}

interface StraceEnd {
  code: number | null;
  resources: TraceResult['resources'];
  overlongLines: number;
}

/**
 * Opens the FIFO's read end without blocking, as a stream. A blocking open would wait
 * in a libuv thread for a writer, for ever if strace never starts, and keep the
 * process alive; a non-blocking read end reports no end until a writer has come and gone.
 */
function openFifo(fifo: string): Socket {
  return new Socket({ fd: openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK), writable: false });
}

/** Runs strace and feeds the FIFO into the tracer until strace ends; samples /proc meanwhile. */
async function runStrace(
  fifo: string,
  syscall: SyscallTracer,
  messages: string[],
  options: TraceOptions,
  started: number,
  procRoot: string,
): Promise<StraceEnd> {
  const sampler = new ResourceSampler(procRoot);
  const splitter = new LineSplitter(MAX_LINE, (line) => syscall.line(line));
  const stream = openFifo(fifo);
  const reading = new Promise<void>((resolve, reject) => {
    // latin1 keeps each byte one char (and no char split across chunks): strace escapes non-ASCII anyway.
    stream.on('data', (chunk: Buffer) => splitter.push(chunk.toString('latin1')));
    stream.on('end', () => {
      splitter.end();
      resolve();
    });
    stream.on('error', reject);
  });
  const child = spawn(options.strace ?? 'strace', straceArguments(fifo, options), {
    stdio: [
      'inherit',
      options.programOutput === 'ignore' ? 'ignore' : options.programOutput === 'stderr' ? process.stderr : 'inherit',
      'pipe',
    ],
  });
  let stderrTail = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    (options.onStderr ?? ((c: Buffer) => process.stderr.write(c)))(chunk);
    // strace's own complaints start `strace: `; the program's stderr passes through untouched.
    stderrTail = (stderrTail + chunk.toString('utf8')).slice(-16_384);
    const lines = stderrTail.split('\n');
    stderrTail = lines.pop() ?? '';
    for (const line of lines) if (line.startsWith('strace: ') && messages.length < 50) messages.push(line.slice(8));
  });
  // Node may or may not emit 'exit' after a spawn error: the error alone ends the wait.
  const spawnError = new Promise<never>((_, reject) =>
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'ENOENT'
          ? new TraceError('strace-missing', `strace not found (${options.strace ?? 'strace'}): ${DEBIAN_HINT}`)
          : new TraceError('strace-failed', `cannot run strace: ${error.message}`),
      ),
    ),
  );
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // A strace that ends without ever opening the FIFO (a bad option, an exec that failed before
  // it) leaves no writer to hang up: one opened and closed here gives the reader its end.
  void exited.then(() => {
    try {
      closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK));
    } catch {
      // The reader is already closed: nothing to end.
    }
  });
  const stop = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
  };
  options.signal?.addEventListener('abort', stop, { once: true });
  const timer = options.durationMs !== undefined ? setTimeout(stop, options.durationMs) : undefined;
  const sampleMs = options.sampleMs ?? 1000;
  // /proc is sampled four times a second at most (a short program still gets samples); the view refreshes every sampleMs.
  const every = Math.min(250, sampleMs);
  let latest: ResourceSample | undefined;
  let sinceTick = 0;
  const sample = () => {
    latest = sampler.sample(syscall.livePids(), Date.now() - started) ?? latest;
    sinceTick += every;
    if (sinceTick >= sampleMs) {
      sinceTick = 0;
      options.onTick?.({ elapsedMs: Date.now() - started, report: syscall.report(10, 0), sample: latest });
    }
  };
  const ticker = setInterval(sample, every);
  try {
    await Promise.race([Promise.all([reading, exited]), spawnError]);
  } finally {
    clearInterval(ticker);
    if (timer) clearTimeout(timer);
    options.signal?.removeEventListener('abort', stop);
    stream.destroy();
  }
  syscall.finish();
  const samples = sampler.samples;
  return {
    code: child.exitCode,
    overlongLines: splitter.overlong,
    resources: {
      samples,
      peakRss: samples.reduce((max, s) => Math.max(max, s.rss), 0),
      peakCpu: samples.reduce((max, s) => Math.max(max, s.cpu), 0),
    },
  };
}
