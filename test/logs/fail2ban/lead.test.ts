/**
 * A pattern's lead never rejects a text its re2 pattern matches: on patterns
 * and texts generated together, and on every Debian filter over fail2ban's
 * sample logs.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import RE2 from 're2';
import { loadFail2ban } from '../../../src/logs/fail2ban';
import { type Lead, leadOf, mayLead } from '../../../src/logs/fail2ban/lead';
import { PackLine, dateless } from '../../../src/logs/fail2ban/pack';

const CONFIG = '/etc/fail2ban';
const SAMPLES = '/usr/lib/python3/dist-packages/fail2ban/tests/files/logs';

function leadOrFail(pattern: string): Lead {
  const lead = leadOf(pattern);
  if (!lead) throw new Error(`no lead for ${pattern}`);
  return lead;
}

describe('leadOf', () => {
  it("reads 3proxy's leading classes up to the first repeat", () => {
    const lead = leadOrFail(String.raw`^\s[+-]\d{4} \S+ \d{3}0[1-9] \S+`);
    // `\s`, `[+-]`, four digits, the space, and the one `\S` that `+` keeps.
    expect(lead).toHaveLength(8);
    expect(mayLead(lead, ' +0100 x rest')).toBe(true);
    expect(mayLead(lead, ' +010 x rest')).toBe(false);
    expect(mayLead(lead, '127.0.0.1 - - "GET / HTTP/1.1" 200')).toBe(false);
    expect(mayLead(lead, ' +0100')).toBe(false);
  });

  it('leaves undecided what starts outside ASCII', () => {
    expect(mayLead(leadOrFail(String.raw`^\S\S\d`), 'é1x')).toBe(true);
  });

  it('gives none to patterns that are not anchored, branch, set flags or lead with a repeat', () => {
    for (const pattern of ['abc', '^a|^b', '(?i)^abc', '^(?i)abc', String.raw`^\s*x`, '^.x', '^(?:a)b'])
      expect(leadOf(pattern)).toBeUndefined();
  });

  it('never rejects a text re2 matches (generated patterns and texts)', () => {
    // A piece of pattern and a text it matches.
    const piece: fc.Arbitrary<[string, string]> = fc.constantFrom<[string, string]>(
      ['a', 'a'],
      [String.raw`\.`, '.'],
      [String.raw`\d`, '7'],
      [String.raw`\d{3}`, '123'],
      [String.raw`\s`, ' '],
      [String.raw`\s`, '\t'],
      [String.raw`\S`, 'é'],
      [String.raw`\S+`, 'xy'],
      [String.raw`\w`, '_'],
      [String.raw`\W`, '-'],
      ['[+-]', '-'],
      [String.raw`[\d.]`, '.'],
      ['[a-cX]', 'b'],
      [String.raw`[\x41-\x43]`, 'B'],
      [String.raw`\x41`, 'A'],
      ['b?', ''],
      ['c*', 'cc'],
      [String.raw`\d{1,2}`, '1'],
      [' ', ' '],
    );
    const mutate = fc.tuple(fc.nat(), fc.constantFrom('', 'a', '7', ' ', '\t', '-', '.', 'é', '😀', '\n', 'B'));
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 8 }), mutate, ([...pieces], [at, char]) => {
        const pattern = `^${pieces.map(([p]) => p).join('')}`;
        const matched = pieces.map(([, t]) => t).join('') + 'tail';
        const cut = at % (matched.length + 1);
        const text = matched.slice(0, cut) + char + matched.slice(cut + 1);
        const lead = leadOf(pattern);
        for (const candidate of [matched, text])
          if (new RE2(pattern).test(candidate)) expect(lead === undefined || mayLead(lead, candidate)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

const ready = existsSync(join(CONFIG, 'filter.d')) && existsSync(SAMPLES);
(ready ? describe : describe.skip)("leads of Debian's fail2ban filters", () => {
  it('reject no sample line that their pattern matches, and reject most lines', () => {
    const samples = readdirSync(SAMPLES, { withFileTypes: true })
      .filter((f) => f.isFile())
      .flatMap((f) => readFileSync(join(SAMPLES, f.name), 'latin1').split('\n'))
      .filter((l) => l !== '' && !l.startsWith('#'));
    let matched = 0;
    let rejected = 0;
    for (const pack of loadFail2ban(CONFIG).packs) {
      if (pack.maxlines > 1) continue;
      for (const line of samples) {
        const text = dateless(pack, new PackLine(line));
        const content = pack.prefregex?.re?.exec(text)?.groups?.content;
        for (const p of [...pack.failregex, ...pack.ignoreregex, ...(pack.prefregex ? [pack.prefregex] : [])]) {
          if (!p.re || !p.lead) continue;
          const searched = p.kind === 'failregex' && content !== undefined ? content : text;
          const leads = mayLead(p.lead, searched);
          if (p.re.test(searched)) {
            matched++;
            expect([pack.name, p.original, searched, leads]).toEqual([pack.name, p.original, searched, true]);
          } else if (!leads) rejected++;
        }
      }
    }
    expect(matched).toBeGreaterThan(500);
    expect(rejected).toBeGreaterThan(matched);
  });
});
