/**
 * A bounded histogram of occurrences over time: at most `maxBuckets` counts;
 * when time runs past the last bucket, neighbouring buckets merge and the
 * width doubles, so a long log costs no more memory than a short one.
 */

/** One bucket as reports show it. */
export interface Bucket {
  /** Start of the bucket, ms since the epoch. */
  start: number;
  /** Width in ms. */
  width: number;
  count: number;
}

/** Occurrence counts over time in at most `maxBuckets` buckets. */
export class TimeHistogram {
  private origin: number | undefined;
  private counts: number[] = [];
  private widthMs: number;

  /**
   * @param width initial bucket width in ms (default one minute)
   * @param maxBuckets most buckets kept (default 60)
   */
  constructor(
    width = 60_000,
    readonly maxBuckets = 60,
  ) {
    if (!(width > 0) || !(maxBuckets >= 2)) throw new RangeError('histogram needs width > 0 and at least 2 buckets');
    this.widthMs = width;
  }

  get width(): number {
    return this.widthMs;
  }

  /** Counts `n` occurrences at time `at` (ms since the epoch). */
  add(at: number, n = 1): void {
    if (!Number.isFinite(at)) return;
    if (this.origin === undefined) this.origin = this.align(at);
    if (at < this.origin) this.growLeft(at);
    let index = Math.floor((at - this.origin) / this.widthMs);
    while (index >= this.maxBuckets) {
      this.coarsen();
      index = Math.floor((at - this.origin) / this.widthMs);
    }
    while (this.counts.length <= index) this.counts.push(0);
    this.counts[index]! += n;
  }

  /** Non-empty buckets in time order. */
  buckets(): Bucket[] {
    const out: Bucket[] = [];
    this.counts.forEach((count, i) => {
      if (count > 0) out.push({ start: this.origin! + i * this.widthMs, width: this.widthMs, count });
    });
    return out;
  }

  /** The busiest bucket (the earliest of equals), or undefined when empty. */
  peak(): Bucket | undefined {
    let best = -1;
    this.counts.forEach((count, i) => {
      if (count > 0 && (best < 0 || count > this.counts[best]!)) best = i;
    });
    return best < 0
      ? undefined
      : { start: this.origin! + best * this.widthMs, width: this.widthMs, count: this.counts[best]! };
  }

  /** The highest count in one bucket, per minute: how sharp the worst burst was. */
  peakPerMinute(): number {
    const peak = this.peak();
    return peak ? peak.count / (peak.width / 60_000) : 0;
  }

  /** Whether any occurrence falls in [from, to] (bucket precision). */
  overlaps(from: number, to: number): boolean {
    if (this.origin === undefined) return false;
    return this.counts.some((count, i) => {
      const start = this.origin! + i * this.widthMs;
      return count > 0 && start <= to && start + this.widthMs > from;
    });
  }

  /** Makes room for an occurrence before the first bucket (out-of-order input). */
  private growLeft(at: number): void {
    for (;;) {
      const origin = this.align(at);
      const shift = Math.round((this.origin! - origin) / this.widthMs);
      if (shift + Math.max(this.counts.length, 1) <= this.maxBuckets) {
        this.counts = [...new Array<number>(shift).fill(0), ...this.counts];
        this.origin = origin;
        return;
      }
      this.coarsen();
    }
  }

  private align(at: number): number {
    return Math.floor(at / this.widthMs) * this.widthMs;
  }

  /** Doubles the width: buckets merge in pairs aligned to the new width. */
  private coarsen(): void {
    const width = this.widthMs * 2;
    const origin = Math.floor(this.origin! / width) * width;
    const merged: number[] = [];
    this.counts.forEach((count, i) => {
      const index = Math.floor((this.origin! + i * this.widthMs - origin) / width);
      merged[index] = (merged[index] ?? 0) + count;
    });
    this.counts = Array.from(merged, (count) => count ?? 0);
    this.origin = origin;
    this.widthMs = width;
  }
}
