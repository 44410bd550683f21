import { join } from 'node:path';
import { parseIni } from '../../../src/logs/fail2ban/ini';
import { substituteTags } from '../../../src/logs/fail2ban/config';
import { readFilter } from '../../../src/logs/fail2ban/filter';
import { parseDuration, parseFilterSpec, readJails } from '../../../src/logs/fail2ban/jails';

const FIXTURE = join(__dirname, '..', '..', 'fixtures', 'fail2ban');

describe('parseIni (configparser rules)', () => {
  it('reads sections, both separators, lower-cased names and indented continuations', () => {
    const ini = parseIni('[A]\nName = one\nother: two\nmulti = x\n   y\n\n   z\n[DEFAULT]\nd = 1\n');
    expect(ini.sections.get('A')).toEqual({ name: 'one', other: 'two', multi: 'x\ny\n\nz' });
    expect(ini.defaults).toEqual({ d: '1' });
  });

  it('drops whole-line comments (indented too) and inline comments after whitespace', () => {
    const ini = parseIni('[A]\n# c\nv = a ; note\n  ; inside\n  b\nw = x;y\n');
    expect(ini.sections.get('A')).toEqual({ v: 'a\nb', w: 'x;y' });
  });

  it('ignores what is no option, and options before any section', () => {
    expect(parseIni('stray = 1\n[A]\n=nothing\njunk\x00\n').sections.get('A')).toEqual({});
  });
});

describe('substituteTags', () => {
  it('replaces innermost tags first and leaves unknown ones', () => {
    const tags: Record<string, string> = { mode: 'file', 'lt_file/x': 'X<HOST>' };
    expect(substituteTags('<lt_<mode>/x> <F-USER>', (t) => tags[t])).toBe('X<HOST> <F-USER>');
  });

  it('throws on tags that refer to each other without end', () => {
    expect(() => substituteTags('<a>', (t) => (t === 'a' ? '<a>' : undefined))).toThrow(/without end/);
  });
});

describe('readFilter', () => {
  it('merges includes before and after, .local files, [Init] and the jail parameters', () => {
    const f = readFilter(FIXTURE, 'demo', { mode: 'aggressive' });
    expect(f.files.map((p) => p.slice(FIXTURE.length + 1))).toEqual([
      'filter.d/common.conf',
      'filter.d/common.local',
      'filter.d/demo.conf',
      'filter.d/demo.local',
    ]);
    expect(f.prefregex).toBe(String.raw`^\s*(?:\S+\s+)?demod(?:\[\d+\]|\(\d+\))?:\s+<F-CONTENT>.+</F-CONTENT>$`);
    expect(f.failregex).toEqual([
      '^login failed for <F-USER>\\S+</F-USER> from <HOST>$',
      '^bad token from <ADDR>(?! \\(trusted\\))',
      '^probe from <HOST>',
      '^<F-NOFAIL>connect from</F-NOFAIL> <HOST>',
      '^token replay by <F-USER>\\S+</F-USER> at <HOST>$',
    ]);
    expect(f.ignoreregex).toEqual(['from 192\\.0\\.2\\.99']);
    expect(f.journalmatch).toBe('_SYSTEMD_UNIT=demod.service');
    expect(f.datepattern).toBe('{^LN-BEG}');
  });

  it("uses [Init]'s mode when the jail gives none", () => {
    expect(readFilter(FIXTURE, 'demo').failregex).not.toContain('^probe from <HOST>');
  });

  it('throws for a filter that does not exist', () => {
    expect(() => readFilter(FIXTURE, 'absent')).toThrow(/no filter.d\/absent/);
  });
});

describe('jails', () => {
  it('reads enabled jails, filter parameters, log paths, maxretry and findtime from jail.conf and jail.d', () => {
    expect(readJails(FIXTURE)).toEqual([
      {
        name: 'demo',
        enabled: true,
        filter: 'demo',
        params: { mode: 'aggressive' },
        logpath: ['/var/log/demo.log'],
        maxretry: 3,
        findtime: 3600,
      },
      {
        name: 'lookbehind',
        enabled: true,
        filter: 'lookbehind',
        params: {},
        logpath: ['/var/log/lookbehind.log'],
        maxretry: 5,
        findtime: 600,
      },
    ]);
  });

  it.each([
    ['600', 600],
    ['10m', 600],
    ['1h 30m', 5400],
    ['2d', 172800],
    ['nonsense', undefined],
  ])('reads the duration %s as %s seconds', (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });

  it('reads filter parameters, quoted or not', () => {
    expect(parseFilterSpec('sshd[mode=aggressive, publickey="any x"]')).toEqual({
      name: 'sshd',
      params: { mode: 'aggressive', publickey: 'any x' },
    });
  });
});
