import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../helpers/cli';
import { readReputation } from '../../src/tracers/ip/reputation';

const FIXTURES = join(__dirname, '..', 'fixtures', 'reputation');
const A = join(FIXTURES, 'host-a.json');
const B = join(FIXTURES, 'host-b.json');

const run = (...args: string[]) => cli(args);

describe('logsleuth reputation', () => {
  const dir = mkdtempSync(join(tmpdir(), 'logsleuth-cli-rep-'));

  it('merges databases into a valid one, whatever their order', async () => {
    const ab = join(dir, 'ab.json');
    const ba = join(dir, 'ba.json');
    const first = await run('reputation', 'merge', A, B, '-o', ab);
    expect(first).toMatchObject({ code: 0, stdout: '' });
    expect(first.stderr).toBe(`merged 2 databases: 5 addresses, 2 blacklisted -> ${ab}\n`);
    expect((await run('reputation', 'merge', B, A, '-o', ba)).code).toBe(0);
    const [x, y] = [await readReputation(ab), await readReputation(ba)];
    expect({ ...x, generatedAt: '' }).toEqual({ ...y, generatedAt: '' });
    expect(x.entries.map((e) => [e.ip, e.score, e.blacklisted])).toEqual([
      ['2001:db8::1', 72, true],
      ['198.51.100.7', 71, true],
      ['203.0.113.5', 54, false],
      ['198.51.100.8', 28, false],
      ['192.0.2.44', 5, false],
    ]);
  });

  it('exports a blocklist in each format', async () => {
    expect(await run('reputation', 'export', B)).toEqual({
      code: 0,
      stdout: '2001:db8::1\n',
      stderr: '',
    });
    const ipset = await run('reputation', 'export', A, '--format', 'ipset', '--set', 'sshbad', '--min-score', '40');
    expect(ipset.stdout).toBe(
      [
        'create sshbad hash:ip family inet maxelem 65536',
        'add sshbad 198.51.100.7',
        'add sshbad 203.0.113.5',
        'create sshbad_v6 hash:ip family inet6 maxelem 65536',
        '',
      ].join('\n'),
    );
    const nft = await run('reputation', 'export', B, '-f', 'nft');
    expect(nft.stdout).toContain('add element inet logsleuth logsleuth_v6 { 2001:db8::1 }\n');
  });

  it('writes the blocklist to a file when asked', async () => {
    const out = join(dir, 'block.txt');
    expect((await run('reputation', 'export', A, '-o', out)).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe('198.51.100.7\n');
  });

  it('fails clearly on an invalid database, escaping what it prints', async () => {
    const bad = join(dir, 'bad\u001b[31m.json');
    writeFileSync(bad, JSON.stringify({ version: 2 }));
    const result = await run('reputation', 'export', bad);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('not a valid reputation: / must have required property');
    expect(result.stderr).not.toContain('\u001b');
  });

  it('fails clearly on a missing database', async () => {
    const result = await run('reputation', 'merge', A, join(dir, 'none.json'), '-o', join(dir, 'x.json'));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('none.json: ENOENT');
  });

  it('rejects a bad format, score or set name', async () => {
    expect(await run('reputation', 'export', A, '--format', 'csv')).toMatchObject({
      code: 2,
      stderr: 'logsleuth: unknown format "csv": use plain, ipset, nft\n',
    });
    expect((await run('reputation', 'export', A, '--min-score', '120')).stderr).toContain('a score from 0 to 100');
    expect((await run('reputation', 'export', A, '--set', 'x;flush')).stderr).toContain('set name "x;flush"');
  });
});
