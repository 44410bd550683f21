import fc from 'fast-check';
import type { SourceLine, SourceProblem } from '../../../src/logs/line';
import { LineSplitter } from '../../../src/logs/sources/line-splitter';

/** Splits `chunks` as one input; returns the lines and the problems as `line:kind`. */
function split(
  chunks: Buffer[],
  maxLineBytes?: number,
): { lines: SourceLine[]; problems: string[]; splitter: LineSplitter } {
  const problems: SourceProblem[] = [];
  const splitter = new LineSplitter('test.log', { maxLineBytes, onProblem: (problem) => problems.push(problem) });
  const lines = chunks.flatMap((chunk) => splitter.push(chunk));
  lines.push(...splitter.end());
  return { lines, problems: problems.map((problem) => `${problem.line}:${problem.kind}`), splitter };
}

const texts = (chunks: Buffer[], maxLineBytes?: number) =>
  split(chunks, maxLineBytes).lines.map((line) => [line.line, line.text]);

describe('LineSplitter', () => {
  it('splits on \\n and \\r\\n, keeps a lone \\r and yields a last line without terminator', () => {
    expect(texts([Buffer.from('a\nb\r\nc\rd\n\nlast')])).toEqual([
      [1, 'a'],
      [2, 'b'],
      [3, 'c\rd'],
      [4, ''],
      [5, 'last'],
    ]);
  });

  it('yields nothing for an empty input and no extra line after a final newline', () => {
    expect(texts([])).toEqual([]);
    expect(texts([Buffer.alloc(0)])).toEqual([]);
    expect(texts([Buffer.from('only\n')])).toEqual([[1, 'only']]);
  });

  it('joins a line split across chunks, including a \\r\\n split between them', () => {
    expect(texts([Buffer.from('hel'), Buffer.from('lo\r'), Buffer.from('\nwor'), Buffer.from('ld\n')])).toEqual([
      [1, 'hello'],
      [2, 'world'],
    ]);
  });

  it('decodes invalid UTF-8 as U+FFFD, also when a multi-byte character is split across chunks', () => {
    const euro = Buffer.from('€'); // e2 82 ac
    expect(texts([Buffer.from([0x61, 0xff, 0xc3, 0x28, 0x0a])])).toEqual([[1, 'a\ufffd\ufffd(']]);
    expect(texts([euro.subarray(0, 1), euro.subarray(1), Buffer.from('\n')])).toEqual([[1, '€']]);
  });

  it('skips a line longer than maxLineBytes as too-long, with its number, and reads on', () => {
    const { lines, problems, splitter } = split([Buffer.from('short\n' + 'x'.repeat(11) + '\nafter\n')], 10);
    expect(lines.map((line) => [line.line, line.text])).toEqual([
      [1, 'short'],
      [3, 'after'],
    ]);
    expect(problems).toEqual(['2:too-long']);
    expect([splitter.lines, splitter.skipped]).toEqual([2, 1]);
  });

  it('keeps a line of exactly maxLineBytes, not counting its \\r\\n', () => {
    expect(texts([Buffer.from('x'.repeat(10) + '\r\n')], 10)).toEqual([[1, 'x'.repeat(10)]]);
  });

  it('drops a too-long line as it streams, holding no more than the limit', () => {
    const splitter = new LineSplitter('big.log', { maxLineBytes: 1024 });
    const block = Buffer.alloc(64 * 1024, 0x41);
    for (let i = 0; i < 160; i++) splitter.push(block); // 10 MiB, one line
    expect(splitter.hasPartialLine).toBe(true);
    expect((splitter as unknown as { pendingBytes: number }).pendingBytes).toBe(0);
    expect(splitter.push(Buffer.from('\nnext\n')).map((line) => [line.line, line.text])).toEqual([[2, 'next']]);
    expect(splitter.skipped).toBe(1);
  });

  it('reports a too-long last line without terminator', () => {
    expect(split([Buffer.from('ok\n' + 'y'.repeat(50))], 10).problems).toEqual(['2:too-long']);
  });

  it('skips a NUL-only line as binary without storing the NULs', () => {
    const splitter = new LineSplitter('sparse');
    const zeros = Buffer.alloc(1024 * 1024);
    for (let i = 0; i < 64; i++) expect(splitter.push(zeros)).toEqual([]);
    expect((splitter as unknown as { pendingBytes: number }).pendingBytes).toBe(0);
    expect(splitter.end()).toEqual([]);
    expect([splitter.lineNumber, splitter.skipped]).toEqual([1, 1]);
  });

  it('drops the NULs a crash leaves before a line, keeps the text and reports it', () => {
    const { lines, problems } = split([Buffer.from('one\n'), Buffer.alloc(5000), Buffer.from('two\n')]);
    expect(lines.map((line) => [line.line, line.text])).toEqual([
      [1, 'one'],
      [2, 'two'],
    ]);
    expect(problems).toEqual(['2:binary']);
  });

  it('skips a line with NUL bytes inside it as binary', () => {
    const { lines, problems } = split([Buffer.from('text\nab\0cd\nmore\n')]);
    expect(lines.map((line) => line.text)).toEqual(['text', 'more']);
    expect(problems).toEqual(['2:binary']);
  });

  it('refuses a maxLineBytes below one', () => {
    expect(() => new LineSplitter('x', { maxLineBytes: 0 })).toThrow('maxLineBytes must be at least 1, got 0');
  });

  it('gives the same lines and problems however the bytes are cut into chunks', () => {
    // Bytes biased towards the interesting ones: newline, CR, NUL, UTF-8 lead and continuation bytes.
    const byte = fc.oneof(
      fc.constantFrom(0x0a, 0x0d, 0x00, 0xe2, 0x82, 0xac, 0xff, 0x61),
      fc.integer({ min: 0, max: 255 }),
    );
    fc.assert(
      fc.property(
        fc.array(byte, { maxLength: 400 }),
        fc.array(fc.integer({ min: 0, max: 400 }), { maxLength: 20 }),
        fc.integer({ min: 1, max: 40 }),
        (bytes, cuts, maxLineBytes) => {
          const whole = Buffer.from(bytes);
          const points = [...new Set(cuts.filter((cut) => cut <= whole.length))].sort((a, b) => a - b);
          const chunks: Buffer[] = [];
          let from = 0;
          for (const point of [...points, whole.length]) {
            chunks.push(whole.subarray(from, point));
            from = point;
          }
          const one = split([whole], maxLineBytes);
          const many = split(chunks, maxLineBytes);
          expect(many.lines).toEqual(one.lines);
          expect(many.problems).toEqual(one.problems);
          for (const line of one.lines) expect(Buffer.byteLength(line.text)).toBeLessThanOrEqual(maxLineBytes * 3);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('loses no text line: every line of a NUL-free input comes back, in order', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.string({ unit: 'grapheme' }).filter((s) => !s.includes('\n') && !s.includes('\0') && !s.includes('\r')),
        ),
        (lines) => {
          const input = Buffer.from(lines.map((line) => `${line}\n`).join(''));
          expect(split([input]).lines.map((line) => line.text)).toEqual(lines);
        },
      ),
    );
  });
});
