import { dispatchStats, firstMatch, leadingLiteral, rules } from '../../../src/logs/recognisers/types';

describe('the leading literal of a pattern', () => {
  it.each([
    ['^Failed \\S+ for .', 'Failed '],
    ['^pam_unix\\((?P<service>[^:)]+):session\\)', 'pam_unix'],
    ['^Disconnecting: Too many(?: for x)?', 'Disconnecting: Too many'],
    ['^Read from socket failed\\s*$', 'Read from socket failed'],
    ['^auth(?:-worker)?: ', 'auth'],
    ['^abc?d', 'ab'],
    ['^abc*', 'ab'],
    ['^abc+', 'ab'],
    ['^abc{2}', 'ab'],
    ['^[aA]uthentication', ''],
    ['^(?:x|y)z', ''],
    ['^\\s*user', ''],
    ['No space left on device', ''],
  ])('of %s is %j', (pattern, lead) => {
    expect(leadingLiteral(pattern)).toBe(lead);
  });

  it.each([['^ab|cd'], ['^ab(x)|y'], ['^ab[(]|y'], ['^ab\\(|y'], ['^ab[]|]|y']])(
    'is empty when %s branches outside every group',
    (pattern) => {
      expect(leadingLiteral(pattern)).toBe('');
    },
  );

  it.each([['^ab(x|y)'], ['^ab[|]'], ['^ab\\|c']])(
    'is kept when the branch of %s is inside a group or class',
    (pattern) => {
      expect(leadingLiteral(pattern)).toBe('ab');
    },
  );
});

describe('rule dispatch (firstMatch)', () => {
  const table = (size: number) =>
    rules(
      Array.from({ length: size }, (_, i) => ({
        name: `row${i}`,
        prefilter: `word${i} `,
        pattern: `^word${i} from (?P<host>\\S+)$`,
        action: 'auth.failure' as const,
        outcome: 'failure' as const,
      })),
    );

  function costOf(rows: ReturnType<typeof table>, message: string): typeof dispatchStats {
    Object.assign(dispatchStats, { prefilterScans: 0, rowsTried: 0, patternRuns: 0 });
    firstMatch(rows, message);
    return { ...dispatchStats };
  }

  it.each([8, 64, 512])('finds a line of a %d-row table in one pass and one re2 call', (size) => {
    const rows = table(size);
    const last = size - 1;
    expect(firstMatch(rows, `word${last} from 192.0.2.7`)).toEqual({
      rule: rows[last],
      groups: { host: '192.0.2.7' },
    });
    expect(costOf(rows, `word${last} from 192.0.2.7`)).toEqual({ prefilterScans: 1, rowsTried: 1, patternRuns: 1 });
    expect(costOf(rows, 'nothing here')).toEqual({ prefilterScans: 1, rowsTried: 0, patternRuns: 0 });
  });

  it('tries rows in table order and leaves no marks behind for the next message', () => {
    const rows = rules([
      ...table(10).map((r) => ({ ...r, pattern: r.pattern.source })),
      { name: 'late', prefilter: 'word1 ', pattern: '^word1 from x$', action: 'auth.failure', outcome: 'failure' },
    ]);
    expect(firstMatch(rows, 'word1 from x')?.rule.name).toBe('row1');
    expect(firstMatch(rows, 'word2 from y')?.rule.name).toBe('row2');
    expect(firstMatch(rows, 'word3 from')).toBeUndefined();
  });
});
