/**
 * Indexes by minute, so chains can be built at the end whatever order the
 * files were read in (kern.log after access.log): service failures (the
 * effects an OOM kill or a full disk may have had) and healthy events per
 * service tier (the recovery after an outage). Both are LRU-bounded.
 */
import { LruMap } from '../../core/lru';
import type { TimedStep } from './step';

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
    for (let minute = Math.floor(from / MINUTE); minute <= Math.floor(to / MINUTE); minute++) {
      const bucket = this.minutes.peek(minute);
      if (!bucket) continue;
      unsampled += bucket.dropped;
      for (const failure of bucket.samples) {
        if (failure.t >= from && failure.t <= to && keep(failure.service)) failures.push(failure);
      }
    }
    failures.sort((a, b) => a.t - b.t || a.step.line - b.step.line);
    return { failures, unsampled };
  }
}

interface HealthMinute {
  first: TimedStep & { t: number };
  last: TimedStep & { t: number };
}

/** The first and last healthy event of each (tier, minute): enough to date a recovery to the minute. */
export class HealthIndex {
  private readonly buckets: LruMap<string, HealthMinute>;

  constructor(capacity: number) {
    this.buckets = new LruMap(capacity);
  }

  get evicted(): number {
    return this.buckets.evicted;
  }

  add(tier: string, step: TimedStep & { t: number }): void {
    const key = `${tier}\u0000${Math.floor(step.t / MINUTE)}`;
    const bucket = this.buckets.peek(key);
    if (!bucket) this.buckets.set(key, { first: step, last: step });
    else if (step.t < bucket.first.t) bucket.first = step;
    else if (step.t >= bucket.last.t) bucket.last = step;
  }

  /** The first healthy event of `tier` after `from` and no later than `to` (to the minute). */
  after(tier: string, from: number, to: number): (TimedStep & { t: number }) | undefined {
    for (let minute = Math.floor(from / MINUTE); minute <= Math.floor(to / MINUTE); minute++) {
      const bucket = this.buckets.peek(`${tier}\u0000${minute}`);
      if (!bucket) continue;
      if (bucket.first.t > from) return bucket.first.t <= to ? bucket.first : undefined;
      if (bucket.last.t > from) return bucket.last.t <= to ? bucket.last : undefined;
    }
    return undefined;
  }
}
