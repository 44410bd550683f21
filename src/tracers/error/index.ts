/**
 * The error tracer: turns error lines into the few distinct problems behind
 * them. Each event is recognised (category, sub-kind, severity, details),
 * given a signature (stack traces by exception type and in-app frames, other
 * errors by their mined template), and counted per signature over time.
 *
 * On the bus it publishes `error.recurring` for problems seen more than once,
 * and answers `ip.threat` / `ip.blacklisted` with `error.related`: the errors
 * that mention the address or hit one of its services around its activity.
 */
import type { Level, LogEvent } from '../../core/event';
import type { Finding } from '../../core/finding';
import type { ErrorRecurringData, ErrorRelatedData, IpThreatData } from '../../core/kinds';
import type { Tracer, TracerContext, TracerMeta } from '../../core/tracer';
import { mentionedIps } from './details';
import { type ErrorAdvice, adviceFor } from './hints';
import { type HostCheck, checkHost } from './host-check';
import { type Bucket, TimeHistogram } from './histogram';
import { recognise } from './recognise';
import { type RecurrenceLimits, RecurrenceTable, type RecurrenceRecord, importance, ratePerMinute } from './recurrence';
import { OomIncidents } from './oom-incidents';
import { stackSignature, stackTemplate } from './signature';
import {
  DEFAULT_MINER_OPTIONS,
  type TemplateCluster,
  TemplateMiner,
  type TemplateMinerOptions,
  templateSignature,
} from './template-miner';
import type { ErrorCategory, ErrorDetails, RecognisedError } from './types';

export { recognise } from './recognise';
export { TemplateMiner, DEFAULT_MINER_OPTIONS, survivorOf, templateSignature, templateOf } from './template-miner';
/** The miner's shapes. */
export type { TemplateCluster, TemplateMatch, TemplateMinerOptions } from './template-miner';
export { maskTokens, WILDCARD } from './mask';
export { adviceFor, type ErrorAdvice } from './hints';
export { parseStackTrace, type StackTrace, type StackFrame, type StackException } from './stack-trace';
export { stackSignature, stackTemplate } from './signature';
export { ERROR_PATTERNS } from './categories';
export { DEFAULT_RECURRENCE_LIMITS, type RecurrenceLimits } from './recurrence';
/** What a host check found. */
export type { HostCheck } from './host-check';
/** The recognition shapes. */
export type { ErrorCategory, ErrorDetails, ErrorPattern, RecognisedError } from './types';

/** Options of the error tracer; every one has a documented default. */
export interface ErrorTracerOptions extends Partial<RecurrenceLimits> {
  /** The template miner's settings (DEFAULT_MINER_OPTIONS otherwise). */
  miner?: Partial<TemplateMinerOptions>;
  /** A signature is published as `error.recurring` as soon as it reaches this count (default 5); all with count > 1 at finish. */
  recurringThreshold?: number;
  /** Minutes before and after a suspect's activity in which same-service errors count as related (default 10). */
  relatedWindowMinutes?: number;
  /** Check the host's current state (/proc) on disk-full and OOM errors (default true). */
  checkHost?: boolean;
  /** /proc root for those checks (default: the context's procRoot, else /proc). */
  procRoot?: string;
}

/** One distinct problem, as queries and reports give it. */
export interface ErrorProblem extends ErrorAdvice {
  signature: string;
  template: string;
  category: ErrorCategory;
  subkind: string;
  /** The recogniser row that matched (`disk/enospc`), `level` for an unrecognised error-level line. */
  rule: string;
  severity: number;
  level: Level | null;
  count: number;
  first: string | null;
  last: string | null;
  /** Occurrences per minute between first and last. */
  ratePerMinute: number | null;
  /** The busiest bucket, per minute. */
  peakPerMinute: number;
  /** The busiest bucket itself: when the worst burst was and how many it held. */
  peak: { start: string; minutes: number; count: number } | null;
  history: { start: string; minutes: number; count: number }[];
  details: ErrorDetails;
  services: string[];
  ips: string[];
  examples: { source: string; line: number }[];
  /** The host's state when the problem was first seen (disk-full and OOM errors). */
  host?: HostCheck;
  /** severity x count: the order problems are listed in. */
  importance: number;
}

/** Errors grouped by one dimension (category, exception type or severity band) over time. */
export interface ErrorTrend {
  dimension: 'category' | 'type' | 'severity';
  value: string;
  count: number;
  signatures: number;
  history: { start: string; minutes: number; count: number }[];
}

/** What the tracer counted. */
export interface ErrorTracerStats {
  events: number;
  errors: number;
  signatures: number;
  evictedSignatures: number;
  evictedOccurrences: number;
  clusters: number;
  evictedClusters: number;
}

