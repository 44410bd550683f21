/**
 * A bounded map that forgets the least recently used entry when full. Every
 * per-IP, per-signature and per-lookup cache in logsleuth is one of these, so
 * memory is bounded by explicit limits whatever the input.
 */
export class LruMap<K, V> {
  private readonly map = new Map<K, V>();
  private evictedCount = 0;

  /**
   * @param capacity most entries kept (at least 1)
   * @param onEvict called with each entry forgotten to make room
   */
  constructor(
    readonly capacity: number,
    private readonly onEvict?: (key: K, value: V) => void,
  ) {
    if (!(capacity >= 1)) throw new RangeError(`LRU capacity must be at least 1, got ${capacity}`);
  }

  get size(): number {
    return this.map.size;
  }

  /** How many entries were forgotten to make room. */
  get evicted(): number {
    return this.evictedCount;
  }

  /** The value for `key`, marking it most recently used. */
  get(key: K): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }

  /** The value for `key` without changing its recency. */
  peek(key: K): V | undefined {
    return this.map.get(key);
  }

  has(key: K): boolean {
    return this.map.has(key);
  }

  set(key: K, value: V): this {
    if (this.map.has(key)) this.map.delete(key);
    else if (this.map.size >= this.capacity) this.evictOldest();
    this.map.set(key, value);
    return this;
  }

  delete(key: K): boolean {
    return this.map.delete(key);
  }

  /** Entries from least to most recently used. */
  entries(): IterableIterator<[K, V]> {
    return this.map.entries();
  }

  values(): IterableIterator<V> {
    return this.map.values();
  }

  private evictOldest(): void {
    const oldest = this.map.keys().next();
    if (oldest.done) return;
    const value = this.map.get(oldest.value)!;
    this.map.delete(oldest.value);
    this.evictedCount++;
    this.onEvict?.(oldest.value, value);
  }
}
