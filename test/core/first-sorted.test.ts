import fc from 'fast-check';
import { firstSorted } from '../../src/core/first-sorted';

describe('firstSorted', () => {
  const byValue = (a: { value: number }, b: { value: number }) => a.value - b.value;

  it('gives what a stable sort and a slice give, ties in their input order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 })), fc.integer({ min: 0, max: 30 }), (values, n) => {
        const items = values.map((value, at) => ({ value, at }));
        expect(firstSorted(items, n, byValue)).toEqual([...items].sort(byValue).slice(0, n));
      }),
      { numRuns: 2000 },
    );
  });

  it('reads any iterable', () => {
    expect(firstSorted(new Set([5, 3, 9, 1]), 2, (a, b) => a - b)).toEqual([1, 3]);
  });
});
