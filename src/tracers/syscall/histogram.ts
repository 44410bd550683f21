/**
 * Durations per syscall in bounded memory: a log-scale histogram (8 buckets
 * per doubling, about 9% wide, from 1 µs to hours) gives the p95 within a
 * bucket's width whatever the number of calls; count, total and max are exact.
 */

/** Buckets per doubling of the duration. */
const PER_DOUBLING = 8;
const BUCKETS = 40 * PER_DOUBLING;

export class DurationHistogram {
  private readonly buckets = new Uint32Array(BUCKETS);
  /** Calls with a duration (strace gives none for calls that never returned). */
  timed = 0;
  total = 0;
  max = 0;

  add(seconds: number): void {
    if (!(seconds >= 0)) return;
    this.timed++;
    this.total += seconds;
    if (seconds > this.max) this.max = seconds;
    this.buckets[bucketOf(seconds)]!++;
  }

  /** The `q` quantile (0-1), as the upper bound of its bucket, never above the maximum; 0 without data. */
  quantile(q: number): number {
    if (this.timed === 0) return 0;
    const rank = Math.ceil(q * this.timed);
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.buckets[i]!;
      if (seen >= rank) return Math.min(upperBound(i), this.max);
    }
    return this.max;
  }
}

function bucketOf(seconds: number): number {
  const micros = seconds * 1e6;
  if (micros <= 1) return 0;
  return Math.min(BUCKETS - 1, Math.ceil(Math.log2(micros) * PER_DOUBLING));
}

function upperBound(bucket: number): number {
  return 2 ** (bucket / PER_DOUBLING) / 1e6;
}
