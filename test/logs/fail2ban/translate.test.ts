import fc from 'fast-check';
import RE2 from 're2';
import { holds, prefilterOf, requiredClauses } from '../../../src/logs/fail2ban/literal';
import { passes, resolveTags, toRe2 } from '../../../src/logs/fail2ban/translate';
import { compileDatePattern, withoutDate, withoutTemplateDate } from '../../../src/logs/fail2ban/date';

/** Runs a fail2ban pattern the way a pack does: tags, re2, checks. */
function run(pattern: string, text: string): Record<string, string | undefined> | null {
  const t = toRe2(resolveTags(pattern));
  if (!t.ok) throw new Error(t.reason);
  const m = t.re.exec(text);
  if (!m || !passes(t.checks, m, text)) return null;
  return (m.groups ?? {}) as Record<string, string | undefined>;
}

describe('resolveTags', () => {
  it('makes <HOST> the ip4, ip6 and dns groups and <F-NAME> a named group', () => {
    expect(run('^from <HOST> user <F-USER>\\S+</F-USER>$', 'from 192.0.2.1 user bob')).toMatchObject({
      ip4: '192.0.2.1',
      user: 'bob',
    });
    expect(run('^from <HOST>$', 'from 2001:db8::1')).toMatchObject({ ip6: '2001:db8::1' });
    expect(run('^from <HOST>$', 'from host.example')).toMatchObject({ dns: 'host.example' });
    expect(run('^<ADDR>$', '::ffff:192.0.2.7')).toMatchObject({ ip4: '192.0.2.7' });
    expect(run('^<SUBNET>$', '192.0.2.0/24')).toMatchObject({ ip4: '192.0.2.0', cidr: '24' });
    expect(run('^<F-ID/> x$', 'abc x')).toMatchObject({ fid: 'abc' });
  });

  it('keeps <HOST> to addresses with usedns = no', () => {
    expect(resolveTags('<HOST>', { useDns: 'no' })).not.toContain('dns');
  });

  it('leaves a closing tag that was never opened as it is', () => {
    expect(resolveTags('a</F-USER>')).toBe('a</F-USER>');
  });
});

