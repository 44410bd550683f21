/**
 * Property tests: every format parser (forced), and the pipeline on any text
 * and on any bytes read from a file, yields events or counted skips, never a
 * throw. Lines start with each format's header often enough that the parsers'
 * deeper paths (timestamps, fields, recognisers) run on the random rest.
 */
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FORMATS, ParseContext } from '../../src/logs/formats';
import type { SourceLine, SourceProblem } from '../../src/logs/line';
import { readEvents } from '../../src/logs/read-events';
import { readLines } from '../../src/logs/sources';

const REFERENCE = Date.UTC(2024, 2, 6);
/** 9999-12-31T23:59:59.999Z. */
const MAX_TIME = 253_402_300_799_999;

/** Headers of every format (and recogniser prefixes), so random tails reach past the first check. */
const HEADERS = [
  '',
  'Mar  5 10:15:30 srv sshd[1]: ',
  'Mar  5 10:15:30 srv sshd[1]: Failed password for ',
  'Mar  5 10:15:30 srv sshd[1]: Invalid user ',
  'Mar  5 10:15:30 srv postfix/smtpd[9]: warning: unknown[',
  'Mar  5 10:15:30 srv dovecot: imap-login: Disconnected: user=<',
  'Mar  5 10:15:30 srv sudo: ',
  'Mar  5 10:15:30 srv kernel: ',
  '2024-03-05T10:15:30.123456+01:00 srv app[2]: ',
  '<34>1 2024-03-05T10:15:30Z h a 1 - ',
  '<34>1 2024-03-05T10:15:30Z h a 1 ID47 [x@1 a="',
  '2024/03/05 10:15:30 [error] 1#1: *1 ',
  '2024/03/05 10:15:30 [error] 1#1: *1 user "',
  '[Tue Mar 05 10:15:30.1 2024] [core:error] [pid 1] [client ',
  '1.2.3.4 - - [05/Mar/2024:10:15:30 +0000] "',
  '1.2.3.4 - - [05/Mar/2024:10:15:30 +0000] "GET /',
  '2024-03-05 10:15:30,123 fail2ban.actions [1]: NOTICE [sshd] ',
  '2024-03-05 10:15:30.1 UTC [1] LOG:  ',
  '2024-03-05 10:15:30,1 ERROR [main] ',
  'Traceback (most recent call last):',
  '\tat ',
  '{"MESSAGE":',
  '{"level":50,"time":',
  '{"@timestamp":"',
];

const tail = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({
    unit: fc.constantFrom(
      '\u001b',
      '\r',
      '\t',
      '\0',
      '\u202e',
      '\ufffd',
      '\ud800',
      '"',
      '[',
      '{',
      ':',
      ' ',
      'a',
      '1',
      '.',
    ),
    maxLength: 200,
  }),
  fc.nat({ max: 50_000 }).map((n) => 'a'.repeat(n)),
);
const anyLine = fc.tuple(fc.constantFrom(...HEADERS), tail).map(([head, rest]) => head + rest);

describe('every format parser on any text', () => {
  it.each(FORMATS.map((format) => [format.name, format] as const))(
    '%s never throws, and what it reads is well-formed',
    (_name, format) => {
      fc.assert(
        fc.property(anyLine, (text) => {
          const ctx = new ParseContext('UTC', REFERENCE);
          const line: SourceLine = { source: 'any.log', line: 1, text };
          format.accepts(text);
          format.continues?.(text);
          const event = format.parse(line, ctx);
          if (event === undefined) return true;
          return (
            event.format === format.name &&
            event.raw.length > 0 === text.length > 0 &&
            (event.timestamp === undefined || (Number.isFinite(event.timestamp) && event.timestamp <= MAX_TIME)) &&
            (event.pid === undefined || Number.isSafeInteger(event.pid))
          );
        }),
        { numRuns: 500 },
      );
    },
  );
});

describe('readEvents with each format forced, on any lines', () => {
  it.each(FORMATS.map((format) => [format.name] as const))(
    '%s: events, joins and blanks account for every line',
    (name) => {
      fc.assert(
        fc.property(fc.array(anyLine, { maxLength: 20 }), (texts) => {
          const reader = readEvents([], { format: name, referenceDate: REFERENCE, timezone: 'UTC' });
          const events = [...reader.readSync(texts.map((text, i) => ({ source: 's', line: i + 1, text })))];
          const stats = reader.stats()[0];
          if (!stats) return texts.length === 0;
          return (
            stats.events === events.length &&
            stats.events + stats.joined + stats.blank === texts.length &&
            stats.failures === 0
          );
        }),
        { numRuns: 150 },
      );
    },
  );
});

describe('readLines and readEvents on any bytes in a file', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'logsleuth-hostile-bytes-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Bytes that look like text often: newlines, NULs, CRs, invalid UTF-8, escapes and headers. */
  const bytes = fc.oneof(
    fc.uint8Array({ maxLength: 4000 }),
    fc
      .array(
        fc.oneof(
          anyLine.map((text) => Buffer.from(text)),
          fc.constantFrom(...['\n', '\r\n', '\0', '\u001b[31m', '\n\n'].map((s) => Buffer.from(s))),
          fc.constantFrom(
            Buffer.from([0xff, 0xfe]),
            Buffer.from([0xc3]),
            Buffer.from([0xe2, 0x82]),
            Buffer.from([0x1f, 0x8b]),
          ),
        ),
        { maxLength: 40 },
      )
      .map((parts) => new Uint8Array(Buffer.concat(parts))),
  );

  /** Lines in `data` as a line reader splits them: on \n, a final unterminated line counting. */
  const fileLines = (data: Uint8Array) => {
    let count = 0;
    for (const byte of data) if (byte === 0x0a) count++;
    return data.length > 0 && data[data.length - 1] !== 0x0a ? count + 1 : count;
  };

  it('yields every line as events, joins or blanks, or reports it skipped, and never throws', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(bytes, async (data) => {
        const path = join(dir, `any-${run++}.log`);
        writeFileSync(path, data);
        const problems: SourceProblem[] = [];
        const seen = new Set<number>();
        async function* lines(): AsyncGenerator<SourceLine> {
          for await (const line of readLines([path], { onProblem: (problem) => problems.push(problem) })) {
            seen.add(line.line);
            yield line;
          }
        }
        const reader = readEvents(lines(), { referenceDate: REFERENCE, timezone: 'UTC' });
        let events = 0;
        for await (const event of reader) {
          events++;
          if (event.source !== path) return false;
        }
        const stats = reader.stats()[0];
        const lineProblems = problems.filter((problem) => problem.line !== undefined);
        // Whole-input problems only for gzip-looking or undecodable data, named with a kind.
        if (
          problems.some((problem) => problem.line === undefined && !['truncated', 'unreadable'].includes(problem.kind))
        )
          return false;
        // Plain data: every line of the file is read or reported skipped, none lost.
        const plain = !(data[0] === 0x1f && data[1] === 0x8b);
        const expected = plain ? fileLines(data) : undefined;
        // (A line with NULs before its text is both reported and read.)
        for (const problem of lineProblems) seen.add(problem.line!);
        if (expected !== undefined && seen.size !== expected) return false;
        if (!stats) return events === 0;
        return (
          stats.events === events &&
          stats.events + stats.joined + stats.blank === stats.lines &&
          stats.failures === 0 &&
          lineProblems.every((problem) => problem.kind === 'binary' || problem.kind === 'too-long')
        );
      }),
      { numRuns: 300 },
    );
  });
});
