import fc from 'fast-check';
import { NeedleIndex } from '../../src/core/needle-index';

/** The groups the index marks in `text`, as indices. */
function marked(index: NeedleIndex, groups: number, text: string): number[] {
  const marks = new Uint8Array(groups);
  const any = index.mark(text, marks);
  const found = [...marks.keys()].filter((i) => marks[i] === 1);
  // What `mark` returns says whether it found any group.
  expect(any).toBe(found.length > 0);
  return found;
}

/** What `includes` says: the reference the index must equal. */
function included(groups: readonly (readonly string[])[], text: string): number[] {
  return groups.flatMap((needles, i) => (needles.some((needle) => text.includes(needle)) ? [i] : []));
}

describe('NeedleIndex', () => {
  const groups = [['onnection refused', 'ECONNREFUSED'], ['refused'], ['Error', 'Exception'], ['he'], ['she', 'hers']];
  const index = new NeedleIndex(groups);

  it.each([
    ['psycopg2.OperationalError: could not connect to server: Connection refused', [0, 1, 2]],
    ['connect ECONNREFUSED 127.0.0.1:5432', [0]],
    ['ushers', [3, 4]],
    ['Exceptio', []],
    ['', []],
    ['héllo ünïcode 😀 refused', [1]],
  ])('finds in %j the groups %j', (text, expected) => {
    expect(marked(index, groups.length, text)).toEqual(expected);
  });

  it('marks a group with the empty needle in every text', () => {
    expect(marked(new NeedleIndex([['x'], ['']]), 2, 'abc')).toEqual([1]);
  });

  it('leaves marks already set', () => {
    const marks = Uint8Array.of(0, 1, 0, 0, 0);
    index.mark('Error', marks);
    expect([...marks]).toEqual([0, 1, 1, 0, 0]);
  });

  it('answers as includes does for any needles and text', () => {
    // A small alphabet makes overlaps, shared prefixes and suffixes of needles common.
    const char = fc.constantFrom('a', 'b', 'c', 'é', '\ud83d', '\ude00');
    const word = (maxLength: number) => fc.array(char, { maxLength }).map((cs) => cs.join(''));
    fc.assert(
      fc.property(fc.array(fc.array(word(5), { maxLength: 4 }), { maxLength: 8 }), word(40), (needles, text) => {
        expect(marked(new NeedleIndex(needles), needles.length, text)).toEqual(included(needles, text));
      }),
      { numRuns: 2000 },
    );
  });
});
