import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SourceLine } from '../../../src/logs/line';
import { expandInputs, readLines } from '../../../src/logs/sources';
import { corpus, describeWithCorpora } from '../../helpers/corpora';

/** Python's own reading of the same bytes: split on \n, drop a \r before it, UTF-8 with U+FFFD. */
const PYTHON_LINES = `
import json, sys
out = []
for path in sys.argv[1:]:
    data = open(path, 'rb').read()
    parts = data.split(b'\\n')
    if parts and parts[-1] == b'':
        parts.pop()
    out.append([p[:-1] if p.endswith(b'\\r') else p for p in parts])
    out[-1] = [p.decode('utf-8', errors='replace') for p in out[-1]]
print(json.dumps(out))
`;

async function collect(inputs: string[]): Promise<SourceLine[]> {
  const lines: SourceLine[] = [];
  for await (const line of readLines(inputs)) lines.push(line);
  return lines;
}

describeWithCorpora('reading the shared corpora', () => {
  it('gives exactly the lines Python reads from every loghub and fail2ban file, plain and gzipped', async () => {
    const files = (await expandInputs([corpus('loghub', '*', '*.log'), corpus('fail2ban')])).map((input) => input.path);
    expect(files.length).toBe(10);
    const expected = JSON.parse(
      execFileSync('python3', ['-c', PYTHON_LINES, ...files], { encoding: 'utf8', maxBuffer: 1 << 28 }),
    ) as string[][];
    const lines = await collect(files);
    for (const [i, file] of files.entries()) {
      const ours = lines.filter((line) => line.source === file);
      expect(ours.map((line) => line.text)).toEqual(expected[i]);
      expect(ours.map((line) => line.line)).toEqual(expected[i]!.map((_, n) => n + 1));
    }
    const dir = mkdtempSync(join(tmpdir(), 'logsleuth-corpora-'));
    const gzipped = files.map((file, i) => {
      const path = join(dir, `${i}.log.gz`);
      writeFileSync(path, execFileSync('gzip', ['-c', file], { maxBuffer: 1 << 28 }));
      return path;
    });
    const fromGzip = await collect(gzipped);
    expect(fromGzip.map((line) => line.text)).toEqual(lines.map((line) => line.text));
  });
});
