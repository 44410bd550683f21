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

/** How far from a whole number the fast decayed score must be to be sure of its floor. */
const FLOOR_MARGIN = 1e-9;

/**
 * `Math.floor(score * decayFactor(age, halfLifeMs))`, the score eviction
 * compares. `Math.pow` with a fractional exponent costs about 120 ns in V8,
 * `Math.exp` 25: the two agree to far better than `FLOOR_MARGIN` (a few ulps),
 * so the floor of the `exp` product is the floor of the exact one unless it
 * lies that close to a whole number, where the exact product decides.
 */
export function decayedScore(score: number, age: number, halfLifeMs: number): number {
  if (halfLifeMs === 0 || !(age > 0)) return Math.floor(score);
  const fast = score * Math.exp(-(age / halfLifeMs) * Math.LN2);
  const floor = Math.floor(fast);
  if (fast - floor > FLOOR_MARGIN && floor + 1 - fast > FLOOR_MARGIN) return floor;
  return Math.floor(score * decayFactor(age, halfLifeMs));
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

/** `decayed` of a slot that holds no candidate (above any score). */
const FREE = MAX_SCORE + 1;

/** The eviction candidates of the IP tracer, with what choosing among them reads. */
export class EvictionIndex<T> {
  private items: (T | undefined)[] = [];
  private scores = new Uint8Array(0);
  /** Last activity; -Infinity when unknown (then `timed` is 0 and nothing decays). */
  private lastSeen = new Float64Array(0);
  private timed = new Uint8Array(0);
  /** Order of addition: the order among equal candidates. */
  private added = new Float64Array(0);
  /** Score decayed to `decayedAt`, whole; `FREE` for an empty slot. */
  private decayed = new Uint8Array(0);
  /** 1 when `decayed` holds for the slot's current score and last activity. */
  private fresh = new Uint8Array(0);
  private decayedAt: number | undefined;
  private readonly free: number[] = [];
  private used = 0;
  private additions = 0;
  private scratch = new Float64Array(0);
  private atCut = new Uint32Array(0);

  /** Adds a candidate; returns its slot, which `update` and eviction refer to. */
  add(item: T, score: number, lastSeen: number | undefined): number {
    const slot = this.free.pop() ?? this.used++;
    if (slot >= this.scores.length) this.grow(Math.max(1024, this.scores.length * 2));
    this.items[slot] = item;
    this.added[slot] = this.additions++;
    this.decayed[slot] = 0;
    this.fresh[slot] = 0;
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
    const perScore = this.decayAll(referenceTime, halfLifeMs);
    let cut = 0;
    let below = 0;
    while (cut < MAX_SCORE && below + perScore[cut]! < count) below += perScore[cut++]!;
    const k = count - below;
    const { items, decayed, lastSeen, added, scratch, atCut, used } = this;
    // The k-th least recent activity at the cut (NaN last, as a sort puts it).
    let n = 0;
    for (let slot = 0; slot < used; slot++) {
      if (decayed[slot] === cut && !Number.isNaN(lastSeen[slot])) scratch[n++] = lastSeen[slot]!;
    }
    const lastTime = k <= n ? selectNth(scratch, n, k - 1) : NaN;
    // The candidates at the cut (active at most then), and the k-th first added of them.
    n = 0;
    for (let slot = 0; slot < used; slot++) {
      if (decayed[slot] === cut && lastSeen[slot]! <= lastTime) {
        atCut[n] = slot;
        scratch[n++] = added[slot]!;
      }
    }
    const candidates = n;
    const lastAdded = k <= n ? selectNth(scratch, n, k - 1) : NaN;
    const evicted: T[] = [];
    const take = (slot: number) => {
      evicted.push(items[slot]!);
      items[slot] = undefined;
      decayed[slot] = FREE;
      this.free.push(slot);
    };
    if (cut > 0) {
      for (let slot = 0; slot < used; slot++) if (decayed[slot]! < cut) take(slot);
    }
    for (let i = 0; i < candidates; i++) {
      const slot = atCut[i]!;
      if (added[slot]! <= lastAdded) take(slot);
    }
    return evicted;
  }

  /** Brings every decayed score up to date; returns how many candidates have each. */
  private decayAll(referenceTime: number | undefined, halfLifeMs: number): Uint32Array {
    const { scores, lastSeen, timed, decayed, fresh, used } = this;
    const moved = referenceTime !== this.decayedAt;
    this.decayedAt = referenceTime;
    const perScore = new Uint32Array(MAX_SCORE + 1);
    for (let slot = 0; slot < used; slot++) {
      if (decayed[slot] === FREE) continue;
      if (moved || !fresh[slot]) {
        const score = scores[slot]!;
        const age = referenceTime === undefined || !timed[slot] ? 0 : referenceTime - lastSeen[slot]!;
        decayed[slot] = score === 0 ? 0 : decayedScore(score, age, halfLifeMs);
        fresh[slot] = 1;
      }
      perScore[decayed[slot]!]!++;
    }
    return perScore;
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
    this.scratch = new Float64Array(capacity);
    this.atCut = new Uint32Array(capacity);
  }
}
