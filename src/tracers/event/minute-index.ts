/**
 * Indexes by minute, so chains can be built at the end whatever order the
 * files were read in (kern.log after access.log): service failures (the
 * effects an OOM kill or a full disk may have had) and healthy events per
 * service tier (the recovery after an outage). Both are LRU-bounded.
 */
import type { LogEvent } from '../../core/event';
import { LruMap } from '../../core/lru';
import { type TimedStep, toStep } from './step';

const MINUTE = 60_000;

/** A failure of a service, as the index keeps it. */
export interface IndexedFailure extends TimedStep {
  t: number;
  service: string | undefined;
}

interface FailureMinute {
  samples: IndexedFailure[];
  dropped: number;
}

/** Service failures by minute: a sample of each minute (the first ones) and a count of the rest. */
export class FailureIndex {
  private readonly minutes: LruMap<number, FailureMinute>;

  constructor(
    capacity: number,
    private readonly perMinute: number,
  ) {
    this.minutes = new LruMap(capacity);
  }

  get evicted(): number {
    return this.minutes.evicted;
  }

  add(failure: IndexedFailure): void {
    const minute = Math.floor(failure.t / MINUTE);
    let bucket = this.minutes.peek(minute);
    if (!bucket) {
      bucket = { samples: [], dropped: 0 };
      this.minutes.set(minute, bucket);
    }
    if (bucket.samples.length < this.perMinute) bucket.samples.push(failure);
    else bucket.dropped++;
  }

  /**
   * Failures from `from` (the same second counts: logs often have no finer time) up to `to`, from services `keep` accepts, oldest
   * first; `unsampled` counts failures of those minutes the sample left out.
   */
  between(
    from: number,
    to: number,
    keep: (service: string | undefined) => boolean,
  ): { failures: IndexedFailure[]; unsampled: number } {
    const failures: IndexedFailure[] = [];
    let unsampled = 0;
    const first = Math.floor(from / MINUTE);
    // A window wider than the index reaches only minutes it no longer holds.
    const last = Math.min(Math.floor(to / MINUTE), first + this.minutes.capacity);
    for (let minute = first; minute <= last; minute++) {
      const bucket = this.minutes.peek(minute);
      if (!bucket) continue;
      unsampled += bucket.dropped;
      for (const failure of bucket.samples) {
        if (failure.t >= from && failure.t <= to && keep(failure.service)) failures.push(failure);
      }
    }
    failures.sort((a, b) => a.t - b.t || a.line - b.line);
    return { failures, unsampled };
  }
}

/** Most tiers told apart by the health index (services are a small vocabulary). */
const MAX_TIERS = 1024;

interface HealthMinute {
  first: LogEvent;
  last: LogEvent;
}

/**
 * The first and last healthy event of each (tier, minute): enough to date a
 * recovery to the minute. It holds references to those events (two per
 * bucket) and makes a step only when asked, so the hot path allocates nothing
 * but a bucket per new minute.
 */
export class HealthIndex {
  private readonly buckets: LruMap<number, HealthMinute>;
  private readonly tiers = new Map<string, number>();

  constructor(capacity: number) {
    this.buckets = new LruMap(capacity);
  }

  get evicted(): number {
    return this.buckets.evicted;
  }

  /** Records a healthy event of `tier` at time `t` (its usable timestamp). */
  add(tier: string, event: LogEvent, t: number): void {
    let id = this.tiers.get(tier);
    if (id === undefined) {
      if (this.tiers.size >= MAX_TIERS) return;
      id = this.tiers.size;
      this.tiers.set(tier, id);
    }
    const key = Math.floor(t / MINUTE) * MAX_TIERS + id;
    const bucket = this.buckets.peek(key);
    if (!bucket) this.buckets.set(key, { first: event, last: event });
    else if (t < bucket.first.timestamp!) bucket.first = event;
    else if (t >= bucket.last.timestamp!) bucket.last = event;
  }

  /** The first healthy event of `tier` after `from` and no later than `to` (to the minute). */
  after(tier: string, from: number, to: number): (TimedStep & { t: number }) | undefined {
    const id = this.tiers.get(tier);
    if (id === undefined) return undefined;
    const first = Math.floor(from / MINUTE);
    const last = Math.min(Math.floor(to / MINUTE), first + this.buckets.capacity);
    for (let minute = first; minute <= last; minute++) {
      const bucket = this.buckets.peek(minute * MAX_TIERS + id);
      if (!bucket) continue;
      const found =
        bucket.first.timestamp! > from ? bucket.first : bucket.last.timestamp! > from ? bucket.last : undefined;
      if (found) return found.timestamp! <= to ? { ...toStep(found), t: found.timestamp! } : undefined;
    }
    return undefined;
  }
}
