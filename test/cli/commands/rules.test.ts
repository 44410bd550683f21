import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../../helpers/cli';
import { fail2banDir } from '../../../src/cli/fail2ban-flag';

const FIXTURE = join(__dirname, '..', '..', 'fixtures', 'fail2ban');
const MULTILINE = join(__dirname, '..', '..', 'fixtures', 'fail2ban-multiline');

describe('logsleuth rules', () => {
  it('lists the packs, their jails, and what was skipped and why', async () => {
    const { code, stdout, stderr } = await cli(['rules', '--fail2ban', FIXTURE]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toBe(
      'demo: 7 of 7 patterns on re2, 1 rewritten; jail demo (maxretry 3, findtime 3600s, /var/log/demo.log)',
    );
    expect(lines).toContain('  skipped (lookbehind): failregex ^(?<=x)denied <HOST>$');
    expect(lines[lines.length - 1]).toMatch(
      /^2 filters from .+ in \d+ ms: 8 patterns on re2 \(1 rewritten\), 1 skipped; 0 multi-line, 0 with <F-MLFID> sessions$/,
    );
  });

  it('says which filters span lines: maxlines > 1, <F-MLFID> sessions', async () => {
    const { code, stdout } = await cli(['rules', '--fail2ban', MULTILINE]);
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines).toContain('guacamole: 1 of 1 patterns on re2, multi-line (maxlines 2)');
    expect(lines).toContain('mongodb-auth: 1 of 1 patterns on re2, 1 rewritten, multi-line (maxlines 10)');
    expect(lines.find((l) => l.startsWith('sshd:'))).toMatch(/, <F-MLFID> sessions$/);
    expect(lines[lines.length - 1]).toMatch(/; 3 multi-line, 1 with <F-MLFID> sessions$/);
    const json = JSON.parse((await cli(['rules', '--fail2ban', MULTILINE, '--json'])).stdout) as {
      filters: { name: string; maxlines: number; mlfid: boolean }[];
    };
    expect(json.filters.map((f) => [f.name, f.maxlines, f.mlfid])).toEqual([
      ['ejabberd-auth', 2, false],
      ['guacamole', 2, false],
      ['mongodb-auth', 10, false],
      ['sshd', 1, true],
    ]);
  });

  it('prints the packs as JSON', async () => {
    const { code, stdout } = await cli(['rules', '--fail2ban', FIXTURE, '--json']);
    expect(code).toBe(0);
    const json = JSON.parse(stdout) as { filters: { name: string; patterns: { skipped: string | null }[] }[] };
    expect(json.filters.map((f) => f.name)).toEqual(['demo', 'lookbehind']);
    expect(json.filters[1]!.patterns.map((p) => p.skipped)).toEqual(['lookbehind', null]);
  });

  it('fails clearly for a directory without filters', async () => {
    const { code, stderr } = await cli(['rules', '--fail2ban', join(FIXTURE, 'jail.d')]);
    expect(code).toBe(2);
    expect(stderr).toContain('has no filter.d directory');
  });
});

describe('--fail2ban on events', () => {
  let dir: string;
  let log: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'logsleuth-f2b-'));
    log = join(dir, 'demo.log');
    writeFileSync(log, 'Jan  1 00:00:00 host demod[12]: login failed for bob from 192.0.2.1\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const args = () => ['events', '--ndjson', '--reference-date', '2025-01-02T00:00:00Z', log];

  it("flags a line the directory's filters match, naming the filter", async () => {
    const { code, stdout } = await cli([...args(), '--fail2ban', FIXTURE]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({
      source: { ip: '192.0.2.1' },
      user: { name: 'bob' },
      event: { outcome: 'failure', action: 'auth.failure' },
      logsleuth: { hostile: true, fields: { rule: 'fail2ban/demo' } },
    });
  });

  it('leaves it alone with --no-fail2ban, and without the flag when LOGSLEUTH_FAIL2BAN is off (as in tests)', async () => {
    for (const extra of [['--no-fail2ban'], []]) {
      const { code, stdout } = await cli([...args(), ...extra]);
      expect(code).toBe(0);
      const doc = JSON.parse(stdout) as { source?: unknown; logsleuth: { hostile: boolean } };
      expect({ source: doc.source, hostile: doc.logsleuth.hostile }).toEqual({ source: undefined, hostile: false });
    }
  });
});

describe('fail2banDir', () => {
  it('follows the flag, then LOGSLEUTH_FAIL2BAN, then /etc/fail2ban', () => {
    expect(fail2banDir(false, {})).toBeUndefined();
    expect(fail2banDir('/x', { LOGSLEUTH_FAIL2BAN: 'off' })).toBe('/x');
    expect(fail2banDir(true, { LOGSLEUTH_FAIL2BAN: 'off' })).toBe('/etc/fail2ban');
    expect(fail2banDir(undefined, { LOGSLEUTH_FAIL2BAN: 'off' })).toBeUndefined();
    expect(fail2banDir(undefined, { LOGSLEUTH_FAIL2BAN: '/y' })).toBe('/y');
  });
});
