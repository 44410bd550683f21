/**
 * Patterns and statistics of the events seen: counts by source, level,
 * action, service and severity band, the top addresses and users, and counts
 * over time. Every table is bounded (see EventLimits).
 */
import type { LogEvent } from '../../core/event';
import { firstSorted } from '../../core/first-sorted';
import { LruMap } from '../../core/lru';
import type { EventLimits } from './limits';
import { type SeverityBand, severityBand } from './severity';
import { iso } from './step';

/** The key under which a full table counts new keys. */
export const OTHER = '(other)';

/** Counts per key, up to a number of distinct keys; the rest go to `(other)`. */
class CappedCounter {
  private readonly counts = new Map<string, number>();

  constructor(private readonly cap: number) {}

  add(key: string): void {
    const current = this.counts.get(key);
    if (current !== undefined) this.counts.set(key, current + 1);
    else if (this.counts.size < this.cap) this.counts.set(key, 1);
    else this.counts.set(OTHER, (this.counts.get(OTHER) ?? 0) + 1);
  }

  /** The counts, largest first (ties by key), as a plain object. */
  toObject(): Record<string, number> {
    const sorted = [...this.counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    return Object.fromEntries(sorted);
  }
}

/** Counts per key kept in an LRU: exact while the distinct keys fit, the heavy hitters survive after. */
class TopCounter {
  private readonly counts: LruMap<string, number>;

  constructor(capacity: number) {
    this.counts = new LruMap(capacity);
  }

  add(key: string): void {
    this.counts.set(key, (this.counts.peek(key) ?? 0) + 1);
  }

  get evicted(): number {
    return this.counts.evicted;
  }

  get size(): number {
    return this.counts.size;
  }

  top(n: number): { key: string; count: number }[] {
    return top(this.counts.entries(), n);
  }
}

/** The `n` largest counts, ties by key. */
function top(counts: Iterable<readonly [string, number]>, n: number): { key: string; count: number }[] {
  return firstSorted(counts, n, (a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([key, count]) => ({
    key,
    count,
  }));
}

/** One time bucket of the statistics. */
export interface TimeBucket {
  start: string;
  events: number;
  /** Events counted against a remote address. */
  hostile: number;
  /** Events of severity 60 or more. */
  severe: number;
}

/**
 * The statistics as plain data (`EventTracer.stats()`). The top addresses come
 * from the tracer's per-address histories (exact while they fit `eventMaxIps`),
 * the top users from their own LRU counter (exact while they fit `eventTopCapacity`).
 */
export interface EventStats {
  events: number;
  /** Events without a usable time. */
  untimed: number;
  hostile: number;
  first: string | null;
  last: string | null;
  bySource: Record<string, number>;
  byLevel: Record<string, number>;
  byAction: Record<string, number>;
  byService: Record<string, number>;
  bySeverity: Record<SeverityBand, number>;
  topIps: { ip: string; count: number }[];
  topUsers: { user: string; count: number }[];
  /** Distinct addresses and users (exact until the top counters evict; an upper bound after). */
  distinctIps: number;
  distinctUsers: number;
  overTime: { bucketMs: number; buckets: TimeBucket[] };
}

/** Collects the statistics of a stream of events within the limits; `snapshot()` gives them as data. */
export class StatsCollector {
  private events = 0;
  private untimed = 0;
  private hostile = 0;
  private first: number | undefined;
  private last: number | undefined;
  private readonly bySource: CappedCounter;
  private readonly byLevel: CappedCounter;
  private readonly byAction: CappedCounter;
  private readonly byService: CappedCounter;
  private readonly bySeverity: Record<SeverityBand, number> = { low: 0, medium: 0, high: 0, critical: 0 };
  private readonly users: TopCounter;
  private readonly buckets: LruMap<number, { events: number; hostile: number; severe: number }>;

  constructor(private readonly limits: EventLimits) {
    this.bySource = new CappedCounter(limits.eventStatsKeys);
    this.byLevel = new CappedCounter(limits.eventStatsKeys);
    this.byAction = new CappedCounter(limits.eventStatsKeys);
    this.byService = new CappedCounter(limits.eventStatsKeys);
    this.users = new TopCounter(limits.eventTopCapacity);
    this.buckets = new LruMap(limits.eventMaxBuckets);
  }

  /** Counts one event of severity `score` and usable time `t` (`timeOf`). */
  add(event: LogEvent, score: number, t: number | undefined): void {
    this.events++;
    if (event.hostile) this.hostile++;
    this.bySource.add(event.source);
    this.byLevel.add(event.level ?? 'unknown');
    this.byAction.add(event.action ?? 'unknown');
    this.byService.add(event.service ?? 'unknown');
    this.bySeverity[severityBand(score)]++;
    if (event.user !== undefined) this.users.add(event.user);
    if (t === undefined) {
      this.untimed++;
      return;
    }
    if (this.first === undefined || t < this.first) this.first = t;
    if (this.last === undefined || t > this.last) this.last = t;
    const start = t - (((t % this.limits.eventBucketMs) + this.limits.eventBucketMs) % this.limits.eventBucketMs);
    let bucket = this.buckets.peek(start);
    if (!bucket) {
      bucket = { events: 0, hostile: 0, severe: 0 };
      this.buckets.set(start, bucket);
    }
    bucket.events++;
    if (event.hostile) bucket.hostile++;
    if (score >= 60) bucket.severe++;
  }

  /** How many distinct users and time buckets were forgotten to stay within the limits. */
  get evicted(): { users: number; buckets: number } {
    return { users: this.users.evicted, buckets: this.buckets.evicted };
  }

  /**
   * The statistics so far; the caller gives the address counts it keeps
   * (`[address, events]` pairs) and how many addresses it forgot.
   */
  snapshot(ipCounts: readonly [string, number][], ipsForgotten: number): EventStats {
    const n = this.limits.eventTopN;
    return {
      events: this.events,
      untimed: this.untimed,
      hostile: this.hostile,
      first: iso(this.first),
      last: iso(this.last),
      bySource: this.bySource.toObject(),
      byLevel: this.byLevel.toObject(),
      byAction: this.byAction.toObject(),
      byService: this.byService.toObject(),
      bySeverity: { ...this.bySeverity },
      topIps: top(ipCounts, n).map(({ key, count }) => ({ ip: key, count })),
      topUsers: this.users.top(n).map(({ key, count }) => ({ user: key, count })),
      distinctIps: ipCounts.length + ipsForgotten,
      distinctUsers: this.users.size + this.users.evicted,
      overTime: {
        bucketMs: this.limits.eventBucketMs,
        buckets: [...this.buckets.entries()]
          .sort((a, b) => a[0] - b[0])
          .map(([start, b]) => ({ start: iso(start)!, events: b.events, hostile: b.hostile, severe: b.severe })),
      },
    };
  }
}
