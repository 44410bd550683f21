import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { blockedAddresses, checkSetName, renderBlocklist } from '../../../src/tracers/ip/blocklist';
import type { ReputationDb, ReputationEntry } from '../../../src/tracers/ip/reputation';

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'reputation');
const load = (name: string) => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as ReputationDb;

function withEntries(entries: Partial<ReputationEntry>[]): ReputationDb {
  const db = load('host-a.json');
  const template = db.entries[0]!;
  return { ...db, entries: entries.map((e) => ({ ...template, ...e })) };
}

describe('blocklists', () => {
  const db = withEntries([
    { ip: '203.0.113.9', score: 90, blacklisted: true },
    { ip: '2001:db8::1', score: 80, blacklisted: true },
    { ip: '10.0.0.2', score: 75, blacklisted: true },
    { ip: '198.51.100.1', score: 50, blacklisted: false },
    { ip: '127.0.0.1', score: 99, blacklisted: false, whitelisted: true },
    { ip: '2001:db8::a', score: 71, blacklisted: true },
  ]);

  it('selects the blacklisted addresses by family, in address order', () => {
    expect(blockedAddresses(db)).toEqual({
      v4: ['10.0.0.2', '203.0.113.9'],
      v6: ['2001:db8::1', '2001:db8::a'],
      invalid: 0,
    });
  });

  it('selects by score when asked, never a whitelisted address', () => {
    expect(blockedAddresses(db, 50)).toEqual({
      v4: ['10.0.0.2', '198.51.100.1', '203.0.113.9'],
      v6: ['2001:db8::1', '2001:db8::a'],
      invalid: 0,
    });
  });

  it('writes a plain list, one address per line', () => {
    expect(renderBlocklist(db, 'plain')).toBe('10.0.0.2\n203.0.113.9\n2001:db8::1\n2001:db8::a\n');
  });

  it('writes an ipset restore file with a separate inet6 set', () => {
    expect(renderBlocklist(db, 'ipset', { set: 'ssh_attackers' })).toBe(
      [
        'create ssh_attackers hash:ip family inet maxelem 65536',
        'add ssh_attackers 10.0.0.2',
        'add ssh_attackers 203.0.113.9',
        'create ssh_attackers_v6 hash:ip family inet6 maxelem 65536',
        'add ssh_attackers_v6 2001:db8::1',
        'add ssh_attackers_v6 2001:db8::a',
        '',
      ].join('\n'),
    );
  });

  it('writes an nftables script with one set per family', () => {
    expect(renderBlocklist(db, 'nft', { set: 'bad', table: 'filter2' })).toBe(
      [
        '# logsleuth blocklist: 2 IPv4 and 2 IPv6 addresses (blacklisted entries)',
        '# database generated 2026-03-02T00:00:00.000Z, scores as of 2026-03-01T09:02:00.000Z',
        '# load: nft -f FILE; then drop with: nft add rule inet filter2 <chain> ip saddr @bad_v4 drop',
        '#                               and: nft add rule inet filter2 <chain> ip6 saddr @bad_v6 drop',
        'add table inet filter2',
        'add set inet filter2 bad_v4 { type ipv4_addr; }',
        'add set inet filter2 bad_v6 { type ipv6_addr; }',
        'add element inet filter2 bad_v4 { 10.0.0.2, 203.0.113.9 }',
        'add element inet filter2 bad_v6 { 2001:db8::1, 2001:db8::a }',
        '',
      ].join('\n'),
    );
  });

  it('omits add element lines for an empty family, since nft rejects an empty element list', () => {
    const v4only = withEntries([{ ip: '192.0.2.1', blacklisted: true }]);
    const script = renderBlocklist(v4only, 'nft');
    expect(script).toContain('add element inet logsleuth logsleuth_v4 { 192.0.2.1 }\n');
    expect(script).not.toContain('logsleuth_v6 {  }');
    expect(script.split('\n').filter((l) => l.startsWith('add element'))).toHaveLength(1);
  });

  it('splits long element lists into chunks of 500', () => {
    const many = withEntries(
      Array.from({ length: 1200 }, (_, i) => ({ ip: `10.0.${i >> 8}.${i & 255}`, blacklisted: true })),
    );
    const lines = renderBlocklist(many, 'nft')
      .split('\n')
      .filter((l) => l.startsWith('add element'));
    expect(lines.map((l) => l.split(',').length)).toEqual([500, 500, 200]);
  });

  it('skips and counts addresses that do not parse, so nothing else reaches a firewall script', () => {
    const tampered = withEntries([
      { ip: '1.2.3', blacklisted: true },
      { ip: '192.0.2.300', blacklisted: true },
      { ip: '192.0.2.5', blacklisted: true },
    ]);
    expect(blockedAddresses(tampered)).toEqual({ v4: ['192.0.2.5'], v6: [], invalid: 2 });
  });

  it('accepts only set names that ipset and nft both accept', () => {
    expect(checkSetName('ssh_bad_2')).toBe('ssh_bad_2');
    for (const bad of ['', '1abc', 'a b', 'a;flush', 'x'.repeat(29), 'dash-name']) {
      expect(() => checkSetName(bad)).toThrow('set name');
    }
  });

  const nftCheck = (script: string) => {
    const path = join(mkdtempSync(join(tmpdir(), 'logsleuth-nft-')), 'block.nft');
    writeFileSync(path, script);
    return spawnSync('nft', ['-c', '-f', path], { encoding: 'utf8' });
  };
  const haveNft = spawnSync('nft', ['-c', '-f', '/dev/null'], { stdio: 'ignore' }).status === 0;

  (haveNft ? it : it.skip)('writes scripts that nft itself accepts (nft -c), and nft rejects a broken one', () => {
    const many = withEntries(
      Array.from({ length: 1200 }, (_, i) => ({
        ip: i % 2 ? `2001:db8::${i.toString(16)}` : `10.0.${i >> 8}.${i & 255}`,
        blacklisted: true,
      })),
    );
    expect(nftCheck(renderBlocklist(many, 'nft', { set: 'bad', table: 'logsleuth' }))).toMatchObject({
      status: 0,
      stderr: '',
    });
    expect(nftCheck(renderBlocklist(withEntries([]), 'nft'))).toMatchObject({ status: 0 });
    expect(nftCheck('add element inet logsleuth missing_set { 1.2.3.4 }\n').status).not.toBe(0);
  });
});
