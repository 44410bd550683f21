/**
 * Chooses what the IP tracer forgets when its table is full: the lowest
 * scores (decayed to the reference time, whole numbers 0-100), and among the
 * addresses at the cut score the least recently active, ties going to the
 * first tracked.
 *
 * Choosing reads every tracked address, so what it reads lives here in typed
 * arrays, one slot per address: read from the entries themselves (scattered
 * over the heap, a cache miss each) it was 11% of a 1,000,000-line analysis.
 * Decayed scores are kept from one eviction to the next while the reference
 * time, the score and the last activity stay the same, and the cuts are found
 * by selection, not by sorting.
 */
import { MAX_SCORE, decayFactor } from './score';

/** A growable typed array's next capacity. */
function grown(capacity: number): number {
  return Math.max(1024, capacity * 2);
}

/**
 * The `k`-th smallest (0-based) of `values[0, n)`, which it reorders
 * (Hoare's selection). No value may be NaN.
 */
export function selectNth(values: Float64Array, n: number, k: number): number {
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i]! < pivot) i++;
      while (values[j]! > pivot) j--;
      if (i <= j) {
        const swap = values[i]!;
        values[i++] = values[j]!;
        values[j--] = swap;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return values[k]!;
  }
  return values[k]!;
}

/** The eviction candidates of the IP tracer, with what choosing among them reads. */
export class EvictionIndex<T> {
  private items: (T | undefined)[] = [];
  private scores = new Uint8Array(0);
  /** Last activity; -Infinity when unknown (then `timed` is 0 and nothing decays). */
  private lastSeen = new Float64Array(0);
  private timed = new Uint8Array(0);
  /** Order of addition: the order among equal candidates. */
  private added = new Float64Array(0);
  private decayed = new Uint8Array(0);
  /** 1 when `decayed` holds for the current score, last activity and `decayedAt`. */
  private fresh = new Uint8Array(0);
  private decayedAt: number | undefined;
  private readonly free: number[] = [];
  private used = 0;
  private additions = 0;
  private scratch = new Float64Array(0);

  /** Adds a candidate; returns its slot, which `update` and eviction refer to. */
  add(item: T, score: number, lastSeen: number | undefined): number {
    const slot = this.free.pop() ?? this.used++;
    if (slot >= this.scores.length) this.grow(grown(this.scores.length));
    this.items[slot] = item;
    this.added[slot] = this.additions++;
    this.update(slot, score, lastSeen);
    return slot;
  }

  /** Records a candidate's new score (0-100) or last activity. */
  update(slot: number, score: number, lastSeen: number | undefined): void {
    const time = lastSeen ?? -Infinity;
    const timed = lastSeen === undefined ? 0 : 1;
    if (this.scores[slot] === score && Object.is(this.lastSeen[slot], time) && this.timed[slot] === timed) return;
    this.scores[slot] = score;
    this.lastSeen[slot] = time;
    this.timed[slot] = timed;
    this.fresh[slot] = 0;
  }

  /**
   * Removes and returns the `count` candidates to forget: every one whose
   * decayed score is below the cut score, then of those at the cut, the ones
   * whose last activity is at most the `k`-th least recent (`k` what is left
   * to evict), first added first, until `count`.
   */
  evict(count: number, referenceTime: number | undefined, halfLifeMs: number): T[] {
    if (referenceTime !== this.decayedAt) {
      this.fresh.fill(0);
      this.decayedAt = referenceTime;
    }
    const perScore = new Uint32Array(MAX_SCORE + 1);
    for (let slot = 0; slot < this.used; slot++) {
      if (this.items[slot] === undefined) continue;
      if (!this.fresh[slot]) {
        this.decayed[slot] = this.decay(slot, referenceTime, halfLifeMs);
        this.fresh[slot] = 1;
      }
      perScore[this.decayed[slot]!]!++;
    }
    let cut = 0;
    let below = 0;
    while (cut < MAX_SCORE && below + perScore[cut]! < count) below += perScore[cut++]!;
    const atCut = count - below;
    const lastTime = this.nthAtCut(cut, atCut, (slot) => this.lastSeen[slot]!);
    const lastAdded = this.nthAtCut(cut, atCut, (slot) => (this.lastSeen[slot]! <= lastTime ? this.added[slot]! : NaN));
    const evicted: T[] = [];
    for (let slot = 0; slot < this.used; slot++) {
      const item = this.items[slot];
      if (item === undefined) continue;
      const score = this.decayed[slot]!;
      if (score < cut || (score === cut && this.lastSeen[slot]! <= lastTime && this.added[slot]! <= lastAdded)) {
        evicted.push(item);
        this.items[slot] = undefined;
        this.free.push(slot);
      }
    }
    return evicted;
  }

  /** The score of a slot decayed to the reference time, cut to a whole number. */
  private decay(slot: number, referenceTime: number | undefined, halfLifeMs: number): number {
    const score = this.scores[slot]!;
    if (score === 0) return 0;
    const age = referenceTime === undefined || !this.timed[slot] ? 0 : referenceTime - this.lastSeen[slot]!;
    return Math.floor(score * decayFactor(age, halfLifeMs));
  }

  /**
   * The `k`-th smallest (1-based) of `key` over the slots at the cut score, NaN
   * keys last; NaN when fewer are not NaN (no key is at most NaN).
   */
  private nthAtCut(cut: number, k: number, key: (slot: number) => number): number {
    if (this.scratch.length < this.used) this.scratch = new Float64Array(this.scores.length);
    let n = 0;
    for (let slot = 0; slot < this.used; slot++) {
      if (this.items[slot] === undefined || this.decayed[slot] !== cut) continue;
      const value = key(slot);
      if (!Number.isNaN(value)) this.scratch[n++] = value;
    }
    return k <= n ? selectNth(this.scratch, n, k - 1) : NaN;
  }

  private grow(capacity: number): void {
    const copy = <A extends Uint8Array | Float64Array>(from: A, to: A): A => {
      to.set(from);
      return to;
    };
    this.scores = copy(this.scores, new Uint8Array(capacity));
    this.lastSeen = copy(this.lastSeen, new Float64Array(capacity));
    this.timed = copy(this.timed, new Uint8Array(capacity));
    this.added = copy(this.added, new Float64Array(capacity));
    this.decayed = copy(this.decayed, new Uint8Array(capacity));
    this.fresh = copy(this.fresh, new Uint8Array(capacity));
  }
}
