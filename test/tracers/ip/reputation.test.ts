import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { type LogEventInit, createEvent } from '../../../src/core/event';
import { schemaProblems } from '../../../src/core/schemas';
import { IpTracer } from '../../../src/tracers/ip';
import {
  type ReputationDb,
  type ReputationEntry,
  exportReputation,
  mergeReputation,
  readReputation,
  writeReputation,
} from '../../../src/tracers/ip/reputation';
import { DEFAULT_SCORE_PARAMS } from '../../../src/tracers/ip/score';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 2, 1, 8, 0, 0);
const NOW = Date.UTC(2026, 2, 2, 0, 0, 0);
const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'reputation');

function hostTracer(host: string, attacks: [ip: string, failures: number, start: number][]): IpTracer {
  const tracer = new IpTracer();
  let line = 0;
  const ev = (init: Partial<LogEventInit>) =>
    createEvent({ source: `/var/log/${host}/auth.log`, line: ++line, raw: '', host, service: 'ssh', ...init });
  for (const [ip, failures, start] of attacks) {
    for (let i = 0; i < failures; i++) {
      tracer.ingest(
        ev({ ip, timestamp: start + i * MINUTE, action: 'auth.failure', hostile: true, user: `u${i % 3}` }),
      );
    }
  }
  tracer.finish();
  return tracer;
}

const hostA = () =>
  hostTracer('alpha', [
    ['198.51.100.7', 5, T0],
    ['203.0.113.5', 3, T0 + 60 * MINUTE],
    ['192.0.2.44', 1, T0],
  ]);
const hostB = () =>
  hostTracer('beta', [
    ['203.0.113.5', 3, T0 + 2 * 60 * MINUTE],
    ['2001:db8::1', 6, T0 + 3 * 60 * MINUTE],
  ]);

