import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEvent } from '../../../src/core/event';
import { investigate } from '../../../src/investigate';
import { loadFail2ban } from '../../../src/logs/fail2ban';
import { readEvents } from '../../../src/logs/read-events';
import { type JailState, filterOf, jailThresholds, recordJailFailure } from '../../../src/tracers/ip/jails';

const MINUTE = 60_000;
const demo = { name: 'demo', filter: 'demo', maxretry: 3, findtimeMs: 60 * MINUTE };

function failure(at: number, rule = 'fail2ban/demo') {
  const e = createEvent({ source: 's', line: 1, raw: 'x', format: 'raw' });
  return { ...e, timestamp: at, hostile: true, fields: { rule } };
}

describe('recordJailFailure', () => {
  const fresh = (): JailState => ({ jailTimes: undefined, jailTrip: undefined });

  it('trips at maxretry failures within findtime, out of order too', () => {
    const s = fresh();
    expect(recordJailFailure(s, failure(50 * MINUTE), [demo])).toBe(false);
    expect(recordJailFailure(s, failure(0), [demo])).toBe(false);
    expect(recordJailFailure(s, failure(20 * MINUTE), [demo])).toBe(true);
    expect(s.jailTrip).toEqual({ jail: 'demo', failures: 3, maxretry: 3, findtimeMs: 60 * MINUTE });
  });

  it('does not trip when the failures spread wider than findtime', () => {
    const s = fresh();
    for (const m of [0, 40, 80, 120, 160]) expect(recordJailFailure(s, failure(m * MINUTE), [demo])).toBe(false);
    expect(s.jailTrip).toBeUndefined();
    // The kept times stay bounded by maxretry.
    expect(s.jailTimes![0]).toHaveLength(3);
  });

  it("counts only its filter's lines: the rule of a pack match or the filter that also matched", () => {
    const s = fresh();
    for (let i = 0; i < 3; i++) recordJailFailure(s, failure(i, 'fail2ban/other'), [demo]);
    expect(s.jailTrip).toBeUndefined();
    const builtIn = { ...failure(0), fields: { fail2ban: 'demo' } };
    expect(filterOf(builtIn)).toBe('demo');
    expect(filterOf({ ...failure(0), fields: { rule: 'sshd/invalid-user' } })).toBeUndefined();
  });
});

describe('jailThresholds', () => {
  it("takes the enabled jails of loaded filters, with fail2ban's defaults", () => {
    const jails = [
      { name: 'a', enabled: true, filter: 'demo', maxretry: undefined, findtime: undefined },
      { name: 'b', enabled: false, filter: 'demo', maxretry: 2, findtime: 60 },
      { name: 'c', enabled: true, filter: 'missing', maxretry: 2, findtime: 60 },
      { name: 'd', enabled: true, filter: 'demo', maxretry: 1e12, findtime: 60 },
    ];
    expect(jailThresholds(jails, new Set(['demo']))).toEqual([
      { name: 'a', filter: 'demo', maxretry: 5, findtimeMs: 600_000 },
      // An absurd maxretry is held to MAX_JAIL_RETRY, so an address's kept times stay bounded.
      { name: 'd', filter: 'demo', maxretry: 1000, findtimeMs: 60_000 },
    ]);
  });
});

describe("a configured jail's threshold in an investigation", () => {
  const packs = loadFail2ban(join(__dirname, '..', '..', 'fixtures', 'fail2ban'));
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'logsleuth-jails-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function casesOf(lines: string[]) {
    const file = join(dir, `auth-${lines.length}-${Math.random()}.log`);
    writeFileSync(file, lines.join('\n') + '\n');
    const { result, tracers } = await investigate({
      inputs: [file],
      fail2ban: packs,
      referenceDate: Date.UTC(2025, 0, 2),
    });
    return { cases: result.cases, tracers };
  }
  const line = (time: string, ip: string) => `Jan  1 ${time} host demod[12]: login failed for bob from ${ip}`;

  it("blacklists an address at the demo jail's maxretry (3 in 1 h, jail.d/demo.local) and names the jail", async () => {
    const { cases } = await casesOf([
      line('00:00:00', '192.0.2.10'),
      line('00:20:00', '192.0.2.10'),
      line('00:50:00', '192.0.2.10'),
    ]);
    const c = cases.find((x) => x.ip === '192.0.2.10')!;
    expect(c.blacklisted).toBe(true);
    expect(c.reasons.find((r) => r.code === 'jail')?.text).toMatch(
      /3 failures within 60 minutes .*jail demo \(maxretry 3\)/,
    );
  });

  it('leaves the jail out below maxretry or beyond findtime', async () => {
    const { cases, tracers } = await casesOf([
      line('00:00:00', '192.0.2.11'),
      line('00:10:00', '192.0.2.11'),
      line('00:00:00', '192.0.2.12'),
      line('01:30:00', '192.0.2.12'),
      line('03:00:00', '192.0.2.12'),
    ]);
    for (const c of cases) expect(c.reasons.map((r) => r.code)).not.toContain('jail');
    // Both were read as the demo filter's failures, and neither is blacklisted.
    for (const [ip, failures] of [
      ['192.0.2.11', 2],
      ['192.0.2.12', 3],
    ] as const) {
      const profile = tracers.ip.profile(ip)!;
      expect(profile.counts['failedLogins']).toBe(failures);
      expect(profile.blacklisted).toBe(false);
      expect(profile.reasons.map((r) => r.code)).not.toContain('jail');
    }
  });
});

(existsSync('/etc/fail2ban/filter.d') ? describe : describe.skip)(
  "Debian's sshd jail (maxretry 5, findtime 10m)",
  () => {
    // Loaded by the tests, not here: a skipped block's body still runs, where /etc/fail2ban is absent.
    let debian: ReturnType<typeof loadFail2ban>;
    beforeAll(() => (debian = loadFail2ban('/etc/fail2ban')));
    const read = (text: string) =>
      [
        ...readEvents([], { fail2ban: debian, referenceDate: Date.UTC(2025, 0, 2) }).readSync([
          { source: 'a', line: 1, text },
        ]),
      ][0]!;

    it('tags a hostile sshd line a built-in read with the jailed filter whose _daemon wrote it', () => {
      expect(read('Jan  1 00:00:00 host sshd[1]: Failed password for root from 192.0.2.1 port 22 ssh2').fields).toEqual(
        {
          fail2ban: 'sshd',
        },
      );
      expect(
        read('Jan  1 00:00:00 host sshd[1]: Accepted publickey for root from 192.0.2.1 port 22 ssh2').fields?.[
          'fail2ban'
        ],
      ).toBeUndefined();
    });

    it('blacklists at the fifth failure within ten minutes, naming the jail', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'logsleuth-sshd-jail-'));
      try {
        const file = join(dir, 'auth.log');
        const lines = [0, 1, 2, 3, 4].map(
          (m) => `Jan  1 00:0${m}:00 host sshd[1]: Failed password for root from 198.51.100.7 port 22 ssh2`,
        );
        writeFileSync(file, lines.join('\n') + '\n');
        const { result } = await investigate({ inputs: [file], fail2ban: debian, referenceDate: Date.UTC(2025, 0, 2) });
        const c = result.cases.find((x) => x.ip === '198.51.100.7')!;
        expect(c.blacklisted).toBe(true);
        expect(c.reasons.find((r) => r.code === 'jail')?.text).toMatch(/5 failures within 10 minutes .*jail sshd/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  },
);
