/**
 * Reading speed and memory of the log sources: a generated ~100 MB auth.log,
 * plain and gzip, and the hostile shapes of issue 8 (a 2 GB sparse file of
 * NULs, a 10 MB line). Peak RSS is sampled while each input is read.
 */
import { createWriteStream, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { Readable } from 'node:stream';
import { readLines } from '../src/logs/sources';
import type { Figure } from './run';

export const name = 'sources: reading files and .gz';

const TARGET_BYTES = 100 * 1024 * 1024;

function* authLog(): Generator<string> {
  let bytes = 0;
  for (let i = 0; bytes < TARGET_BYTES; i++) {
    const ip = `203.0.113.${i % 250}`;
    const line =
      i % 3 === 0
        ? `Nov 22 02:${String(i % 60).padStart(2, '0')}:07 host sshd[${1000 + (i % 9000)}]: Failed password for invalid user admin${i % 97} from ${ip} port ${1024 + (i % 60000)} ssh2\n`
        : `Nov 22 02:${String(i % 60).padStart(2, '0')}:08 host sshd[${1000 + (i % 9000)}]: Connection closed by authenticating user root ${ip} port ${1024 + (i % 60000)} [preauth]\n`;
    bytes += line.length;
    yield line;
  }
}

/** Reads `inputs` to the end; lines, seconds and the highest RSS seen meanwhile. */
async function measure(
  inputs: string[],
  mode: 'lines' | 'batches' = 'lines',
): Promise<{ lines: number; skipped: number; bytes: number; seconds: number; peakRss: number }> {
  global.gc?.();
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 20);
  const reader = readLines(inputs);
  const start = process.hrtime.bigint();
  let lines = 0;
  if (mode === 'lines') {
    for await (const line of reader) if (line.text.length >= 0) lines++;
  } else {
    for await (const batch of reader.batches()) lines += batch.length;
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  const stats = reader.inputs[0]!;
  return { lines, skipped: stats.skipped, bytes: stats.bytes, seconds, peakRss };
}

const MB = 1024 * 1024;

export async function run(): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'logsleuth-bench-sources-'));
  try {
    const plain = join(dir, 'auth.log');
    const gz = join(dir, 'auth.log.1.gz');
    await pipeline(Readable.from(authLog()), createWriteStream(plain));
    await pipeline(Readable.from(authLog()), createGzip(), createWriteStream(gz));

    const figures: Figure[] = [];
    const baseline = process.memoryUsage().rss;
    figures.push({ measure: 'RSS before reading', value: baseline / MB, unit: 'MB' });

    const a = await measure([plain]);
    figures.push(
      {
        measure: 'plain file: lines per second',
        value: a.lines / a.seconds,
        unit: 'lines/s',
        note: `${a.lines.toLocaleString('en-US')} lines`,
      },
      {
        measure: 'plain file: throughput',
        value: a.bytes / MB / a.seconds,
        unit: 'MB/s',
        note: `${(a.bytes / MB).toFixed(0)} MB`,
      },
      { measure: 'plain file: peak RSS', value: a.peakRss / MB, unit: 'MB' },
    );

    const batched = await measure([plain], 'batches');
    figures.push({
      measure: 'plain file, batches(): lines per second',
      value: batched.lines / batched.seconds,
      unit: 'lines/s',
      note: `${(a.bytes / MB / batched.seconds).toFixed(1)} MB/s`,
    });

    const b = await measure([gz]);
    figures.push(
      {
        measure: 'gzip file: lines per second',
        value: b.lines / b.seconds,
        unit: 'lines/s',
        note: `${b.lines.toLocaleString('en-US')} lines`,
      },
      {
        measure: 'gzip file: throughput (uncompressed)',
        value: a.bytes / MB / b.seconds,
        unit: 'MB/s',
        note: `${(b.bytes / MB).toFixed(1)} MB compressed`,
      },
      { measure: 'gzip file: peak RSS', value: b.peakRss / MB, unit: 'MB' },
    );
    rmSync(plain);
    rmSync(gz);

    const sparse = join(dir, 'sparse.log');
    writeFileSync(sparse, '');
    truncateSync(sparse, 2 * 1024 * MB);
    const c = await measure([sparse]);
    figures.push(
      {
        measure: '2 GB sparse file of NULs: time',
        value: c.seconds,
        unit: 's',
        note: `${c.skipped} line skipped as binary`,
      },
      { measure: '2 GB sparse file of NULs: peak RSS', value: c.peakRss / MB, unit: 'MB' },
    );
    rmSync(sparse);

    const long = join(dir, 'long.log');
    writeFileSync(long, `before\n${'A'.repeat(10 * MB)}\nafter\n`);
    const d = await measure([long]);
    figures.push({
      measure: '10 MB single line: peak RSS',
      value: d.peakRss / MB,
      unit: 'MB',
      note: `${d.lines} lines read, ${d.skipped} skipped as too-long`,
    });
    return figures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