describe('toRe2', () => {
  it.each([
    ['a lookbehind', '^(?<=x)y <HOST>', 'lookbehind'],
    ['a lookahead inside a repetition', '^(?:(?!a)b)+ <HOST>', 'lookahead'],
    ['a pattern over several lines in a one-line filter', '^a<SKIPLINES>b <HOST>', 'but maxlines is 1'],
    ['an atomic group', '^(?>a) <HOST>', 'atomic group'],
  ])('skips %s with the reason', (_name, pattern, reason) => {
    const t = toRe2(resolveTags(pattern));
    expect(t.ok).toBe(false);
    if (!t.ok) expect(t.reason).toContain(reason);
  });

  it('runs <SKIPLINES> and \\n in a multi-line filter, ^ and $ at each line, the skipped lines captured', () => {
    const t = toRe2(resolveTags('^a$<SKIPLINES>^b <HOST>$'), { multiline: true });
    if (!t.ok) throw new Error(t.reason);
    expect(t.re.exec('a\nx\ny\nb 192.0.2.1\n')?.groups).toMatchObject({ skiplines0: 'x\ny\n', ip4: '192.0.2.1' });
    expect(t.re.exec('a\nb 192.0.2.1\n')?.groups).toMatchObject({ skiplines0: '' });
  });

  it("makes a word's lookahead inside a repetition classes that part from the word (slapd)", () => {
    const p = '^RESULT(?:\\s(?!err)\\S+=\\S*)* err=49 from <HOST>$';
    const t = toRe2(resolveTags(p));
    expect(t.ok && t.rewrites).toEqual(['lookahead of a word in a repetition as classes']);
    expect(run(p, 'RESULT tag=97 eras=1 err=49 from 192.0.2.1')).not.toBeNull();
    expect(run(p, 'RESULT err=1 err=49 from 192.0.2.1')).toBeNull();
    expect(run(p, 'RESULT tag=97 errno=5 err=49 from 192.0.2.1')).toBeNull();
    // Narrower than Python: a key that is a proper prefix of the word is refused.
    expect(run(p, 'RESULT er=1 err=49 from 192.0.2.1')).toBeNull();
  });

  it('makes fail2ban global flags local and {,n} as {0,n}', () => {
    const t = toRe2('^((?i)abc) x{,2}$');
    expect(t.ok && t.source).toBe('^(?i:abc) x{0,2}$');
  });

  it('checks a negative lookahead on the match', () => {
    expect(run('^bad token from <ADDR>(?! \\(trusted\\))', 'bad token from 192.0.2.1')).not.toBeNull();
    expect(run('^bad token from <ADDR>(?! \\(trusted\\))', 'bad token from 192.0.2.1 (trusted)')).toBeNull();
  });

  it('checks a positive lookahead on the match', () => {
    expect(run('^go(?=n)', 'gone')).not.toBeNull();
    expect(run('^go(?=n)', 'got')).toBeNull();
  });

  it('checks a tempered token over its whole span', () => {
    const p = '^user (?:(?! from ).)* at <HOST>$';
    expect(run(p, 'user bob smith at 192.0.2.1')).not.toBeNull();
    expect(run(p, 'user bob from x at 192.0.2.1')).toBeNull();
  });

  it('checks a backreference and ignores it when its optional part is not taken', () => {
    const p = '^(?P<u>\\w+) said (?P=u)( again (?P=u))? <HOST>$';
    expect(run(p, 'bob said bob 192.0.2.1')).not.toBeNull();
    expect(run(p, 'bob said eve 192.0.2.1')).toBeNull();
    expect(run(p, 'bob said bob again eve 192.0.2.1')).toBeNull();
  });

  it('checks a conditional group against whether its group matched', () => {
    const p = '^(?P<inv>invalid )?user (?(inv)\\d+|[a-z]+) <HOST>$';
    expect(run(p, 'invalid user 42 192.0.2.1')).not.toBeNull();
    expect(run(p, 'user bob 192.0.2.1')).not.toBeNull();
    expect(run(p, 'user 42 192.0.2.1')).toBeNull();
  });
});

