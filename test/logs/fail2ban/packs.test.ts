import { join } from 'node:path';
import { createEvent } from '../../../src/core/event';
import { loadFail2ban } from '../../../src/logs/fail2ban';
import { readEvents } from '../../../src/logs/read-events';

const FIXTURE = join(__dirname, '..', '..', 'fixtures', 'fail2ban');
const packs = loadFail2ban(FIXTURE);

describe('loadFail2ban', () => {
  it('loads every filter with a failregex, leaving the files they include', () => {
    expect(packs.packs.map((p) => p.name)).toEqual(['demo', 'lookbehind']);
    expect(packs.errors).toEqual([]);
  });

  it("gives the enabled jail's parameters to its filter", () => {
    const demo = packs.packs.find((p) => p.name === 'demo')!;
    expect(demo.failregex.map((p) => p.original)).toContain('^probe from <HOST>');
  });

  it('skips what re2 cannot run, with the reason, and keeps the rest of the filter', () => {
    const lookbehind = packs.packs.find((p) => p.name === 'lookbehind')!;
    expect(lookbehind.failregex.map((p) => p.skipped)).toEqual(['lookbehind', undefined]);
  });

  it('throws for a directory without filter.d', () => {
    expect(() => loadFail2ban(join(FIXTURE, 'filter.d'))).toThrow(/no filter.d/);
  });
});

describe('Fail2banPacks.match', () => {
  it.each([
    ['Jan  1 00:00:00 host demod[12]: login failed for bob from 192.0.2.1', 'demo', '192.0.2.1', 'bob'],
    ['Jan  1 00:00:00 host demod(12): probe from 192.0.2.2', 'demo', '192.0.2.2', undefined],
    ['Jan  1 00:00:00 host demod: token replay by eve at 2001:db8::5', 'demo', '2001:db8::5', 'eve'],
    ['refused 192.0.2.3', 'lookbehind', '192.0.2.3', undefined],
  ])('matches %s', (line, filter, host, user) => {
    expect(packs.match(line)).toMatchObject({ filter, host, user, nofail: false });
  });

  it.each([
    [
      'another daemon (the prefregex names demod)',
      'Jan  1 00:00:00 host other[1]: login failed for bob from 192.0.2.1',
    ],
    ['an ignoreregex', 'Jan  1 00:00:00 host demod[1]: login failed for bob from 192.0.2.99'],
    ['a negative lookahead', 'Jan  1 00:00:00 host demod[1]: bad token from 192.0.2.4 (trusted)'],
    ['an <F-NOFAIL> match', 'Jan  1 00:00:00 host demod[1]: connect from 192.0.2.5'],
    ['a line holding no literal of any pattern', 'Jan  1 00:00:00 host demod[1]: all is well'],
  ])('does not match %s', (_why, line) => {
    expect(packs.match(line)).toBeUndefined();
  });
});

describe('readEvents with packs', () => {
  const read = (...texts: string[]) => [
    ...readEvents([], { fail2ban: packs, referenceDate: Date.UTC(2025, 0, 2) }).readSync(
      texts.map((text, i) => ({ source: 'test.log', line: i + 1, text })),
    ),
  ];

  it("makes a line a filter matches hostile, with its address, user and the filter's name", () => {
    const [event] = read('Jan  1 00:00:00 host demod[12]: login failed for bob from 192.0.2.1');
    expect(event).toMatchObject({
      hostile: true,
      ip: '192.0.2.1',
      user: 'bob',
      outcome: 'failure',
      action: 'auth.failure',
      fields: { rule: 'fail2ban/demo' },
    });
  });

  it("keeps the built-in recogniser's verdict where it read the line", () => {
    const line = 'Jan  1 00:00:00 host sshd[7]: Accepted password for bob from 192.0.2.9 port 22 ssh2';
    const withPacks = read(line)[0]!;
    const without = [
      ...readEvents([], { referenceDate: Date.UTC(2025, 0, 2) }).readSync([{ source: 't', line: 1, text: line }]),
    ][0]!;
    expect(withPacks.action).toBe(without.action);
    expect(withPacks.hostile).toBe(false);
    expect(withPacks.fields?.rule).toBeUndefined();
  });

  it('leaves events alone without packs', () => {
    const event = createEvent({ source: 's', line: 1, raw: 'refused 192.0.2.3', format: 'raw' });
    expect(packs.apply({ ...event, hostile: true })).toBe(false);
  });

  it('never throws on hostile input (binary, huge lines)', () => {
    const huge = 'login failed for bob from 192.0.2.1 '.repeat(20_000);
    expect(() => read('\u0000\u00ff\ufffd demod: login failed', huge, '')).not.toThrow();
    expect(packs.match(huge)).toBeUndefined();
  });
});
