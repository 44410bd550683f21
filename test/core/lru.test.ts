import { LruMap } from '../../src/core/lru';

describe('LruMap', () => {
  it('forgets the least recently used entry when full, and counts it', () => {
    const evicted: string[] = [];
    const lru = new LruMap<string, number>(2, (key) => evicted.push(key));
    lru.set('a', 1).set('b', 2);
    lru.get('a');
    lru.set('c', 3);
    expect([...lru.entries()]).toEqual([
      ['a', 1],
      ['c', 3],
    ]);
    expect(evicted).toEqual(['b']);
    expect(lru.evicted).toBe(1);
  });

  it('does not change recency on peek', () => {
    const lru = new LruMap<string, number>(2);
    lru.set('a', 1).set('b', 2);
    expect(lru.peek('a')).toBe(1);
    lru.set('c', 3);
    expect(lru.has('a')).toBe(false);
  });

  it('replaces a value without evicting', () => {
    const lru = new LruMap<string, number>(1);
    lru.set('a', 1).set('a', 2);
    expect(lru.get('a')).toBe(2);
    expect(lru.evicted).toBe(0);
  });

  it('refuses a capacity below one', () => {
    expect(() => new LruMap(0)).toThrow('LRU capacity must be at least 1, got 0');
  });
});