/** Occurrences in one bucket from which an HTTP 5xx problem is called a burst. */
const BURST_COUNT = 10;

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

function bucketView(bucket: Bucket): { start: string; minutes: number; count: number } {
  return { start: new Date(bucket.start).toISOString(), minutes: bucket.width / 60_000, count: bucket.count };
}

/** Severity bands used by `patterns()`. */
export function errorSeverityBand(severity: number): 'critical' | 'high' | 'medium' | 'low' {
  return severity >= 80 ? 'critical' : severity >= 60 ? 'high' : severity >= 40 ? 'medium' : 'low';
}

/**
 * The error tracer. Use it in an Investigation, or on its own:
 * `tracer.attach(standaloneContext(tracer))`, then `ingest` events, `finish()`,
 * and read `problems()`, `patterns()`, `relatedTo(ip)` and `stats()`.
 */
export class ErrorTracer implements Tracer {
  readonly meta: TracerMeta = {
    name: 'error',
    description: 'Recognises errors, groups them by signature, explains them and ties them to suspect addresses.',
    consumes: ['ip.threat', 'ip.blacklisted'],
    produces: ['error.recurring', 'error.related', 'error.problem'],
  };

  private readonly table: RecurrenceTable;
  private readonly miner: TemplateMiner;
  private readonly oom = new OomIncidents();
  private readonly clusterSignatures = new WeakMap<TemplateCluster, string>();
  private readonly eventSignatures = new WeakMap<LogEvent, string>();
  private readonly hostChecks = new Map<string, HostCheck>();
  private readonly threats = new Map<string, Finding<'ip.threat'> | Finding<'ip.blacklisted'>>();
  private readonly options: Required<
    Pick<ErrorTracerOptions, 'recurringThreshold' | 'relatedWindowMinutes' | 'checkHost'>
  >;
  private readonly procRoot: string | undefined;
  private ctx: TracerContext | undefined;
  private finished = false;
  private events = 0;
  private errors = 0;

  constructor(options: ErrorTracerOptions = {}) {
    const { miner, recurringThreshold, relatedWindowMinutes, checkHost: check, procRoot, ...limits } = options;
    this.table = new RecurrenceTable(limits);
    // The miner holds at least as many clusters as the table holds signatures, so a live record never loses its cluster.
    // The kind token leads every mined message, so routing looks one token deeper than the default.
    this.miner = new TemplateMiner({
      maxClusters: Math.max(this.table.limits.maxSignatures * 2, 1000),
      prefixTokens: DEFAULT_MINER_OPTIONS.prefixTokens + 1,
      ...miner,
    });
    this.options = {
      recurringThreshold: recurringThreshold ?? 5,
      relatedWindowMinutes: relatedWindowMinutes ?? 10,
      checkHost: check ?? true,
    };
    this.procRoot = procRoot;
  }

  attach(ctx: TracerContext): void {
    this.ctx = ctx;
    const onSuspect = (finding: Finding<'ip.threat'> | Finding<'ip.blacklisted'>) => {
      this.threats.set(finding.data.ip, finding);
      this.relate(finding);
    };
    ctx.on('ip.threat', onSuspect);
    ctx.on('ip.blacklisted', onSuspect);
  }

  /** Takes one event; returns what it recognised, or undefined when the event is not an error. */
  ingest(event: LogEvent): RecognisedError | undefined {
    this.events++;
    const error = recognise(event);
    if (!error) return undefined;
    this.errors++;
    if (!OomIncidents.isOomLine(error)) {
      this.count(error, event);
      return error;
    }
    const decision = this.oom.observe(error, event);
    for (const held of this.oom.takeOrphans()) this.count(held.error, held.event);
    if (decision.kind === 'count') {
      this.oom.countedAs(event, this.count(error, event, decision.template).signature);
    } else if (decision.kind === 'fold' && decision.signature !== undefined) {
      // The summary line comes before `Killed process`: the kill is as bad as its worst line says.
      const record = this.table.get(decision.signature);
      if (record && error.severity > record.severity) {
        record.severity = error.severity;
        record.rule = error.rule;
      }
    }
    return error;
  }

  /** Counts one occurrence, under `template` when the caller knows it better than the miner. */
  private count(error: RecognisedError, event: LogEvent, template?: string): RecurrenceRecord {
    const known =
      template === undefined
        ? this.signatureOf(error, event)
        : { signature: templateSignature(`[${error.category}/${error.subkind}] ${template}`), template };
    const ips = mentionedIps(event.raw);
    if (event.ip !== undefined && !ips.includes(event.ip)) ips.push(event.ip);
    const record = this.table.add(known.signature, known.template, error, event, ips);
    this.eventSignatures.set(event, record.signature);
    if (record.count === 1) this.checkHostFor(record);
    if (record.count === this.options.recurringThreshold) this.publishRecurring(record);
    return record;
  }