describe('prefilterOf', () => {
  const needles = (p: string): string[] => requiredClauses(p).flatMap((c) => c.needles);

  it('takes the longest literal on the required path', () => {
    expect(prefilterOf(resolveTags('^login failed for <F-USER>\\S+</F-USER> from <HOST>$'))).toEqual({
      needles: ['login failed for '],
      caseless: false,
    });
  });

  it('takes nothing from optional parts or classes, and short runs are no use', () => {
    expect(needles('^(?:optional text)?xyz[abc]yyy(?:one|two)zzz(?:ab|cd)')).toEqual([
      'xyz',
      'yyy',
      'one',
      'two',
      'zzz',
    ]);
  });

  it('takes one literal per branch of a required alternation, or none when a branch has none', () => {
    expect(prefilterOf('^(?:a long literal|another one)')).toEqual({
      needles: ['a long literal', 'another one'],
      caseless: false,
    });
    expect(prefilterOf('^(?:a long literal|\\d+)')).toBeUndefined();
    expect(prefilterOf('first branch here|second')).toEqual({
      needles: ['first branch here', 'second'],
      caseless: false,
    });
  });

  it('prefers the clause whose shortest needle is longest', () => {
    // Branches "closed"/"reset" are weaker than the run "Connection " they follow.
    expect(prefilterOf('^(Connection (?:closed|reset)|Disconnected) from')).toEqual({
      needles: ['Connection ', 'Disconnected'],
      caseless: false,
    });
  });

  it('lowercases the literals of a pattern that ignores case, and of runs with [aA] classes', () => {
    expect(prefilterOf('(?i)Authentication failed')).toEqual({ needles: ['authentication failed'], caseless: true });
    expect(prefilterOf('^(?:[Uu]nknown user|[Ii]nvalid credentials)')).toEqual({
      needles: ['unknown user', 'invalid credentials'],
      caseless: true,
    });
    expect(prefilterOf('^x (?:(?i)expn|vrfy) \\S+ \\[rejected\\]$')).toEqual({
      needles: [' [rejected]'],
      caseless: true,
    });
  });

  it('keeps the last character before + and drops the one before ? or *', () => {
    expect(needles('abcc+dee?fff*ggg')).toEqual(['abcc', 'de', 'ff', 'ggg'].filter((n) => n.length >= 3));
  });

  it('reads no literal out of lookarounds, backreferences or a hex escape', () => {
    expect(needles('(?=lookahead)(?<!behind)(?P=name)\\x41\\x42\\x43')).toEqual([]);
  });

  it('never uses a literal the cut-out date can create', () => {
    // `[<date>] x` cut becomes `[] x`: the raw line holds `] x`, never `[] x`.
    expect(prefilterOf('^\\[\\] x')).toEqual({ needles: ['] x'], caseless: false });
    expect(prefilterOf('^\\[\\]x')).toBeUndefined();
    expect(prefilterOf('^\\[\\]abc by local_scan\\(\\): x')).toEqual({
      needles: [']abc by local_scan('],
      caseless: false,
    });
  });

  it('holds a line whatever its case when caseless', () => {
    const clause = prefilterOf('(?i)unknown user')!;
    expect(holds(clause, 'UNKNOWN USER bob', () => 'unknown user bob')).toBe(true);
    expect(holds(clause, 'known user', () => 'known user')).toBe(false);
  });

  it('never rejects a line the pattern matches (property)', () => {
    const escapeRe = (w: string): string => w.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
    const word = fc.stringMatching(/^[a-zA-Z :]{1,8}$/);
    // Each part: a pattern fragment and a text it matches.
    const part: fc.Arbitrary<[string, string]> = fc.oneof(
      word.map((w): [string, string] => [escapeRe(w), w]),
      fc
        .tuple(fc.array(word, { minLength: 1, maxLength: 3 }), fc.nat())
        .map(([ws, k]): [string, string] => [`(?:${ws.map(escapeRe).join('|')})`, ws[k % ws.length]!]),
      fc.tuple(word, fc.boolean()).map(([w, on]): [string, string] => [`(?:${escapeRe(w)})?`, on ? w : '']),
      fc.constant<[string, string]>(['\\d+', '42']),
      fc.constant<[string, string]>(['[aA]', 'A']),
    );
    fc.assert(
      fc.property(
        fc.array(part, { minLength: 1, maxLength: 6 }),
        fc.boolean(),
        fc.string({ maxLength: 6 }),
        (parts, ci, noise) => {
          const pattern = (ci ? '(?i)' : '') + parts.map(([p]) => p).join('');
          const sample = parts.map(([, t]) => t).join('');
          const line = noise + (ci ? sample.toUpperCase() : sample) + noise;
          expect(new RE2(pattern).test(line)).toBe(true);
          const clause = prefilterOf(pattern);
          if (clause) expect(holds(clause, line, () => line.toLowerCase())).toBe(true);
        },
      ),
    );
  });
});

