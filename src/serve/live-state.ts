/**
 * The server's view of a running investigation, in bounded memory: the
 * suspects' verdicts (live references: the bus revises them in place), the
 * last `maxEvents` events, counters for the metrics, and lists rebuilt at most
 * once a second while input flows (nothing is recomputed while idle).
 */
import { type FleetEvidence, buildCases } from '../core/case';
import type { LogEvent } from '../core/event';
import type { AnyFinding, Finding } from '../core/finding';
import type { ConnectionData, EventChainData, IpSweepData } from '../core/kinds';
import type { Investigation } from '../core/investigation';
import type { StandardTracers } from '../investigate';
import { processContext, readProcess } from '../proc/process';
import { findingLine } from '../report/finding-line';
import { readConnections } from '../tracers/network/connections';
import { filterConnections } from '../tracers/network/query';
import { exportReputation, type ReputationDb } from '../tracers/ip/reputation';
import { IpTracer } from '../tracers/ip';
import {
  type CaseDetail,
  type CaseSummary,
  type ErrorView,
  type EventQuery,
  type EventView,
  type Page,
  type PageQuery,
  type ServeSource,
  type SourceCounters,
  type StreamItem,
  page,
} from './source';

export interface LiveStateOptions {
  /** Recent events kept for `/api/v1/events` (default 10,000). */
  maxEvents?: number;
  /** Distinct service/action pairs counted for the metrics; the rest count as `other` (default 500). */
  maxLabelPairs?: number;
  /** Least time between two rebuilds of the ranked lists, in ms (default 1000). */
  rebuildMs?: number;
  procRoot?: string;
}

type Verdict = Finding<'ip.threat'> | Finding<'ip.blacklisted'>;

/** A collector's evidence per host of an address, given its case's score (undefined: seen on one host). */
export type FleetEvidenceOf = (ip: string, score: number) => FleetEvidence | undefined;

/** A value recomputed only when the state changed and the last one is older than `ttl`. */
class Cached<T> {
  private value: T | undefined;
  private version = -1;
  private builtAt = 0;
  constructor(
    private readonly build: () => T,
    private readonly ttl: number,
  ) {}
  get(version: number): T {
    const now = Date.now();
    if (this.value === undefined || (version !== this.version && now - this.builtAt >= this.ttl)) {
      this.value = this.build();
      this.version = version;
      this.builtAt = now;
    }
    return this.value;
  }
}

const iso = (t: number | undefined) => (t === undefined || !Number.isFinite(t) ? null : new Date(t).toISOString());

/** The API's view of an event. */
export function eventView(event: LogEvent, seq: number): EventView {
  return {
    seq,
    timestamp: iso(event.timestamp),
    source: event.source,
    line: event.line,
    host: event.host ?? null,
    program: event.program ?? null,
    service: event.service ?? null,
    level: event.level ?? null,
    action: event.action ?? null,
    outcome: event.outcome,
    ip: event.ip ?? null,
    port: event.port ?? null,
    user: event.user ?? null,
    message: event.message,
  };
}

function summaryOf(verdict: Verdict, fleetOf: FleetEvidenceOf | undefined): CaseSummary {
  const d = verdict.data;
  const fleet = fleetOf?.(d.ip, d.score);
  return {
    ip: d.ip,
    score: d.score,
    blacklisted: d.blacklisted,
    type: d.type,
    reasons: d.reasons,
    services: d.services,
    counts: d.counts,
    firstSeen: d.firstSeen,
    lastSeen: d.lastSeen,
    ...(fleet ? { fleet } : {}),
  };
}

export class LiveState implements ServeSource {
  private investigation: Investigation | undefined;
  private tracers: StandardTracers | undefined;
  private fleetOf: FleetEvidenceOf | undefined;
  private readonly procRoot: string;
  private readonly maxEvents: number;
  private readonly maxLabelPairs: number;
  private readonly ring: EventView[] = [];
  private seq = 0;
  private version = 0;
  private lines = 0;
  private eventCount = 0;
  private findings = 0;
  private readonly verdicts = new Map<string, Verdict>();
  private readonly byServiceAction = new Map<string, number>();
  private readonly byKind = new Map<string, number>();
  private readonly bySource = new Map<string, number>();
  private readonly listeners = new Set<(item: StreamItem) => void>();
  private readonly ranked: Cached<CaseSummary[]>;
  private readonly chainList: Cached<EventChainData[]>;
  private readonly errorList: Cached<ErrorView[]>;
  private readonly sweepList: Cached<IpSweepData[]>;

