/**
 * `<F-MLFID>` sessions with Debian's sshd filter (test/fixtures/fail2ban-multiline),
 * on sessions of Debian's sshd sample log: an address a `<F-NOFAIL>` line gave
 * serves a later failure line of the same id, `<F-MLFFORGET>` ends the
 * session, `<F-MLFGAINED>` clears it, the cache holds fail2ban's 100 ids.
 */
import { join } from 'node:path';
import { loadFail2ban } from '../../../src/logs/fail2ban';
import { MLFID_CACHE_SIZE, MlfidCache, mergeFailure } from '../../../src/logs/fail2ban/mlfid';

const FIXTURE = join(__dirname, '..', '..', 'fixtures', 'fail2ban-multiline');

/** Each line's failure through the packs (fresh sessions per call): `filter host user` or ''. */
function failures(lines: readonly string[]): string[] {
  const packs = loadFail2ban(FIXTURE, { only: ['sshd'] });
  return lines.map((line) => {
    const m = packs.match(line);
    return m ? `${m.filter} ${m.host} ${m.user ?? '-'}` : '';
  });
}

describe('<F-MLFID> sessions', () => {
  it('gives the address of a <F-NOFAIL> line to a later failure line of the same id', () => {
    expect(
      failures([
        'Feb 12 04:09:18 localhost sshd[26713]: Connection from 115.249.163.77 port 51353',
        'Feb 12 04:09:21 localhost sshd[26713]: Disconnecting: Too many authentication failures for root [preauth]',
      ]),
    ).toEqual(['', 'sshd 115.249.163.77 root']);
  });

  it('counts a failure without an address on the next line of its id that has one (pending)', () => {
    expect(
      failures([
        'Nov 28 09:16:05 srv sshd[32310]: Disconnecting: Too many authentication failures for git [preauth]',
        'Nov 28 09:16:05 srv sshd[32310]: Connection closed by 192.0.2.111 [preauth]',
      ]),
    ).toEqual(['', 'sshd 192.0.2.111 git']);
  });

  it('keeps sessions apart by id: another pid gets no address', () => {
    expect(
      failures([
        'Feb 12 04:09:18 localhost sshd[26713]: Connection from 115.249.163.77 port 51353',
        'Feb 12 04:09:21 localhost sshd[26714]: Disconnecting: Too many authentication failures for root [preauth]',
      ]),
    ).toEqual(['', '']);
  });

  it('forgets the session at <F-MLFFORGET>: a later line of the id has no address', () => {
    expect(
      failures([
        'Sep 29 16:28:05 localhost sshd[16700]: Connection from 192.0.2.5',
        'Sep 29 16:28:05 localhost sshd[16700]: Connection closed by 192.0.2.5',
        'Sep 29 16:28:06 localhost sshd[16700]: Disconnecting: Too many authentication failures [preauth]',
      ]),
    ).toEqual(['', '', '']);
  });

  it('counts no failure for a success (<F-MLFGAINED>) nor for the nofail lines around it', () => {
    expect(
      failures([
        'Nov 28 09:16:03 srv sshd[32307]: Postponed publickey for git from 192.0.2.1 port 57904 ssh2 [preauth]',
        'Nov 28 09:16:03 srv sshd[32307]: Accepted publickey for git from 192.0.2.1 port 57904 ssh2: DSA 36:48:xx',
        'Nov 28 09:16:03 srv sshd[32307]: Connection closed by 192.0.2.1',
      ]),
    ).toEqual(['', '', '']);
  });

  it('holds at most fail2ban’s 100 sessions per filter, the oldest dropped first and counted', () => {
    const packs = loadFail2ban(FIXTURE, { only: ['sshd'] });
    for (let pid = 1; pid <= 150; pid++)
      packs.match(`Feb 12 04:09:18 localhost sshd[${pid}]: Connection from 192.0.2.7`);
    expect(packs.evictedSessions()).toBe(50);
    const tooMany = (pid: number) =>
      packs.match(`Feb 12 04:09:21 localhost sshd[${pid}]: Disconnecting: Too many authentication failures [preauth]`);
    expect(tooMany(1)).toBeUndefined();
    expect(tooMany(150)).toMatchObject({ host: '192.0.2.7' });
  });
});

describe('mergeFailure', () => {
  it('makes attempts for two users a failure whatever <F-NOFAIL> says', () => {
    const cache = new MlfidCache();
    expect(mergeFailure(cache, 'c1', { nofail: 'x', user: 'alice', ip4: '192.0.2.1' }).groups.nofail).toBe('x');
    const merged = mergeFailure(cache, 'c1', { nofail: 'x', user: 'bob' });
    expect(merged.groups).toMatchObject({ ip4: '192.0.2.1', user: 'bob' });
    expect(merged.groups.nofail).toBeUndefined();
    expect([...merged.users!]).toEqual(['alice', 'bob']);
  });

  it('stores nothing for an id whose first match forgets it', () => {
    const cache = new MlfidCache();
    mergeFailure(cache, 'c2', { mlfforget: 'closed', ip4: '192.0.2.2' });
    expect(cache.count).toBe(0);
    expect(MLFID_CACHE_SIZE).toBe(100);
  });
});
