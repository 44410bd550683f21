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

describe('LruMap against a reference model', () => {
  it('agrees with an array-based LRU on random operation sequences', () => {
    const fc = require('fast-check') as typeof import('fast-check');
    const op = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), key: fc.integer({ min: 0, max: 9 }), value: fc.integer() }),
      fc.record({ kind: fc.constant('get' as const), key: fc.integer({ min: 0, max: 9 }) }),
      fc.record({ kind: fc.constant('delete' as const), key: fc.integer({ min: 0, max: 9 }) }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.array(op, { maxLength: 60 }), (capacity, ops) => {
        const lru = new LruMap<number, number>(capacity);
        let model: [number, number][] = [];
        for (const o of ops) {
          const at = model.findIndex(([key]) => key === o.key);
          if (o.kind === 'set') {
            if (at >= 0) model.splice(at, 1);
            else if (model.length >= capacity) model.shift();
            model.push([o.key, o.value]);
            lru.set(o.key, o.value);
          } else if (o.kind === 'get') {
            const expected = at >= 0 ? model[at]![1] : undefined;
            if (at >= 0) model.push(...model.splice(at, 1));
            expect(lru.get(o.key)).toBe(expected);
          } else {
            if (at >= 0) model = model.filter(([key]) => key !== o.key);
            expect(lru.delete(o.key)).toBe(at >= 0);
          }
          expect([...lru.entries()]).toEqual(model);
        }
      }),
    );
  });
});
