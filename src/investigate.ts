/**
 * The standard investigation: all five tracers on one bus, fed from log files,
 * stdin or journald. What `logsleuth analyze` runs and what the examples call;
 * the CLI only parses flags and renders.
 */
import type { Fail2banPacks } from './logs/fail2ban';
import { jailThresholds } from './tracers/ip/jails';
import type { LogEvent } from './core/event';
import type { AnyFinding } from './core/finding';
import { Investigation } from './core/investigation';
import type { Clock, Limits, Resolver } from './core/options';
import type { InputReport, InvestigationResult } from './core/result';
import type { Tracer } from './core/tracer';
import type { SourceLine, SourceProblem } from './logs/line';
import { type SourceStats, readEvents } from './logs/read-events';
import { interleave } from './logs/sources/interleave';
import {
  JOURNALD_SOURCE,
  expandGlob,
  followLines,
  hasGlob,
  journalLines,
  modificationTime,
  readLines,
} from './logs/sources';
import { ErrorTracer, type ErrorTracerOptions } from './tracers/error';
import { EventTracer } from './tracers/event';
import { IpTracer, type IpTracerOptions } from './tracers/ip';
import { loadClassifier } from './tracers/ip/load-classifier';
import type { CidrSet } from './tracers/ip/whitelist';
import { NetworkTracer } from './tracers/network';
import { ProcessTracer } from './tracers/process';

/** What to read and how to analyse it. Everything but the inputs is optional. */
export interface InvestigateOptions {
  /** Files, globs, directories, rotated sets, `.gz`, or `-` for stdin. */
  inputs?: string[];
  /** Also read journald (`journalctl -o json`), optionally one unit. */
  journal?: { unit?: string };
  /** Force one log format (`raw`: no header parsing). */
  format?: string;
  /** Only events at or after / before this time (epoch ms). */
  since?: number;
  until?: number;
  /** Zone for timestamps without one (default: the process zone). */
  timezone?: string;
  /** Year-less syslog dates resolve against this date (epoch ms); default: each file's mtime. */
  referenceDate?: number;
  /** Correlate suspects with this host's live sockets and processes (/proc). */
  live?: boolean;
  procRoot?: string;
  /** Networks never blacklisted (default: loopback). */
  whitelist?: Iterable<string> | CidrSet;
  /** Known-malicious addresses and networks. */
  knownMalicious?: Iterable<string> | CidrSet;
  /** Providers' published range files (`path` or `name=path`). */
  cloudRanges?: string[];
  /** MaxMind databases (ASN, Country, City). */
  geoip?: string[];
  ip?: Omit<IpTracerOptions, 'classify' | 'whitelist' | 'knownMalicious'>;
  error?: ErrorTracerOptions;
  clock?: Clock;
  resolver?: Resolver;
  limits?: Partial<Limits>;
  /** Called with every event read (inside the time window), once the tracers have taken it, e.g. to stream it out. */
  onEvent?: (event: LogEvent, tracers: StandardTracers) => void;
  /** fail2ban's filters as rule packs (`loadFail2ban`), tried where the built-in recognisers find nothing hostile. */
  fail2ban?: Fail2banPacks;
  /** Called with each input or line problem as it happens. */
  onProblem?: (problem: SourceProblem) => void;
  /** Tracers attached besides the standard ones (a capture's traffic tracer). */
  tracers?: Tracer[];
}

/** The tracers of a standard investigation, for queries after the run. */
export interface StandardTracers {
  ip: IpTracer;
  event: EventTracer;
  error: ErrorTracer;
  network?: NetworkTracer;
  process?: ProcessTracer;
}

/** An investigation wired with the five built-in tracers (network and process only when `live`). */
export function createInvestigation(options: InvestigateOptions = {}): {
  investigation: Investigation;
  tracers: StandardTracers;
} {
  const classifier =
    options.cloudRanges?.length || options.geoip?.length
      ? loadClassifier({ cloudRanges: options.cloudRanges ?? [], geoip: options.geoip ?? [] }).classifier
      : undefined;
  const tracers: StandardTracers = {
    ip: new IpTracer({
      ...options.ip,
      ...(classifier ? { classify: (input: string) => classifier.classify(input) } : {}),
      ...(options.whitelist ? { whitelist: options.whitelist } : {}),
      ...(options.knownMalicious ? { knownMalicious: options.knownMalicious } : {}),
      ...(options.fail2ban ? { jails: jailThresholds(options.fail2ban.jails, options.fail2ban.filterNames()) } : {}),
    }),
    event: new EventTracer(),
    error: new ErrorTracer({ ...options.error, checkHost: options.live ?? false }),
  };
  if (options.live) {
    tracers.network = new NetworkTracer();
    tracers.process = new ProcessTracer();
  }
  const list: Tracer[] = [tracers.ip, tracers.event, tracers.error];
  if (tracers.network && tracers.process) list.push(tracers.network, tracers.process);
  list.push(...(options.tracers ?? []));
  const investigation = new Investigation({
    tracers: list,
    ...(options.procRoot ? { procRoot: options.procRoot } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.resolver ? { resolver: options.resolver } : {}),
    ...(options.limits ? { limits: options.limits as Limits } : {}),
  });
  return { investigation, tracers };
}

async function* concat(...streams: AsyncIterable<SourceLine>[]): AsyncGenerator<SourceLine> {
  for (const stream of streams) yield* stream;
}