describe('reputation database', () => {
  const dir = mkdtempSync(join(tmpdir(), 'logsleuth-rep-'));

  it('exports the watched and blacklisted addresses, valid against its schema', () => {
    const db = exportReputation(hostA(), { now: NOW });
    expect(schemaProblems('reputation', db)).toEqual([]);
    expect(db).toMatchObject({
      version: 1,
      generatedAt: '2026-03-02T00:00:00.000Z',
      generator: { name: 'logsleuth', version: require('../../../package.json').version },
      referenceTime: '2026-03-01T09:02:00.000Z',
      selection: { all: false, minScore: 40 },
      scoring: DEFAULT_SCORE_PARAMS,
    });
    expect(db.entries.map((e) => [e.ip, e.score, e.blacklisted])).toEqual([
      ['198.51.100.7', 72, true],
      ['203.0.113.5', 44, false],
    ]);
    expect(db.entries[0]).toEqual({
      ip: '198.51.100.7',
      version: 4,
      type: 'special',
      range: 'Documentation (TEST-NET-2)',
      subnet: '198.51.100.0/24',
      score: 72,
      blacklisted: true,
      whitelisted: false,
      knownMalicious: false,
      reasons: [
        { code: 'burst', text: '5 hostile events within 10 minutes', points: 44.8 },
        { code: 'auth_failures', text: '5 hostile authentication events (5 failed logins)', points: 24.9 },
        { code: 'user_spray', text: '3 distinct user names tried', points: 2 },
        { code: 'decay', text: 'last active 58 minutes before the latest event: points × 0.996', points: 0 },
      ],
      counts: {
        events: 5,
        failedLogins: 5,
        invalidUsers: 0,
        otherHostile: 0,
        probes: 0,
        successes: 0,
        successAfterFailures: 0,
        bans: 0,
        unbans: 0,
        found: 0,
        maxBurst: 5,
      },
      users: ['u0', 'u1', 'u2'],
      ports: [],
      services: ['ssh'],
      sources: ['/var/log/alpha/auth.log'],
      hosts: ['alpha'],
      firstSeen: '2026-03-01T08:00:00.000Z',
      lastSeen: '2026-03-01T08:04:00.000Z',
    });
  });

  it('exports every tracked address with all, or those above a chosen score', () => {
    expect(exportReputation(hostA(), { all: true }).entries.map((e) => e.ip)).toEqual([
      '198.51.100.7',
      '203.0.113.5',
      '192.0.2.44',
    ]);
    expect(exportReputation(hostA(), { minScore: 60 }).entries.map((e) => e.ip)).toEqual(['198.51.100.7']);
  });

  it('writes atomically and reads back exactly what it wrote', async () => {
    const path = join(dir, 'a.json');
    const db = exportReputation(hostA(), { now: NOW, all: true });
    await writeReputation(path, db);
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    await expect(readReputation(path)).resolves.toEqual(db);
  });

  it('refuses to write a database that does not match the schema, keeping the old file', async () => {
    const path = join(dir, 'keep.json');
    const db = exportReputation(hostA(), { now: NOW });
    await writeReputation(path, db);
    const before = readFileSync(path, 'utf8');
    const broken = { ...db, entries: [{ ...db.entries[0]!, score: 101 }] };
    await expect(writeReputation(path, broken)).rejects.toThrow(
      'not a valid reputation: /entries/0/score must be <= 100',
    );
    expect(readFileSync(path, 'utf8')).toBe(before);
  });

  describe('rejects hostile and broken files with a clear error', () => {
    const valid = () => JSON.parse(readFileSync(join(FIXTURES, 'host-a.json'), 'utf8')) as ReputationDb;
    const write = (name: string, text: string) => {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    };

    it('reads the fixture databases', async () => {
      await expect(readReputation(join(FIXTURES, 'host-a.json'))).resolves.toMatchObject({ version: 1 });
      await expect(readReputation(join(FIXTURES, 'host-b.json'))).resolves.toMatchObject({ version: 1 });
    });

    it('drops __proto__ keys without polluting any prototype', async () => {
      const text = JSON.stringify(valid()).replace('"entries":[', '"__proto__":{"polluted":true},"entries":[');
      const db = await readReputation(write('proto.json', text));
      expect(Object.keys(db)).not.toContain('__proto__');
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('rejects a constructor key', async () => {
      const text = JSON.stringify(valid()).replace('"counts":{', '"counts":{"constructor":{"prototype":{"x":1}},');
      await expect(readReputation(write('constructor.json', text))).rejects.toThrow(
        'not a valid reputation: /entries/0/counts must NOT have additional properties',
      );
    });

    it('rejects huge numbers', async () => {
      const text = JSON.stringify(valid()).replace('"failedLogins":5', '"failedLogins":1e400');
      await expect(readReputation(write('huge.json', text))).rejects.toThrow(
        'not a valid reputation: /entries/0/counts/failedLogins must be integer',
      );
      const big = JSON.stringify(valid()).replace('"failedLogins":5', '"failedLogins":9007199254740993');
      await expect(readReputation(write('big.json', big))).rejects.toThrow(
        '/entries/0/counts/failedLogins must be <= 9007199254740991',
      );
    });

    it('rejects deep nesting', async () => {
      const deep = '['.repeat(100_000) + ']'.repeat(100_000);
      const text = JSON.stringify(valid()).replace('"users":[', `"users":[${deep},`);
      await expect(readReputation(write('deep.json', text))).rejects.toThrow(
        'not a valid reputation: nested deeper than 64 levels',
      );
    });

    it('rejects wrong types and addresses that could inject into a firewall script', async () => {
      const wrong = JSON.stringify(valid()).replace('"score":72', '"score":"high"');
      await expect(readReputation(write('wrong.json', wrong))).rejects.toThrow('/entries/0/score must be number');
      const injected = JSON.stringify(valid()).replace('"ip":"198.51.100.7"', '"ip":"198.51.100.7\\nflush ruleset"');
      await expect(readReputation(write('inject.json', injected))).rejects.toThrow(
        '/entries/0/ip must match pattern "^[0-9a-f.:]+$"',
      );
    });

    it('names the file when it is not JSON or missing', async () => {
      const path = write('truncated.json', '{"version": 1, "entries": [');
      await expect(readReputation(path)).rejects.toThrow(`${path}: not JSON`);
      await expect(readReputation(join(dir, 'absent.json'))).rejects.toThrow('ENOENT');
    });
  });

  describe('merge', () => {
    const a = () => exportReputation(hostA(), { all: true, now: NOW });
    const b = () => exportReputation(hostB(), { all: true, now: NOW });

    it('adds counts, widens first/last seen and recomputes scores from the merged evidence', () => {
      const merged = mergeReputation([a(), b()], { now: NOW });
      expect(schemaProblems('reputation', merged)).toEqual([]);
      const shared = merged.entries.find((e) => e.ip === '203.0.113.5')!;
      expect(shared).toMatchObject({
        counts: expect.objectContaining({ events: 6, failedLogins: 6, maxBurst: 3 }),
        firstSeen: '2026-03-01T09:00:00.000Z',
        lastSeen: '2026-03-01T10:02:00.000Z',
        hosts: ['alpha', 'beta'],
        sources: ['/var/log/alpha/auth.log', '/var/log/beta/auth.log'],
        users: ['u0', 'u1', 'u2'],
      });
      expect(shared.score).toBe(54);
      expect(merged.referenceTime).toBe('2026-03-01T11:05:00.000Z');
      expect(merged.entries.map((e) => [e.ip, e.score, e.blacklisted])).toEqual([
        ['2001:db8::1', 72, true],
        ['198.51.100.7', 71, true],
        ['203.0.113.5', 54, false],
        ['192.0.2.44', 5, false],
      ]);
    });

    it('gives the same scores when merging one database alone', () => {
      const db = a();
      expect(mergeReputation([db], { now: NOW }).entries).toEqual(db.entries);
    });

    it('resolves conflicting metadata: present beats absent, then the most recently seen', () => {
      const base = a().entries[0]!;
      const older: ReputationEntry = { ...base, asn: 64500, org: 'Old Org', lastSeen: '2026-03-01T08:00:00.000Z' };
      const newer: ReputationEntry = { ...base, org: 'New Org', country: 'NL', lastSeen: '2026-03-01T09:00:00.000Z' };
      const db = (entry: ReputationEntry) => ({ ...a(), entries: [entry] });
      const merged = mergeReputation([db(older), db(newer)], { now: NOW }).entries[0]!;
      expect([merged.asn, merged.org, merged.country]).toEqual([64500, 'New Org', 'NL']);
    });

    it('keeps whitelisted addresses off the blacklist whatever their score', () => {
      const entry = { ...a().entries[0]!, whitelisted: true, blacklisted: false };
      const merged = mergeReputation([{ ...a(), entries: [entry] }, b()], { now: NOW });
      expect(merged.entries.find((e) => e.ip === entry.ip)).toMatchObject({ score: 71, blacklisted: false });
    });

    it('does not depend on the order of its inputs (property)', () => {
      const ips = ['192.0.2.1', '192.0.2.2', '198.51.100.3', '2001:db8::9'];
      const times = [null, '2026-03-01T08:00:00.000Z', '2026-03-01T09:00:00.000Z', '2026-03-02T08:00:00.000Z'];
      const count = fc.nat({ max: 20 });
      const entry = fc.record({
        ip: fc.constantFrom(...ips),
        first: fc.constantFrom(...times),
        last: fc.constantFrom(...times),
        failedLogins: count,
        invalidUsers: count,
        bans: fc.nat({ max: 2 }),
        maxBurst: fc.nat({ max: 8 }),
        users: fc.uniqueArray(fc.constantFrom('root', 'admin', 'oracle', 'git', 'pi'), { maxLength: 5 }),
        ports: fc.uniqueArray(fc.nat({ max: 30 }), { maxLength: 5 }),
        org: fc.option(fc.constantFrom('Org A', 'Org B'), { nil: undefined }),
        country: fc.option(fc.constantFrom('DE', 'US'), { nil: undefined }),
        range: fc.constantFrom('Public', 'Documentation (TEST-NET-1)'),
        knownMalicious: fc.boolean(),
        whitelisted: fc.boolean(),
        blacklisted: fc.boolean(),
      });
      type EntryShape = typeof entry extends fc.Arbitrary<infer T> ? T : never;
      const template = a().entries[0]!;
      const toEntry = (e: EntryShape): ReputationEntry => {
        const out: ReputationEntry = {
          ...template,
          ip: e.ip,
          version: e.ip.includes(':') ? 6 : 4,
          range: e.range,
          firstSeen: e.first,
          lastSeen: e.last,
          counts: {
            ...template.counts,
            failedLogins: e.failedLogins,
            invalidUsers: e.invalidUsers,
            bans: e.bans,
            maxBurst: e.maxBurst,
          },
          users: e.users.slice().sort(),
          ports: e.ports.slice().sort((x, y) => x - y),
          knownMalicious: e.knownMalicious,
          whitelisted: e.whitelisted,
          blacklisted: e.blacklisted,
        };
        if (e.org) out.org = e.org;
        if (e.country) out.country = e.country;
        return out;
      };
      const db = fc
        .record({ entries: fc.array(entry, { maxLength: 6 }), reference: fc.constantFrom(...times) })
        .map(({ entries, reference }) => ({ ...a(), referenceTime: reference, entries: entries.map(toEntry) }));
      fc.assert(
        fc.property(db, db, (x: ReputationDb, y: ReputationDb) => {
          expect(mergeReputation([x, y], { now: NOW })).toEqual(mergeReputation([y, x], { now: NOW }));
        }),
        { numRuns: 200 },
      );
    });
  });
});
