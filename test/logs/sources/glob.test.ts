import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path, { join } from 'node:path';
import fc from 'fast-check';
import { expandGlob, hasGlob, segmentMatcher } from '../../../src/logs/sources/glob';

describe('segmentMatcher', () => {
  const cases: Array<{ pattern: string; matches: string[]; misses: string[] }> = [
    { pattern: '*.log', matches: ['a.log', 'log.log', 'x.y.log'], misses: ['a.log.1', 'log', '.hidden.log'] },
    {
      pattern: 'auth.log*',
      matches: ['auth.log', 'auth.log.1', 'auth.log.2.gz', 'auth.log-20250102'],
      misses: ['xauth.log', 'auth.lo'],
    },
    { pattern: 'a?c', matches: ['abc', 'a.c', 'aéc'], misses: ['ac', 'abbc'] },
    { pattern: '[ab]*', matches: ['apple', 'b'], misses: ['cab', ''] },
    { pattern: '[a-c]x', matches: ['ax', 'bx', 'cx'], misses: ['dx', '-x'] },
    { pattern: '[!a-c]x', matches: ['dx', '-x'], misses: ['ax', 'x'] },
    { pattern: '[^0-9].log', matches: ['a.log'], misses: ['1.log'] },
    { pattern: '[]]', matches: [']'], misses: ['['] },
    { pattern: '[abc', matches: ['[abc'], misses: ['a'] },
    { pattern: '\\*.log', matches: ['*.log'], misses: ['a.log'] },
    { pattern: '*a*b*c', matches: ['abc', 'xxaxxbxxc', 'abcabc'], misses: ['acb', 'abcx'] },
    { pattern: '.*', matches: ['.hidden', '.'], misses: ['visible'] },
  ];
  for (const { pattern, matches, misses } of cases) {
    it(`matches ${pattern} against ${matches.join(', ')} and not ${misses.join(', ')}`, () => {
      const match = segmentMatcher(pattern);
      expect(matches.filter((name) => !match(name))).toEqual([]);
      expect(misses.filter((name) => match(name))).toEqual([]);
    });
  }

  it("agrees with Node's own path.matchesGlob on any pattern of *, ?, classes and letters", () => {
    const nodeMatches = (path as unknown as { matchesGlob?: (name: string, pattern: string) => boolean }).matchesGlob;
    if (!nodeMatches) return; // Node before 20.17 has no peer to compare with
    const warn = process.emitWarning;
    process.emitWarning = () => {}; // path.matchesGlob is experimental in Node 20 and says so
    try {
      const token = fc.constantFrom('a', 'b', '*', '?', '[ab]', '[!a]', '[b-d]', '[^c]');
      fc.assert(
        fc.property(
          fc.array(token, { maxLength: 8 }),
          fc.array(fc.constantFrom('a', 'b', 'c', 'd'), { minLength: 1, maxLength: 10 }),
          (tokens, chars) => {
            const pattern = tokens.join('');
            const name = chars.join('');
            expect(`${pattern} ${name} ${segmentMatcher(pattern)(name)}`).toBe(
              `${pattern} ${name} ${nodeMatches(name, pattern)}`,
            );
          },
        ),
        { numRuns: 3000 },
      );
    } finally {
      process.emitWarning = warn;
    }
  });

  it('stays fast on a pattern of many stars against a long near-miss name', () => {
    const match = segmentMatcher('*a*a*a*a*a*a*a*a*b');
    expect(match('a'.repeat(5000))).toBe(false);
  });
});

describe('hasGlob', () => {
  it('sees unescaped *, ? and [ only', () => {
    expect(['a*', 'a?', 'a[b]', '/var/log/**/x'].map(hasGlob)).toEqual([true, true, true, true]);
    expect(['plain.log', 'a\\*b', '/var/log/auth.log'].map(hasGlob)).toEqual([false, false, false]);
  });
});

describe('expandGlob', () => {
  const root = mkdtempSync(join(tmpdir(), 'logsleuth-glob-'));
  for (const path of ['a.log', 'b.log', 'c.txt', '.hidden.log', 'sub/d.log', 'sub/deeper/e.log', 'sub/.dot/f.log']) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), 'x\n');
  }
  symlinkSync(root, join(root, 'sub', 'loop')); // a loop that ** must not descend

  it('expands * in the last segment, sorted, without hidden files', async () => {
    expect(await expandGlob(`${root}/*.log`)).toEqual([`${root}/a.log`, `${root}/b.log`]);
  });

  it('expands ** to any depth of non-hidden directories without following symlinks', async () => {
    expect(await expandGlob(`${root}/**/*.log`)).toEqual([
      `${root}/a.log`,
      `${root}/b.log`,
      `${root}/sub/d.log`,
      `${root}/sub/deeper/e.log`,
    ]);
  });

  it('expands a wildcard directory segment followed by a literal name, keeping only what exists', async () => {
    expect(await expandGlob(`${root}/s*/d.log`)).toEqual([`${root}/sub/d.log`]);
    expect(await expandGlob(`${root}/*/nothing.log`)).toEqual([]);
  });

  it('matches nothing under a directory that does not exist', async () => {
    expect(await expandGlob(`${root}/missing/*.log`)).toEqual([]);
  });
});
