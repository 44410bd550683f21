/**
 * Bounded lists: how the event tracer keeps evidence without growing with the
 * input. Each counts what it had to drop, so reports can say so.
 */

/**
 * The list of `items` plus `item`. The first item makes a list of one (a
 * first push would reserve 17 slots): most lists of an address keep one item.
 */
function append<T>(items: T[], item: T): T[] {
  if (items.length === 0) return [item];
  items.push(item);
  return items;
}

/** Keeps the last `capacity` items pushed. */
export class Ring<T> {
  private items: T[] = [];
  private start = 0;
  /** Items pushed in all. */
  total = 0;

  constructor(readonly capacity: number) {}

  push(item: T): void {
    this.total++;
    if (this.items.length < this.capacity) this.items = append(this.items, item);
    else {
      this.items[this.start] = item;
      this.start = (this.start + 1) % this.capacity;
    }
  }

  /** Items dropped to make room. */
  get dropped(): number {
    return this.total - this.items.length;
  }

  get size(): number {
    return this.items.length;
  }

  /** The kept items, oldest first. */
  toArray(): T[] {
    return this.start === 0
      ? this.items.slice()
      : [...this.items.slice(this.start), ...this.items.slice(0, this.start)];
  }
}

/** What a bounded list tells its readers (a {@link Ring} without `push`). */
export type Kept<T> = Pick<Ring<T>, 'total' | 'size' | 'dropped' | 'toArray'>;

/** The list nothing was pushed to: what a lazily made list reads as before its first item. */
export const NOTHING_KEPT: Kept<never> = new Ring<never>(1);

/**
 * Keeps the first `head` and the last `tail` items pushed: how an incident
 * started and how it ended. The tail is made when the head is full (most
 * lists never get that far).
 */
export class HeadTail<T> {
  private first: T[] = [];
  private last: Ring<T> | undefined;

  constructor(
    readonly head: number,
    private readonly tail: number,
  ) {}

  push(item: T): void {
    if (this.first.length < this.head) this.first = append(this.first, item);
    else (this.last ??= new Ring(Math.max(1, this.tail))).push(item);
  }

  /** Items pushed in all. */
  get total(): number {
    return this.first.length + (this.last?.total ?? 0);
  }

  /** The kept items in push order (the head, then the tail). */
  toArray(): T[] {
    return this.last ? [...this.first, ...this.last.toArray()] : this.first.slice();
  }
}