describe('withoutDate', () => {
  it.each([
    ['Jan  1 00:00:00 host sshd[1]: x', ' host sshd[1]: x'],
    ['2005-01-23T21:59:59.981746+01:00 host x', ' host x'],
    ['[Wed Oct 11 14:32:52.123456 2000] [error] x', '[] [error] x'],
    ['192.0.2.1 - - [26/Mar/2009:08:44:20 -0500] "GET / HTTP/1.1"', '192.0.2.1 - - [] "GET / HTTP/1.1"'],
    ['[PDT Apr 16 21:05:29] error : x', '[] error : x'],
    ['130322 11:46:11 [Warning] x', ' [Warning] x'],
    ['no date here', 'no date here'],
  ])('cuts the date out of %s', (line, expected) => {
    expect(withoutDate(line)).toBe(expected);
  });

  describe('reads the stamps of syslog, ISO and access lines by hand, as the templates cut them', () => {
    const part = fc.constantFrom(
      ...['Jan', 'January', 'Mon ', 'JAN', ' ', '  ', '1', '12', '123', ':', '00', '.5', ',', '2005', 'host'],
      ...['\t', '-', '/', 'Z', ' UTC', '+01', '+0100', '-01:00', '+01:0', ']', '[', 'T', '1106513999'],
    );
    const rest = fc.array(part, { maxLength: 8 }).map((parts) => parts.join(''));
    // Mostly the well-formed piece, so that most lines hold a stamp and its edges are what varies.
    const mostly = (good: string, ...others: string[]) =>
      fc.oneof({ weight: 4, arbitrary: fc.constant(good) }, fc.constantFrom(good, ...others));
    const time = fc
      .tuple(
        mostly('21', '0', '2005 ', '123'),
        mostly(':00:00', ':5:00', ':00:0', ':00', ''),
        mostly('', '.5', ',123', '.'),
      )
      .map((parts) => parts.join(''));
    const zone = mostly('', ' +0000', ' Z', 'Z', ' UTC', '  +01:00', ' +01:0', ' +1', '\t-0500');
    const shapes: [string, fc.Arbitrary<string>][] = [
      [
        'syslog',
        fc
          .tuple(
            mostly('Jan', 'Sept', 'Dec', 'Mon Jan', 'Jun-', 'PDT Jan', 'jan'),
            mostly(' ', '  ', '   ', ''),
            mostly('12', '1', '123', ''),
            mostly(' ', ', ', '  '),
            time,
            mostly('', ' 2005', ' 200', ' 20051'),
            rest,
          )
          .map((parts) => parts.join('')),
      ],
      [
        'ISO',
        fc
          .tuple(
            mostly('', '['),
            mostly('2025', '1999', '20251', '202'),
            mostly('-01-02', '/1/2', '.12.21', '-01/02', '-011-02', '-01-022'),
            mostly(' ', 'T', '  ', 't', ''),
            time,
            zone,
            rest,
          )
          .map((parts) => parts.join('')),
      ],
      [
        'access',
        fc
          .tuple(
            mostly('203.0.113.9', '1.2.3', '1234.0.0.1', '2001:db8::1', 'host'),
            mostly(' - - [', ' - frank [', ' - -  [', ' -- ['),
            mostly('01', '1', '011', ''),
            mostly('/Jan/', '/January/', '-Jan-', '/jan/', '/01/'),
            mostly('2005', '05', '20051'),
            mostly(':', ' ', ''),
            time,
            zone,
            mostly('] "GET / HTTP/1.1" 200 5', ']'),
            rest,
          )
          .map((parts) => parts.join('')),
      ],
    ];
    it.each(shapes)('%s', (_name, line) => {
      let stamps = 0;
      fc.assert(
        fc.property(line, (text) => {
          const cut = withoutTemplateDate(text);
          expect({ text, cut: withoutDate(text) }).toEqual({ text, cut });
          if (cut.length < text.length) stamps++;
        }),
        { numRuns: 5000 },
      );
      // Lines with a stamp were common enough for the comparison to mean something.
      expect(stamps).toBeGreaterThan(1000);
    });
  });

  it("uses a filter's own datepattern, cutting only its first group", () => {
    const own = compileDatePattern('^[^\\[]*\\[({DATE})');
    expect(withoutDate('x [2013-01-01 10:00:00] y', own)).toBe('x [] y');
    expect(withoutDate('[17/Jun/2011 17:00:45] A', compileDatePattern('^\\[%d/%b/%Y %H:%M:%S\\]'))).toBe(' A');
    expect(compileDatePattern('{^LN-BEG}')).toBeUndefined();
    expect(compileDatePattern('{NONE}')).toEqual([]);
  });
});
