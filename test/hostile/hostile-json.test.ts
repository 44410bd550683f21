/**
 * JSON we read from attackers' reach: JSON log lines (pino, bunyan, ECS),
 * journald export lines, reputation databases and cloud range files. Keys
 * named `__proto__`, `constructor` and `prototype`, huge numbers, 10,000-deep
 * nesting, wrong types and huge strings are read as data or refused with a
 * clear error: never a throw, never a polluted prototype.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toEcs } from '../../src/core/ecs';
import { nestingDepth } from '../../src/core/json-depth';
import { schemaProblems } from '../../src/core/schemas';
import { readEvents } from '../../src/logs/read-events';
import { readCloudFile } from '../../src/tracers/ip/cloud-formats';
import { mergeReputation, readReputation } from '../../src/tracers/ip/reputation';
import { JSON_LINE_CASES, HUGE, deep } from './cases/json-lines';
import { cli } from './cli-run';

const polluted = () => [
  ({} as Record<string, unknown>).polluted,
  (Object.prototype as Record<string, unknown>).polluted,
  ([] as unknown as Record<string, unknown>).polluted,
];

afterEach(() => expect(polluted()).toEqual([undefined, undefined, undefined]));

describe('hostile JSON log lines and journald export lines', () => {
  it.each(JSON_LINE_CASES)('reads %s as one event, never polluting a prototype', async (_name, text) => {
    for (const format of [undefined, 'json']) {
      const reader = readEvents([{ source: 'app.json', line: 1, text }], { format, timezone: 'UTC' });
      const events = [];
      for await (const event of reader) events.push(event);
      expect(events).toHaveLength(1);
      expect(reader.stats()[0]!.failures).toBe(0);
      const event = events[0]!;
      if (event.fields !== undefined) expect(Object.getPrototypeOf(event.fields)).toBe(Object.prototype);
      expect(event.ip).not.toBe('6.6.6.6');
      expect((event as unknown as Record<string, unknown>).polluted).toBeUndefined();
      const ecs = toEcs(event);
      expect(schemaProblems('event', JSON.parse(JSON.stringify(ecs)))).toEqual([]);
    }
  });

  it('drops a __proto__ key instead of making it the prototype of the fields', () => {
    const text = '{"__proto__":{"polluted":"yes","status":503,"path":"/admin"},"msg":"x","extra":1}';
    const [event] = [...readEvents([], { format: 'json' }).readSync([{ source: 'a', line: 1, text }])];
    expect(event!.fields).toEqual({ extra: 1 });
    expect(Object.getPrototypeOf(event!.fields)).toBe(Object.prototype);
    expect(event!.fields!.status).toBeUndefined();
  });

  it('prints NDJSON events for a line whose extra field is nested 10,000 deep', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'logsleuth-hostile-deep-'));
    try {
      const path = join(dir, 'deep.json');
      writeFileSync(path, `{"msg":"deep","a":${deep(10_000)}}\n{"msg":"after"}\n`);
      for (const command of ['events', 'analyze']) {
        const outcome = await cli([command, '--ndjson', path]);
        expect({ command, code: outcome.code, stderr: outcome.stderr }).toEqual({ command, code: 0, stderr: '' });
        expect(
          outcome.stdout
            .trim()
            .split('\n')
            .map((line) => (JSON.parse(line) as { message: string }).message),
        ).toEqual(['deep', 'after']);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a journald export file holding hostile entries, through logsleuth analyze', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'logsleuth-hostile-json-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('analyses the good entries around the hostile ones', async () => {
    const attack = (i: number) =>
      JSON.stringify({
        __REALTIME_TIMESTAMP: String(1_700_000_000_000_000 + i * 1_000_000),
        _HOSTNAME: 'web01',
        SYSLOG_IDENTIFIER: 'sshd',
        _PID: String(100 + i),
        MESSAGE: `Failed password for root from 203.0.113.44 port ${40000 + i} ssh2`,
      });
    const lines = [
      ...JSON_LINE_CASES.map(([, text]) => text).filter((text) => text.length < 1 << 20),
      ...Array.from({ length: 8 }, (_, i) => attack(i)),
    ];
    const path = join(dir, 'journal.json');
    writeFileSync(path, lines.join('\n') + '\n');
    const outcome = await cli(['analyze', '--no-color', path]);
    expect(outcome.stderr).toBe('');
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toMatch(/\d+ {2}203\.0\.113\.44 {2}BLACKLISTED/);
    expect(outcome.stdout).not.toContain('6.6.6.6');
  });
});

describe('JSON we write from hostile content', () => {
  it('analyze --json and --reputation stay valid against their schemas with 5,000-character hostile user names, paths and agents', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'logsleuth-hostile-out-'));
    try {
      const evil = `\u001b]0;pwned\u0007\r\u202e\u009b\ud800${'x'.repeat(5000)}`;
      const lines = [
        ...Array.from(
          { length: 8 },
          (_, i) =>
            `Mar  5 10:15:${10 + i} web01 sshd[${100 + i}]: Failed password for invalid user ${evil}${i} from 203.0.113.66 port ${5000 + i} ssh2`,
        ),
        ...Array.from(
          { length: 8 },
          (_, i) =>
            `Mar  5 10:17:${10 + i} web01 app[77]: error: cannot open /var/lib/${evil}/db${i}: Permission denied`,
        ),
        ...Array.from(
          { length: 8 },
          (_, i) => `Mar  5 10:18:${10 + i} web01 sudo: ${evil} : TTY=pts/0 ; PWD=/ ; USER=root ; COMMAND=/bin/${evil}`,
        ),
      ];
      const log = join(dir, 'evil.log');
      writeFileSync(log, lines.join('\n') + '\n');
      const reputation = join(dir, 'reputation.json');
      const outcome = await cli(['analyze', '--json', '--reputation', reputation, '--reputation-all', log]);
      expect({ code: outcome.code, stderr: outcome.stderr }).toEqual({ code: 0, stderr: '' });
      expect(schemaProblems('report', JSON.parse(outcome.stdout))).toEqual([]);
      const db = await readReputation(reputation);
      expect(db.entries.map((entry) => entry.ip)).toContain('203.0.113.66');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('hostile reputation databases (beyond test/tracers/ip/reputation.test.ts)', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'logsleuth-hostile-rep-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const valid = () =>
    readFileSync(join(__dirname, '..', 'fixtures', 'reputation', 'host-a.json'), 'utf8').replace(/\s+/g, ' ');
  const write = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('drops __proto__ inside entries and counts, and merging the result pollutes nothing', async () => {
    const text = valid()
      .replace('"counts": {', '"counts": {"__proto__": {"polluted": 1},')
      .replace('"ip": "198.51.100.7"', '"__proto__": {"polluted": 1}, "ip": "198.51.100.7"');
    const db = await readReputation(write('nested-proto.json', text));
    const merged = mergeReputation([db, db]);
    expect(merged.entries.map((entry) => Object.getPrototypeOf(entry))).toEqual(
      merged.entries.map(() => Object.prototype),
    );
  });

  it('rejects a prototype key with the schema’s message', async () => {
    const text = valid().replace('"counts": {', '"counts": {"prototype": {"polluted": 1},');
    await expect(readReputation(write('prototype.json', text))).rejects.toThrow(
      'not a valid reputation: /entries/0/counts must NOT have additional properties',
    );
  });

  it('rejects a 5 MB user name and 10,000-deep nesting with a clear error', async () => {
    const huge = valid().replace('"users": [', `"users": ["${HUGE}",`);
    await expect(readReputation(write('huge-string.json', huge))).rejects.toThrow(
      /not a valid reputation: \/entries\/0\/users\/0 must NOT have more than \d+ characters/,
    );
    const nested = valid().replace('"users": [', `"users": [${deep(10_000)},`);
    await expect(readReputation(write('deep.json', nested))).rejects.toThrow(
      `${join(dir, 'deep.json')}: not a valid reputation: nested deeper than 64 levels`,
    );
  });

  it('rejects the wrong top-level types', async () => {
    for (const text of ['[]', '"db"', '1e400', 'null']) {
      await expect(readReputation(write('top.json', text))).rejects.toThrow(/not a valid reputation/);
    }
  });
});

describe('the nesting scan that guards recursive readers', () => {
  it('counts objects and arrays, not brackets inside strings or after escaped quotes', () => {
    expect(nestingDepth('{"a":[1,{"b":"[[[{{{"}]}')).toBe(3);
    expect(nestingDepth('{"a":"\\"[[[["}')).toBe(1);
    expect(nestingDepth(deep(10_000))).toBe(10_000);
  });
});

describe('hostile cloud range files', () => {
  it.each([
    [
      'a __proto__ key',
      '{"__proto__":{"prefixes":[{"ip_prefix":"6.6.6.0/24","region":"x","service":"EC2"}]},"syncToken":"1","createDate":"x"}',
    ],
    [
      'AWS prefixes of the wrong types',
      '{"syncToken":"1","createDate":"x","prefixes":[1,null,"x",{"ip_prefix":{}},{"ip_prefix":"6.6.6.0/99"}]}',
    ],
    ['10,000-deep nesting', deep(10_000)],
    ['a huge number', '{"syncToken":1e400,"createDate":1e400,"prefixes":[]}'],
  ])('reads %s as an error message or no entries, never throwing', (_name, text) => {
    const result = readCloudFile(text, 'aws');
    if (typeof result !== 'string') expect(result.entries.map((entry) => entry.cidr)).not.toContain('6.6.6.0/24');
  });
});
