/**
 * The fleet blocklist against a real nats-server: `collect` puts the
 * addresses it blacklists into the bucket, `agent --blocklist-apply` prints the
 * firewall script for them (nft itself accepts it), and a watching agent turns
 * each later put and delete into one line; keys that name no address never
 * reach a firewall line.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Case } from '../../src/core/case';
import { applyFleetBlocklist } from '../../src/cli/blocklist-apply';
import { addressOfKey, blockKey, openBlocklist, publishBlocklist } from '../../src/fleet/blocklist';
import { cli } from '../helpers/cli';
import { useNatsServer } from '../helpers/nats-server';

const TIME = ['--timezone', 'UTC', '--reference-date', '2026-12-31'];

/** A brute force from two addresses (blacklisted) and one quiet failure (not). */
function bruteForceLog(dir: string): string {
  const lines: string[] = [];
  for (let i = 0; i < 40; i++) {
    const ip = i % 2 ? '203.0.113.9' : '2001:db8::bad';
    lines.push(
      `Dec  6 10:${String(10 + (i >> 2)).padStart(2, '0')}:0${i % 4} web sshd[${900 + i}]: Failed password for invalid user u${i} from ${ip} port ${40000 + i} ssh2`,
    );
  }
  lines.push('Dec  6 11:00:00 web sshd[999]: Failed password for root from 198.51.100.20 port 5000 ssh2');
  const path = join(dir, 'auth.log');
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

describe('blocklist keys', () => {
  it('name an address in canonical form, and nothing else names one', () => {
    expect(blockKey('203.0.113.9')).toBe('v4.203.0.113.9');
    expect(blockKey('2001:DB8:0:0::1')).toBe('v6.2001_db8__1');
    expect(blockKey('::ffff:1.2.3.4')).toBeDefined();
    expect(blockKey('not an ip')).toBeUndefined();
    expect(addressOfKey('v6.2001_db8__1')).toBe('2001:db8::1');
    for (const key of ['v4.999.1.1.1', 'v4.1.2.3.4.5', 'v6.zz', 'v4.01.2.3.4', 'x.1.2.3.4', 'v4.'])
      expect(addressOfKey(key)).toBeUndefined();
  });
});

describe('the fleet blocklist', () => {
  const dir = mkdtempSync(join(tmpdir(), 'logsleuth-fleet-blocklist-'));
  const log = bruteForceLog(dir);
  const nats = useNatsServer();
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('holds what collect blacklists, and agent prints it as a script nft accepts', async () => {
    await cli(['agent', '--once', log, '--nats', nats.server.url, '--host-id', 'web1', ...TIME]);
    const collected = await cli(['collect', '--nats', nats.server.url, '--json']);
    expect(collected.code).toBe(0);
    const blacklisted = (JSON.parse(collected.stdout) as { cases: Case[] }).cases
      .filter((c) => c.blacklisted)
      .map((c) => c.ip);
    expect(blacklisted.sort()).toEqual(['2001:db8::bad', '203.0.113.9']);
    expect(collected.stderr).toContain(`fleet blocklist: ${blacklisted.length} put, 0 removed`);

    const kv = await openBlocklist(nats.connection);
    const keys: string[] = [];
    for await (const key of await kv.keys()) keys.push(key);
    expect(keys.map(addressOfKey).sort()).toEqual([...blacklisted].sort());
    const entry = (await kv.get(blockKey(blacklisted[0]!)!))!.json<{ by: string; reasons: string[] }>();
    expect(entry.by).toBe('logsleuth-collector');
    expect(entry.reasons.length).toBeGreaterThan(0);

    const printed = await cli(['agent', '--once', log, '--nats', nats.server.url, '--blocklist-apply', 'nft', ...TIME]);
    expect(printed.code).toBe(0);
    for (const ip of blacklisted) expect(printed.stdout).toContain(ip);
    expect(printed.stderr).toMatch(/events in \d+ batches/);
    writeFileSync(join(dir, 'fleet.nft'), printed.stdout);
    const haveNft = spawnSync('nft', ['-c', '-f', '/dev/null'], { stdio: 'ignore' }).status === 0;
    if (haveNft)
      expect(spawnSync('nft', ['-c', '-f', join(dir, 'fleet.nft')], { encoding: 'utf8' })).toMatchObject({
        status: 0,
        stderr: '',
      });
  });

  it('turns each later put and delete into one ipset line while it watches, skipping keys that name no address', async () => {
    const kv = await openBlocklist(nats.connection);
    const out: string[] = [];
    const err: string[] = [];
    const run = {
      io: {
        out: (t: string) => void out.push(t),
        err: (t: string) => void err.push(t),
        isTTY: false,
        stdin: process.stdin,
      },
      exitCode: 0,
    };
    const controller = new AbortController();
    const applying = applyFleetBlocklist(run, nats.connection, 'ipset', { exec: false, signal: controller.signal });
    const until = async (text: string) => {
      for (let i = 0; i < 200 && !out.join('').includes(text); i++) await new Promise((r) => setTimeout(r, 25));
      expect(out.join('')).toContain(text);
    };
    await until('create logsleuth hash:ip');
    await kv.put('v4.999.1.1.1', '{}');
    await kv.put(blockKey('198.51.100.7')!, '{}');
    await until('add logsleuth 198.51.100.7\n');
    await kv.put(blockKey('2001:db8::7')!, '{}');
    await until('add logsleuth_v6 2001:db8::7\n');
    await kv.delete(blockKey('198.51.100.7')!);
    await until('del logsleuth 198.51.100.7\n');
    controller.abort();
    await applying;
    expect(out.join('')).not.toContain('999.1.1.1');
    expect(err.join('')).toContain('1 blocklist key(s) named no address');
  });

  it('removes an address a later run no longer blacklists, and leaves alone those it has no case for', async () => {
    const kv = await openBlocklist(nats.connection);
    await kv.put(blockKey('192.0.2.44')!, '{}');
    const calmed = { ip: '203.0.113.9', score: 20, blacklisted: false, reasons: [] } as unknown as Case;
    expect(await publishBlocklist(kv, [calmed], 'test')).toEqual({ put: 0, deleted: 1 });
    expect((await kv.get(blockKey('203.0.113.9')!))?.operation).not.toBe('PUT');
    expect((await kv.get(blockKey('192.0.2.44')!))?.operation).toBe('PUT');
  });
});
