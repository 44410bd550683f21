/**
 * Recurring errors: one record per signature with its count, first and last
 * occurrence, a bounded time histogram, the services and addresses involved,
 * and example lines. The table is bounded: beyond `maxSignatures` the least
 * important records (severity x count) are evicted in batches, and counted.
 */
import { LEVEL_SEVERITY, type Level, type LogEvent } from '../../core/event';
import { TimeHistogram } from './histogram';
import type { ErrorCategory, ErrorDetails, RecognisedError } from './types';

/** Bounds of a {@link RecurrenceTable}. */
export interface RecurrenceLimits {
  /** Most signatures kept (default 10,000). */
  maxSignatures: number;
  /** Buckets per signature's history (default 60). */
  maxBuckets: number;
  /** Initial bucket width in ms (default 60,000; it doubles as history grows). */
  bucketMs: number;
  /** Addresses and services remembered per signature (default 16). */
  maxMentions: number;
}

/** The documented defaults of the recurrence bounds. */
export const DEFAULT_RECURRENCE_LIMITS: Readonly<RecurrenceLimits> = {
  maxSignatures: 10_000,
  maxBuckets: 60,
  bucketMs: 60_000,
  maxMentions: 16,
};

/** Where an occurrence was read. */
export interface ErrorExample {
  source: string;
  line: number;
}

/** One signature's record while ingesting. */
export interface RecurrenceRecord {
  signature: string;
  template: string;
  category: ErrorCategory;
  subkind: string;
  rule: string;
  /** Highest severity seen. */
  severity: number;
  /** Worst level seen. */
  level: Level | null;
  count: number;
  first: number | null;
  last: number | null;
  /** Details of the first occurrence (later ones differ only in variables). */
  details: ErrorDetails;
  history: TimeHistogram;
  services: Set<string>;
  ips: Set<string>;
  /** The first occurrence and the latest one. */
  examples: ErrorExample[];
  /** Signatures under which the record was published (its signature changes when its template generalises). */
  publishedAs: Set<string>;
}

/** How much a record matters: what eviction keeps and reports sort by. */
export function importance(record: Pick<RecurrenceRecord, 'severity' | 'count'>): number {
  return record.severity * record.count;
}

function worse(a: Level | null, b: Level | undefined): Level | null {
  if (b === undefined) return a;
  return a === null || LEVEL_SEVERITY[b] < LEVEL_SEVERITY[a] ? b : a;
}

function addBounded(set: Set<string>, value: string | undefined, max: number): void {
  if (value !== undefined && set.size < max) set.add(value);
}

/** Records per signature, bounded by importance. */
export class RecurrenceTable {
  readonly limits: Readonly<RecurrenceLimits>;
  private readonly records = new Map<string, RecurrenceRecord>();
  private evictedSignatures = 0;
  private evictedOccurrences = 0;

  constructor(limits: Partial<RecurrenceLimits> = {}) {
    this.limits = { ...DEFAULT_RECURRENCE_LIMITS, ...limits };
    if (!(this.limits.maxSignatures >= 1)) throw new RangeError('maxSignatures must be at least 1');
  }

  get size(): number {
    return this.records.size;
  }

  /** Signatures evicted to stay within `maxSignatures`, and the occurrences they had counted. */
  get evicted(): { signatures: number; occurrences: number } {
    return { signatures: this.evictedSignatures, occurrences: this.evictedOccurrences };
  }

  get(signature: string): RecurrenceRecord | undefined {
    return this.records.get(signature);
  }

  values(): IterableIterator<RecurrenceRecord> {
    return this.records.values();
  }

  /** Counts one occurrence of `error` under `signature`; returns its record. */
  add(
    signature: string,
    template: string,
    error: RecognisedError,
    event: LogEvent,
    ips: readonly string[],
  ): RecurrenceRecord {
    let record = this.records.get(signature);
    if (!record) {
      record = {
        signature,
        template,
        category: error.category,
        subkind: error.subkind,
        rule: error.rule,
        severity: error.severity,
        level: event.level ?? null,
        count: 0,
        first: null,
        last: null,
        details: error.details,
        history: new TimeHistogram(this.limits.bucketMs, this.limits.maxBuckets),
        services: new Set(),
        ips: new Set(),
        examples: [{ source: event.source, line: event.line }],
        publishedAs: new Set(),
      };
      this.records.set(signature, record);
      if (this.records.size > this.limits.maxSignatures) this.evict(record);
    } else {
      record.template = template;
      record.examples[1] = { source: event.source, line: event.line };
    }
    record.count++;
    record.severity = Math.max(record.severity, error.severity);
    record.level = worse(record.level, event.level);
    const at = event.timestamp;
    if (at !== undefined && Number.isFinite(at)) {
      record.first = record.first === null ? at : Math.min(record.first, at);
      record.last = record.last === null ? at : Math.max(record.last, at);
      record.history.add(at);
    }
    addBounded(record.services, event.service ?? error.details.service, this.limits.maxMentions);
    for (const ip of ips) addBounded(record.ips, ip, this.limits.maxMentions);
    return record;
  }

  /**
   * Moves a record to a new signature (its template generalised); merges it
   * into a record already there.
   */
  rename(from: string, to: string, template: string): void {
    const record = this.records.get(from);
    if (!record || from === to) return;
    this.records.delete(from);
    const existing = this.records.get(to);
    if (!existing) {
      record.signature = to;
      record.template = template;
      this.records.set(to, record);
      return;
    }
    existing.template = template;
    existing.count += record.count;
    existing.severity = Math.max(existing.severity, record.severity);
    existing.level = worse(existing.level, record.level ?? undefined);
    if (record.first !== null)
      existing.first = existing.first === null ? record.first : Math.min(existing.first, record.first);
    if (record.last !== null)
      existing.last = existing.last === null ? record.last : Math.max(existing.last, record.last);
    for (const bucket of record.history.buckets()) existing.history.add(bucket.start, bucket.count);
    for (const service of record.services) addBounded(existing.services, service, this.limits.maxMentions);
    for (const ip of record.ips) addBounded(existing.ips, ip, this.limits.maxMentions);
    for (const key of record.publishedAs) existing.publishedAs.add(key);
  }

  /**
   * Drops the least important tenth of the records (never `keep`, the one just
   * added): batches make eviction O(log n) per insert on average.
   */
  private evict(keep: RecurrenceRecord): void {
    const target = Math.floor(this.limits.maxSignatures * 0.9);
    const candidates = [...this.records.values()].filter((record) => record !== keep);
    candidates.sort((a, b) => importance(a) - importance(b) || (a.last ?? 0) - (b.last ?? 0));
    for (const record of candidates) {
      if (this.records.size <= Math.max(target, 1)) break;
      this.records.delete(record.signature);
      this.evictedSignatures++;
      this.evictedOccurrences += record.count;
    }
  }
}

/** Occurrences per minute over the span from first to last (at least one minute). */
export function ratePerMinute(record: Pick<RecurrenceRecord, 'count' | 'first' | 'last'>): number | null {
  if (record.first === null || record.last === null) return null;
  return record.count / Math.max(1, (record.last - record.first) / 60_000);
}