  /** End of input: publishes every problem seen more than once, and completes `error.related`. */
  finish(): void {
    for (const held of this.oom.finish()) this.count(held.error, held.event);
    this.finished = true;
    for (const record of this.table.values()) if (record.count > 1) this.publishRecurring(record);
    // Every distinct problem, once: a report lists single severe errors (an OOM kill) too.
    if (this.ctx)
      for (const record of this.table.values())
        this.ctx.report('error.problem', record.signature, this.findingData(record));
    for (const finding of this.threats.values()) this.relate(finding);
  }

  /** The distinct problems, most important (severity x count) first. */
  problems(): ErrorProblem[] {
    return [...this.table.values()]
      .sort(
        (a, b) => importance(b) - importance(a) || b.severity - a.severity || a.signature.localeCompare(b.signature),
      )
      .map((record) => this.problemOf(record));
  }

  /**
   * The signature (template id) `event` was counted under when it was taken,
   * undefined when it is not an error. A template generalised later gets a new
   * signature: gold_errors holds the final one.
   */
  signatureFor(event: LogEvent): string | undefined {
    return this.eventSignatures.get(event);
  }

  /** One problem by signature. */
  problem(signature: string): ErrorProblem | undefined {
    const record = this.table.get(signature);
    return record ? this.problemOf(record) : undefined;
  }

  /** Errors by category, exception type and severity band, each with its history over time. */
  patterns(): ErrorTrend[] {
    const groups = new Map<string, { pattern: ErrorTrend; records: RecurrenceRecord[] }>();
    const add = (dimension: ErrorTrend['dimension'], value: string, record: RecurrenceRecord) => {
      const key = `${dimension}\u0000${value}`;
      let group = groups.get(key);
      if (!group) {
        group = { pattern: { dimension, value, count: 0, signatures: 0, history: [] }, records: [] };
        groups.set(key, group);
      }
      group.pattern.count += record.count;
      group.pattern.signatures++;
      group.records.push(record);
    };
    for (const record of this.table.values()) {
      add('category', record.category, record);
      if (record.details.type) add('type', record.details.type, record);
      add('severity', errorSeverityBand(record.severity), record);
    }
    return [...groups.values()]
      .map(({ pattern, records }) => {
        const merged = new TimeHistogram(this.table.limits.bucketMs, this.table.limits.maxBuckets);
        for (const record of records)
          for (const bucket of record.history.buckets()) merged.add(bucket.start, bucket.count);
        return { ...pattern, history: merged.buckets().map(bucketView) };
      })
      .sort((a, b) => a.dimension.localeCompare(b.dimension) || b.count - a.count || a.value.localeCompare(b.value));
  }

  /** The problems tied to an address: mentioning it, or hitting one of `services` within the window around [from, to]. */
  relatedTo(
    ip: string,
    services: readonly string[] = [],
    from: number | null = null,
    to: number | null = null,
  ): ErrorRelatedData['errors'] {
    const window = this.options.relatedWindowMinutes * 60_000;
    const related: { record: RecurrenceRecord; why: 'mentions-ip' | 'same-service' }[] = [];
    for (const record of this.table.values()) {
      if (record.ips.has(ip)) related.push({ record, why: 'mentions-ip' });
      else if (
        from !== null &&
        to !== null &&
        services.some((service) => record.services.has(service)) &&
        record.history.overlaps(from - window, to + window)
      ) {
        related.push({ record, why: 'same-service' });
      }
    }
    return related
      .sort((a, b) => importance(b.record) - importance(a.record))
      .slice(0, 50)
      .map(({ record, why }) => ({
        signature: record.signature,
        template: record.template,
        category: record.category,
        count: record.count,
        why,
      }));
  }

  stats(): ErrorTracerStats {
    const evicted = this.table.evicted;
    return {
      events: this.events,
      errors: this.errors,
      signatures: this.table.size,
      evictedSignatures: evicted.signatures,
      evictedOccurrences: evicted.occurrences,
      clusters: this.miner.size,
      evictedClusters: this.miner.evicted,
    };
  }

