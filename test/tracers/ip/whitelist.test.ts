import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CidrSet, DEFAULT_WHITELIST, parseCidrList, readCidrList } from '../../../src/tracers/ip/whitelist';

describe('CidrSet', () => {
  const set = new CidrSet(['10.0.0.0/8', '192.0.2.7', '2001:db8:1::/48', '::1']);

  it.each([
    ['10.255.1.2', true],
    ['11.0.0.1', false],
    ['192.0.2.7', true],
    ['192.0.2.8', false],
    ['2001:db8:1:ffff::9', true],
    ['2001:db8:2::1', false],
    ['::1', true],
    ['::ffff:10.1.2.3', true],
    ['::ffff:11.1.2.3', false],
    ['not an ip', false],
    ['', false],
  ])('says whether %j is in the set: %s', (ip, expected) => {
    expect(set.has(ip)).toBe(expected);
  });

  it('covers loopback only by default', () => {
    const loopback = new CidrSet(DEFAULT_WHITELIST);
    expect(['127.0.0.1', '127.9.9.9', '::1'].map((ip) => loopback.has(ip))).toEqual([true, true, true]);
    expect(['10.0.0.1', '::2', '0.0.0.0'].map((ip) => loopback.has(ip))).toEqual([false, false, false]);
  });

  it('refuses an invalid entry when built from code', () => {
    expect(() => new CidrSet(['10.0.0.0/33'])).toThrow('not an IP address or CIDR network: "10.0.0.0/33"');
  });
});

describe('CIDR list files', () => {
  it('reads blocklist files: comments, trailing notes, and bad lines reported by number', async () => {
    const text = [
      '# Spamhaus-style list',
      '192.0.2.0/24 ; SBL123',
      '  198.51.100.9   # a single host',
      '',
      '2001:db8::/32',
      '300.1.1.1',
      'garbage\u0000line',
      '203.0.113.0/24\r',
    ].join('\n');
    const path = join(mkdtempSync(join(tmpdir(), 'logsleuth-cidr-')), 'list.txt');
    writeFileSync(path, text);
    const { set, invalid } = await readCidrList(path);
    expect(invalid).toEqual([6, 7]);
    expect(set.size).toBe(4);
    expect(['192.0.2.200', '198.51.100.9', '2001:db8:ff::1', '203.0.113.1'].every((ip) => set.has(ip))).toBe(true);
    expect(set.has('198.51.100.10')).toBe(false);
  });

  it('treats an empty list as an empty set', () => {
    expect(parseCidrList('').set.size).toBe(0);
  });
});