/** Per-input counts: lines read (from the source) joined with parsing counts (from the pipeline). */
function inputReports(
  read: { source: string; lines: number; skipped: number; error?: string | undefined }[],
  parsed: SourceStats[],
): InputReport[] {
  const bySource = new Map(parsed.map((stats) => [stats.source, stats]));
  return read.map((input) => {
    const report: InputReport = { source: input.source, lines: input.lines, skipped: input.skipped };
    const stats = bySource.get(input.source);
    if (stats) report.unparsed = stats.unparsed;
    if (input.error) report.error = input.error;
    return report;
  });
}

/** The outcome of {@link investigate}. */
export interface InvestigateOutcome {
  result: InvestigationResult;
  investigation: Investigation;
  tracers: StandardTracers;
  /** Events outside the `since`/`until` window (or undated while a window was set). */
  outsideWindow: number;
}

/**
 * Reads every input, runs the standard investigation and returns its result.
 * A bad input is reported in `result.inputs` and the others are still read.
 */
export async function investigate(options: InvestigateOptions = {}): Promise<InvestigateOutcome> {
  const { investigation, tracers } = createInvestigation(options);
  const reader = readLines(options.inputs ?? [], options.onProblem ? { onProblem: options.onProblem } : {});
  const journal = options.journal ? [journalLines({ ...options.journal })] : [];
  const journalInput = { source: JOURNALD_SOURCE, lines: 0, skipped: 0, error: undefined as string | undefined };
  // A journal that cannot be read (no journalctl) is reported like a bad file; the files are still analysed.
  const counting = async function* (lines: AsyncIterable<SourceLine>) {
    try {
      for await (const line of lines) {
        journalInput.lines++;
        yield line;
      }
    } catch (error) {
      journalInput.error = error instanceof Error ? error.message : String(error);
    }
  };
  // Without a journal the files are the only stream: no extra async hop per line.
  const lines = journal.length ? concat(reader, ...journal.map(counting)) : reader;
  const events = readEvents(lines, {
    ...(options.fail2ban ? { fail2ban: options.fail2ban } : {}),
    ...(options.format ? { format: options.format } : {}),
    ...(options.timezone ? { timezone: options.timezone } : {}),
    ...(options.referenceDate !== undefined
      ? { referenceDate: options.referenceDate }
      : { referenceDateOf: modificationTime }),
  });
  const windowed = options.since !== undefined || options.until !== undefined;
  let outsideWindow = 0;
  for await (const batch of events.batches()) {
    for (const event of batch) {
      if (windowed) {
        const t = event.timestamp;
        if (
          t === undefined ||
          (options.since !== undefined && t < options.since) ||
          (options.until !== undefined && t > options.until)
        ) {
          outsideWindow++;
          continue;
        }
      }
      investigation.ingest(event);
      options.onEvent?.(event, tracers);
    }
  }
  await investigation.finish();
  const read: { source: string; lines: number; skipped: number; error?: string | undefined }[] = [...reader.inputs];
  if (options.journal) read.push(journalInput);
  const result = investigation.result(inputReports(read, events.stats()));
  return { result, investigation, tracers, outsideWindow };
}

/** Options of {@link watch}: those of an investigation, plus how to follow. */
export interface WatchOptions extends InvestigateOptions {
  /** Stops watching; the investigation then finishes (end-of-input findings are delivered too). */
  signal: AbortSignal;
  /** Called with every finding as it is published. */
  onFinding: (finding: AnyFinding) => void;
  /** Read the files from their beginning instead of only what is appended. */
  fromStart?: boolean;
  /** Interval between polls of the files, in ms (default 250). */
  pollMs?: number;
  /** Interval at which tracers publish what they can conclude so far (chains as they form), in ms (default 2000). */
  flushMs?: number;
  /** Called once with the investigation before the first event (`logsleuth serve` queries its tracers). */
  onInvestigation?: (investigation: Investigation, tracers: StandardTracers) => void;
}

/**
 * Follows files (tail -F: rotation-safe) and journald, feeding the standard
 * investigation, and reports every finding as it happens until `signal` aborts.
 */
export async function watch(options: WatchOptions): Promise<InvestigationResult> {
  const { investigation, tracers } = createInvestigation(options);
  options.onInvestigation?.(investigation, tracers);
  const kinds = new Set(investigation.tracers.flatMap((tracer) => tracer.meta.produces));
  for (const kind of [...kinds, 'bus.error' as const])
    investigation.bus.on(kind, (finding) => options.onFinding(finding as AnyFinding), 'watch');
  const streams: AsyncIterable<SourceLine>[] = [];
  // Follow takes literal paths (a file may appear later); a glob is expanded once, now.
  const paths: string[] = [];
  for (const input of options.inputs ?? []) paths.push(...(hasGlob(input) ? await expandGlob(input) : [input]));
  if (paths.length) {
    streams.push(
      followLines(paths, {
        signal: options.signal,
        ...(options.pollMs !== undefined ? { pollMs: options.pollMs } : {}),
        ...(options.fromStart ? { fromStart: true } : {}),
        ...(options.onProblem ? { onProblem: options.onProblem } : {}),
      }),
    );
  }
  if (options.journal) streams.push(journalLines({ ...options.journal, follow: true, signal: options.signal }));
  const events = readEvents(interleave(streams), {
    ...(options.fail2ban ? { fail2ban: options.fail2ban } : {}),
    ...(options.format ? { format: options.format } : {}),
    ...(options.timezone ? { timezone: options.timezone } : {}),
    referenceDate: options.referenceDate ?? Date.now(),
  });
  const flushing = setInterval(() => void investigation.flush(), options.flushMs ?? 2000);
  try {
    for await (const event of events) {
      investigation.ingest(event);
      options.onEvent?.(event, tracers);
    }
  } finally {
    clearInterval(flushing);
  }
  await investigation.finish();
  return investigation.result();
}