  private signatureOf(error: RecognisedError, event: LogEvent): { signature: string; template: string } {
    if (error.trace) return { signature: stackSignature(error.trace), template: stackTemplate(error.trace) };
    // The kind leads the mined tokens, so the tree never merges two kinds of error.
    const kind = `[${error.category}/${error.subkind}]`;
    const text = event.message.length > 4096 ? event.message.slice(0, 4096) : event.message;
    const match = this.miner.add(`${kind} ${text}`);
    const template = match.template.slice(kind.length + 1);
    const previous = this.clusterSignatures.get(match.cluster);
    // The hash is computed only when the template is new or changed.
    if (previous !== undefined && !match.changed) return { signature: previous, template };
    const signature = templateSignature(match.template);
    if (previous !== undefined && previous !== signature) this.table.rename(previous, signature, template);
    // Sibling clusters merged by this message bring their counts along.
    for (const other of match.absorbed) {
      const old = this.clusterSignatures.get(other);
      if (old !== undefined && old !== signature) this.table.rename(old, signature, template);
    }
    this.clusterSignatures.set(match.cluster, signature);
    return { signature, template };
  }

  private checkHostFor(record: RecurrenceRecord): void {
    if (!this.options.checkHost) return;
    const procRoot = this.procRoot ?? this.ctx?.options.procRoot ?? '/proc';
    const now = this.ctx?.options.clock.now() ?? Date.now();
    const check = checkHost(record.category, record.subkind, record.details, procRoot, now);
    if (check) this.hostChecks.set(record.signature, check);
  }

  private problemOf(record: RecurrenceRecord): ErrorProblem {
    const host = this.hostChecks.get(record.signature);
    const advice = adviceFor(record.category, record.subkind, record.details);
    const peak = record.history.peak();
    const burst =
      peak && peak.count >= BURST_COUNT && record.subkind === 'http-5xx'
        ? ` A burst: ${peak.count} in ${peak.width / 60_000} minute${peak.width === 60_000 ? '' : 's'} from ${new Date(peak.start).toISOString()}.`
        : '';
    const problem: ErrorProblem = {
      signature: record.signature,
      template: record.template,
      category: record.category,
      subkind: record.subkind,
      rule: record.rule,
      severity: record.severity,
      level: record.level,
      count: record.count,
      first: iso(record.first),
      last: iso(record.last),
      ratePerMinute: ratePerMinute(record),
      peakPerMinute: record.history.peakPerMinute(),
      peak: peak ? bucketView(peak) : null,
      history: record.history.buckets().map(bucketView),
      details: record.details,
      services: [...record.services].sort(),
      ips: [...record.ips].sort(),
      examples: record.examples.map((example) => ({ ...example })),
      hint: `${advice.hint}${burst}${host ? ` ${host.summary}` : ''}`,
      actions: advice.actions,
      prevention: advice.prevention,
      importance: importance(record),
    };
    if (host) problem.host = host;
    return problem;
  }

  /** A problem as finding data (`error.recurring`, `error.problem`). */
  private findingData(record: RecurrenceRecord): ErrorRecurringData {
    const problem = this.problemOf(record);
    return {
      signature: problem.signature,
      template: problem.template,
      category: problem.category,
      subkind: problem.subkind,
      severity: problem.severity,
      level: problem.level,
      count: problem.count,
      first: problem.first,
      last: problem.last,
      details: { ...problem.details, ...(problem.host ? { host: problem.host } : {}) },
      hint: problem.hint,
      actions: problem.actions,
    };
  }

  private publishRecurring(record: RecurrenceRecord): void {
    if (!this.ctx) return;
    const data = this.findingData(record);
    if (this.ctx.bus.get('error.recurring', record.signature))
      this.ctx.bus.revise('error.recurring', record.signature, data);
    else this.ctx.report('error.recurring', record.signature, data);
    // A finding published before the template generalised keeps its key but now describes the final problem.
    for (const key of record.publishedAs)
      if (key !== record.signature) this.ctx.bus.revise('error.recurring', key, data);
    record.publishedAs.add(record.signature);
  }

  private relate(finding: Finding<'ip.threat'> | Finding<'ip.blacklisted'>): void {
    if (!this.ctx) return;
    const data: IpThreatData = finding.data;
    const from = data.firstSeen ? Date.parse(data.firstSeen) : NaN;
    const to = data.lastSeen ? Date.parse(data.lastSeen) : NaN;
    const errors = this.relatedTo(
      data.ip,
      data.services,
      Number.isFinite(from) ? from : null,
      Number.isFinite(to) ? to : Number.isFinite(from) ? from : null,
    );
    // Before the end of input only a non-empty answer is worth publishing; at finish the answer is final.
    if (errors.length === 0 && !this.finished) return;
    const related: ErrorRelatedData = { ip: data.ip, errors };
    if (this.ctx.bus.get('error.related', data.ip)) this.ctx.bus.revise('error.related', data.ip, related);
    else if (errors.length > 0) this.ctx.report('error.related', data.ip, related, finding);
  }
}