  constructor(options: LiveStateOptions = {}) {
    this.procRoot = options.procRoot ?? '/proc';
    this.maxEvents = options.maxEvents ?? 10_000;
    this.maxLabelPairs = options.maxLabelPairs ?? 500;
    const ttl = options.rebuildMs ?? 1000;
    this.ranked = new Cached(
      () =>
        [...this.verdicts.values()]
          .map((verdict) => summaryOf(verdict, this.fleetOf))
          .sort((a, b) => b.score - a.score || a.ip.localeCompare(b.ip)),
      ttl,
    );
    this.chainList = new Cached(() => this.tracers?.event.chains() ?? [], ttl);
    this.errorList = new Cached(() => this.buildErrors(), ttl);
    this.sweepList = new Cached(() => this.tracers?.ip.sweeps() ?? [], ttl);
  }

  /**
   * Connects the state to the investigation it reports on (before any event);
   * `fleetOf`: a collector's evidence per host, added to the cases seen on several hosts.
   */
  attach(investigation: Investigation, tracers: StandardTracers, fleetOf?: FleetEvidenceOf): void {
    this.investigation = investigation;
    this.tracers = tracers;
    this.fleetOf = fleetOf;
  }

  /** Takes one event read from the logs. */
  onEvent(event: LogEvent): void {
    this.version++;
    this.eventCount++;
    let lines = 1;
    for (let i = event.raw.indexOf('\n'); i >= 0; i = event.raw.indexOf('\n', i + 1)) lines++;
    this.lines += lines;
    this.bySource.set(event.source, (this.bySource.get(event.source) ?? 0) + 1);
    let pair = `${event.service ?? 'unknown'}\u0000${event.action ?? 'none'}`;
    if (!this.byServiceAction.has(pair) && this.byServiceAction.size >= this.maxLabelPairs) pair = 'other\u0000other';
    this.byServiceAction.set(pair, (this.byServiceAction.get(pair) ?? 0) + 1);
    const view = eventView(event, ++this.seq);
    this.ring.push(view);
    if (this.ring.length > this.maxEvents * 1.25) this.ring.splice(0, this.ring.length - this.maxEvents);
    if (this.listeners.size) this.emit({ type: 'event', ...view });
  }

  /** Takes one finding as the bus publishes it. */
  onFinding(finding: AnyFinding): void {
    this.version++;
    this.findings++;
    this.byKind.set(finding.kind, (this.byKind.get(finding.kind) ?? 0) + 1);
    if (finding.kind === 'ip.threat' || finding.kind === 'ip.blacklisted') {
      // The blacklist verdict comes later and carries the latest score. A verdict of the kind held
      // again means the bus evicted the held one (its revisions now go to this one).
      if (finding.kind === 'ip.blacklisted' || this.verdicts.get(finding.key)?.kind !== 'ip.blacklisted')
        this.verdicts.set(finding.key, finding);
    }
    if (this.listeners.size) {
      this.emit({
        type: 'finding',
        seq: ++this.seq,
        at: new Date(finding.at).toISOString(),
        kind: finding.kind,
        key: finding.key,
        tracer: finding.tracer,
        text: findingLine(finding).trimEnd(),
      });
    }
  }

  private emit(item: StreamItem): void {
    for (const listener of this.listeners) listener(item);
  }

