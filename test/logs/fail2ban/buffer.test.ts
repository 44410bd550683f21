/**
 * Multi-line filters (maxlines > 1) on their per-source buffers, on lines of
 * Debian's fail2ban sample logs, with Debian's own filters
 * (test/fixtures/fail2ban-multiline: guacamole, ejabberd-auth, mongodb-auth).
 */
import { join } from 'node:path';
import fc from 'fast-check';
import { loadFail2ban } from '../../../src/logs/fail2ban';
import { BufferedPack } from '../../../src/logs/fail2ban/buffer';
import { readEvents } from '../../../src/logs/read-events';

const FIXTURE = join(__dirname, '..', '..', 'fixtures', 'fail2ban-multiline');
const packs = loadFail2ban(FIXTURE);
const pack = (name: string) => packs.packs.find((p) => p.name === name)!;

/** Each line's address as one multi-line pack's buffer finds it (nothing but the pack: mongodb has a built-in too), or ''. */
function found(name: string, lines: readonly string[]): string[] {
  const buffered = new BufferedPack(pack(name));
  return lines.map((line) => buffered.push('test.log', line, () => line.toLowerCase())?.groups.ip4 ?? '');
}

/** Each line's verdict through the event pipeline with the packs: `hostile ip` or ''. */
function verdicts(lines: readonly (string | [source: string, text: string])[]): string[] {
  const reader = readEvents([], { fail2ban: loadFail2ban(FIXTURE), referenceDate: Date.UTC(2016, 0, 1) });
  const input = lines.map((l, i) => {
    const [source, text] = typeof l === 'string' ? ['test.log', l] : l;
    return { source, line: i + 1, text };
  });
  return [...reader.readSync(input)].map((e) => (e.hostile ? `hostile ${e.ip}` : ''));
}

const GUACAMOLE_DATE = 'apr 15, 2013 8:34:08 PM org.slf4j.impl.JCLLoggerAdapter warn';
const GUACAMOLE_FAIL = 'WARNING: Authentication attempt from 192.0.2.0 for user "null" failed.';
const EJABBERD_HEAD = '=INFO REPORT==== 2013-07-14 17:53:40 ===';
const EJABBERD_FAIL =
  'I(<0.1440.0>:ejabberd_c2s:813) : ({socket_state,tls,{tlssock,#Port<0.6910>,#Port<0.6912>},<0.1439.0>}) Failed authentication for user@example.com from IP 192.0.2.4 ({{192,0,2,4},12716})';
const mongo = (conn: number, what: string) => `2016-11-20T00:24:00.110+0100 [conn${conn}] ${what}`;
const MONGO_FAILED = 'Failed to authenticate root@admin with mechanism MONGODB-CR: AuthenticationFailed key mismatch';
const mongoEnd = (ip: string) => `end connection ${ip}:53276 (0 connections now open)`;

