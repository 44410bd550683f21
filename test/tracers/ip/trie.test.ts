import fc from 'fast-check';
import { PrefixTrie } from '../../../src/tracers/ip/prefix-trie';

/** Longest-prefix match by linear scan: the reference the trie must agree with. */
function linearLookup(prefixes: [Uint8Array, number, string][], address: Uint8Array) {
  let best: { value: string; length: number } | undefined;
  for (const [network, length, value] of prefixes) {
    let inside = true;
    for (let bit = 0; bit < length && inside; bit++) {
      const mask = 0x80 >> (bit & 7);
      inside = (network[bit >> 3]! & mask) === (address[bit >> 3]! & mask);
    }
    if (inside && (!best || length > best.length)) best = { value, length };
  }
  return best;
}

describe('PrefixTrie', () => {
  it('finds the longest stored prefix containing an address', () => {
    const trie = new PrefixTrie<string>(32);
    trie.insert(Uint8Array.from([10, 0, 0, 0]), 8, 'ten');
    trie.insert(Uint8Array.from([10, 1, 0, 0]), 16, 'ten-one');
    trie.insert(Uint8Array.from([0, 0, 0, 0]), 0, 'default');
    expect(trie.lookup(Uint8Array.from([10, 1, 2, 3]))).toEqual({ value: 'ten-one', length: 16 });
    expect(trie.lookup(Uint8Array.from([10, 2, 2, 3]))).toEqual({ value: 'ten', length: 8 });
    expect(trie.lookup(Uint8Array.from([11, 0, 0, 1]))).toEqual({ value: 'default', length: 0 });
    expect(trie.size).toBe(3);
  });

  it('keeps the first value for a repeated prefix unless told how to merge', () => {
    const trie = new PrefixTrie<string>(32);
    trie.insert(Uint8Array.from([10, 0, 0, 0]), 8, 'first');
    trie.insert(Uint8Array.from([10, 0, 0, 0]), 8, 'second');
    expect(trie.lookup(Uint8Array.from([10, 9, 9, 9]))?.value).toBe('first');
    trie.insert(Uint8Array.from([10, 0, 0, 0]), 8, 'third', (_old, added) => added);
    expect(trie.lookup(Uint8Array.from([10, 9, 9, 9]))?.value).toBe('third');
    expect(trie.size).toBe(1);
  });

  it.each([
    [32, 4],
    [128, 16],
  ] as const)('agrees with a linear scan over random %i-bit prefixes', (bits, size) => {
    const prefix = fc.tuple(fc.uint8Array({ minLength: size, maxLength: size }), fc.integer({ min: 0, max: bits }));
    fc.assert(
      fc.property(
        fc.array(prefix, { maxLength: 60 }),
        fc.array(fc.uint8Array({ minLength: size, maxLength: size }), { maxLength: 30 }),
        (prefixes, addresses) => {
          const trie = new PrefixTrie<string>(bits);
          const stored: [Uint8Array, number, string][] = [];
          prefixes.forEach(([network, length], i) => {
            // addresses near a prefix share its leading bytes, so long matches happen too
            trie.insert(network, length, `p${i}`);
            if (!stored.some(([n, l]) => l === length && linearLookup([[n, l, '']], network)?.length === length)) {
              stored.push([network, length, `p${i}`]);
            }
          });
          const probes = [...addresses, ...prefixes.map(([network]) => network)];
          for (const address of probes) expect(trie.lookup(address)).toEqual(linearLookup(stored, address));
        },
      ),
      { numRuns: 300 },
    );
  });
});
