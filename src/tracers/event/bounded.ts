/**
 * Bounded lists: how the event tracer keeps evidence without growing with the
 * input. Each counts what it had to drop, so reports can say so.
 */

/** Keeps the last `capacity` items pushed. */
export class Ring<T> {
  private readonly items: T[] = [];
  private start = 0;
  /** Items pushed in all. */
  total = 0;

  constructor(readonly capacity: number) {}

  push(item: T): void {
    this.total++;
    if (this.items.length < this.capacity) this.items.push(item);
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

/** Keeps the first `head` and the last `tail` items pushed: how an incident started and how it ended. */
export class HeadTail<T> {
  private readonly first: T[] = [];
  private readonly last: Ring<T>;

  constructor(
    readonly head: number,
    tail: number,
  ) {
    this.last = new Ring(Math.max(1, tail));
  }

  push(item: T): void {
    if (this.first.length < this.head) this.first.push(item);
    else this.last.push(item);
  }

  /** Items pushed in all. */
  get total(): number {
    return this.first.length + this.last.total;
  }

  /** The kept items in push order (the head, then the tail). */
  toArray(): T[] {
    return [...this.first, ...this.last.toArray()];
  }
}