describe('multi-line packs', () => {
  it('loads the filters with maxlines > 1 as multi-line packs, their \\n and <SKIPLINES> patterns on re2', () => {
    expect(packs.buffered.map((b) => [b.pack.name, b.pack.maxlines])).toEqual([
      ['ejabberd-auth', 2],
      ['guacamole', 2],
      ['mongodb-auth', 10],
    ]);
    expect(packs.packs.flatMap((p) => p.failregex.filter((f) => f.skipped).map((f) => f.skipped))).toEqual([]);
  });

  it('matches a failure across two lines on the line that completes it (guacamole, maxlines 2)', () => {
    expect(verdicts([GUACAMOLE_DATE, GUACAMOLE_FAIL])).toEqual(['', 'hostile 192.0.2.0']);
  });

  it('cuts the date out of each buffered line before the pattern runs (ejabberd-auth: ^=INFO REPORT====  ===\\n)', () => {
    expect(verdicts([EJABBERD_HEAD, EJABBERD_FAIL])).toEqual(['', 'hostile 192.0.2.4']);
  });

  it('keeps one buffer per source: another file between the two lines does not break the match', () => {
    expect(verdicts([EJABBERD_HEAD, ['other.log', 'Jan  1 00:00:00 host cron[1]: tick'], EJABBERD_FAIL])).toEqual([
      '',
      '',
      'hostile 192.0.2.4',
    ]);
  });

  it('holds only maxlines lines: a line of the same source between the two breaks the match', () => {
    expect(verdicts([EJABBERD_HEAD, 'I(<0.1.0>:ejabberd_listener:281) : accepted', EJABBERD_FAIL])).toEqual([
      '',
      '',
      '',
    ]);
  });

  it('skips lines with <SKIPLINES> and gives them back to the buffer for the next match (mongodb-auth)', () => {
    expect(
      found('mongodb-auth', [
        mongo(5, MONGO_FAILED),
        mongo(334, MONGO_FAILED),
        mongo(5, mongoEnd('192.0.2.171')),
        mongo(334, mongoEnd('192.0.2.176')),
      ]),
    ).toEqual(['', '', '192.0.2.171', '192.0.2.176']);
  });

  it('consumes the lines of a match: they make no second failure', () => {
    const buffered = new BufferedPack(pack('mongodb-auth'));
    const push = (line: string) => buffered.push('m.log', line, () => line.toLowerCase());
    push(mongo(1, MONGO_FAILED));
    expect(push(mongo(1, mongoEnd('192.0.2.35')))?.groups.ip4).toBe('192.0.2.35');
    expect(buffered.held('m.log')).toBe(0);
    expect(push(mongo(1, mongoEnd('192.0.2.35')))).toBeUndefined();
  });

  it('checks the backreference on the match: an end of another connection is no failure', () => {
    expect(found('mongodb-auth', [mongo(7, MONGO_FAILED), mongo(8, mongoEnd('192.0.2.9'))])).toEqual(['', '']);
  });

  it("goes on from the next line when re2's match fails the backreference check", () => {
    expect(
      found('mongodb-auth', [mongo(7, MONGO_FAILED), mongo(8, MONGO_FAILED), mongo(8, mongoEnd('192.0.2.8'))]),
    ).toEqual(['', '', '192.0.2.8']);
  });

  it('never holds more than maxlines lines per source', () => {
    const line = fc.oneof(
      fc.constantFrom(EJABBERD_HEAD, EJABBERD_FAIL, GUACAMOLE_DATE, GUACAMOLE_FAIL, mongo(3, MONGO_FAILED)),
      fc.string({ maxLength: 80 }),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('a.log', 'b.log', 'c.log'), line), { maxLength: 60 }), (input) => {
        const buffers = packs.packs.filter((p) => p.maxlines > 1).map((p) => new BufferedPack(p));
        for (const [source, text] of input)
          for (const b of buffers) {
            b.push(source, text, () => text.toLowerCase());
            for (const s of ['a.log', 'b.log', 'c.log']) expect(b.held(s)).toBeLessThanOrEqual(b.pack.maxlines);
          }
      }),
    );
  });
});

describe('multi-line packs on hostile input', () => {
  it('drops a source buffer at a 10 MB line, and matches again after it', () => {
    const reader = readEvents([], { fail2ban: packs, referenceDate: Date.UTC(2016, 0, 1) });
    const huge = 'x'.repeat(10 * 1024 * 1024);
    const texts = [GUACAMOLE_DATE, huge, GUACAMOLE_FAIL, GUACAMOLE_DATE, GUACAMOLE_FAIL];
    const events = [...reader.readSync(texts.map((text, i) => ({ source: 'huge.log', line: i + 1, text })))];
    // The failure line after the huge one has no line before it in the buffer: guacamole's `^.*\n` fails.
    expect(events.map((e) => e.hostile ?? false)).toEqual([false, false, false, false, true]);
    for (const b of packs.buffered) expect(b.held('huge.log')).toBeLessThanOrEqual(b.pack.maxlines);
    expect(reader.stats()[0]!.failures).toBe(0);
  });

  it('reads binary lines through every multi-line pack without a failure or a match', () => {
    let seed = 7;
    const byte = () => (seed = (seed * 1103515245 + 12345) % 2147483648) % 256;
    const binary = Array.from({ length: 200 }, () => String.fromCharCode(...Array.from({ length: 300 }, byte)));
    const reader = readEvents([], { fail2ban: packs, referenceDate: Date.UTC(2016, 0, 1) });
    const events = [...reader.readSync(binary.map((text, i) => ({ source: 'bin.log', line: i + 1, text })))];
    expect(events.filter((e) => e.hostile)).toEqual([]);
    expect(reader.stats()[0]!.failures).toBe(0);
    for (const b of packs.buffered) expect(b.held('bin.log')).toBeLessThanOrEqual(b.pack.maxlines);
  });
});