  subscribe(listener: (item: StreamItem) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  counters(): SourceCounters {
    const errorsByCategory = new Map<string, number>();
    for (const e of this.errorList.get(this.version))
      errorsByCategory.set(e.category, (errorsByCategory.get(e.category) ?? 0) + e.count);
    const ranked = this.ranked.get(this.version);
    return {
      lines: this.lines,
      events: this.eventCount,
      findings: this.findings,
      findingsEvicted: this.investigation?.bus.stats().evicted ?? 0,
      eventsByServiceAction: this.byServiceAction,
      findingsByKind: this.byKind,
      errorsByCategory,
      scores: ranked.map((c) => c.score),
      blacklisted: ranked.filter((c) => c.blacklisted).length,
      inputs: [...this.bySource].map(([source, events]) => ({ source, events })),
    };
  }

  casesRevision(): object {
    return this.ranked.get(this.version);
  }

  cases(query: PageQuery & { minScore?: number }): Page<CaseSummary> {
    const ranked = this.ranked.get(this.version);
    const min = query.minScore;
    if (min === undefined) return page(ranked, query);
    // Ranked by score, highest first: the matches are a prefix.
    let end = 0;
    let high = ranked.length;
    while (end < high) {
      const mid = (end + high) >>> 1;
      if (ranked[mid]!.score >= min) end = mid + 1;
      else high = mid;
    }
    return { ...page(ranked.slice(0, end), query) };
  }

  caseDetail(ip: string): CaseDetail | undefined {
    const verdict = this.verdicts.get(ip);
    if (!verdict || !this.investigation) return undefined;
    const bus = this.investigation.bus;
    // The held verdict roots the case even when a bounded bus evicted it; it is the latest, so last.
    const roots = [bus.get('ip.threat', ip), bus.get('ip.blacklisted', ip)].filter(
      (f): f is Verdict => f !== undefined && f !== verdict,
    );
    const effects = this.investigation.findings().filter((f) => f.kind !== 'ip.threat' && f.kind !== 'ip.blacklisted');
    const found = buildCases([...roots, verdict, ...effects])[0];
    if (!found) return undefined;
    // From the event tracer's state, not the bus: current, and there even when the finding was evicted.
    const timeline = this.tracers?.event.timeline(ip);
    if (timeline) {
      found.timeline = timeline.events;
      found.timelineTotal = timeline.total;
    }
    const fleet = this.fleetOf?.(ip, found.score);
    if (fleet) found.fleet = fleet;
    const connections = this.connections({ ip });
    const context = processContext(this.procRoot, new Map(), 'basic');
    const pids = new Set(connections.flatMap((c) => (c.owners ?? []).map((o) => o.pid)));
    const processes: CaseDetail['live']['processes'] = [];
    for (const pid of pids) {
      const p = readProcess(context, pid);
      if (p) processes.push({ pid: p.pid, name: p.name, cmdline: p.cmdline, user: p.user });
    }
    return { ...found, live: { at: new Date().toISOString(), connections, processes } };
  }

  sweeps(): IpSweepData[] {
    return this.sweepList.get(this.version);
  }

  chains(query: PageQuery & { ip?: string; kind?: string }): Page<EventChainData> {
    const list = this.chainList
      .get(this.version)
      .filter(
        (c) => (query.ip === undefined || c.ip === query.ip) && (query.kind === undefined || c.kind === query.kind),
      );
    return page(list, query);
  }

  errors(query: PageQuery & { category?: string }): Page<ErrorView> {
    const list = this.errorList
      .get(this.version)
      .filter((e) => query.category === undefined || e.category === query.category);
    return page(list, query);
  }

  private buildErrors(): ErrorView[] {
    return (this.tracers?.error.problems() ?? []).map((p) => ({
      signature: p.signature,
      template: p.template,
      category: p.category,
      subkind: p.subkind,
      severity: p.severity,
      level: p.level,
      count: p.count,
      first: p.first,
      last: p.last,
      hint: p.hint,
      actions: p.actions,
      services: p.services,
      ips: p.ips.slice(0, 20),
    }));
  }

  events(query: EventQuery): Page<EventView> {
    const matches: EventView[] = [];
    let total = 0;
    // Newest first.
    for (let i = this.ring.length - 1, kept = Math.max(0, this.ring.length - this.maxEvents); i >= kept; i--) {
      const e = this.ring[i]!;
      if (query.ip !== undefined && e.ip !== query.ip) continue;
      if (query.service !== undefined && e.service !== query.service) continue;
      if (query.action !== undefined && e.action !== query.action) continue;
      if (query.since !== undefined || query.until !== undefined) {
        const t = e.timestamp === null ? NaN : Date.parse(e.timestamp);
        if (Number.isNaN(t)) continue;
        if (query.since !== undefined && t < query.since) continue;
        if (query.until !== undefined && t > query.until) continue;
      }
      if (total >= query.offset && matches.length < query.limit) matches.push(e);
      total++;
    }
    return { total, offset: query.offset, limit: query.limit, items: matches };
  }

  connections(filter: { ip?: string; state?: string; port?: number }): ConnectionData[] {
    return filterConnections(readConnections(this.procRoot).connections, filter);
  }

  reputation(): ReputationDb {
    return exportReputation(this.tracers?.ip ?? new IpTracer());
  }
}
