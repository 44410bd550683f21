/**
 * fail2ban's filters as rule packs (issue 19): loading every filter of
 * /etc/fail2ban (cold, then warm), and reading a generated host's logs
 * (auth.log, nginx access log, Django log, kern.log; 300,000 lines) with and
 * without the packs: the event pipeline alone over in-memory lines (also
 * without the multi-line filters, for their buffers' cost), and
 * `investigate()` end to end from the files. Also how many lines hold some
 * pattern's literal (and so reach re2) and how many a pack flags.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { investigate } from '../src/investigate';
import { type Fail2banPacks, loadFail2ban } from '../src/logs/fail2ban';
import type { SourceLine } from '../src/logs/line';
import { readEvents } from '../src/logs/read-events';
import { writeMixedLogs } from './generate-logs';
import type { Figure } from './run';

export const name = 'fail2ban-packs';

const DIR = '/etc/fail2ban';
const LINES = 300_000;
const ROUNDS = 3;

function seconds(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/** Median of `ROUNDS` runs of `f`, in seconds. */
async function median(f: () => Promise<void> | void): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const started = process.hrtime.bigint();
    await f();
    times.push(seconds(started));
  }
  return times.sort((a, b) => a - b)[Math.floor(ROUNDS / 2)]!;
}

function linesOf(paths: string[]): SourceLine[] {
  return paths.flatMap((source) =>
    readFileSync(source, 'utf8')
      .split('\n')
      .filter((t) => t !== '')
      .map((text, i) => ({ source, line: i + 1, text })),
  );
}

export async function run(): Promise<Figure[]> {
  if (!existsSync(join(DIR, 'filter.d'))) return [];
  const figures: Figure[] = [];
  const started = process.hrtime.bigint();
  const cold = loadFail2ban(DIR);
  const coldSeconds = seconds(started);
  const warm = await median(() => void loadFail2ban(DIR));
  const patterns = cold.packs.reduce((n, p) => n + p.failregex.length, 0);
  figures.push(
    {
      measure: `load every filter of ${DIR} (${cold.packs.length} filters, first load)`,
      value: coldSeconds * 1000,
      unit: 'ms',
    },
    {
      measure: 'load every filter again (median of 3)',
      value: warm * 1000,
      unit: 'ms',
      note: `${patterns} failregex lines`,
    },
  );
  const dir = mkdtempSync(join(tmpdir(), 'logsleuth-f2b-bench-'));
  try {
    const paths = Object.values(writeMixedLogs(dir, LINES));
    const lines = linesOf(paths);
    const read = (packs?: Fail2banPacks) => {
      let hostile = 0;
      for (const e of readEvents([], {
        referenceDate: Date.UTC(2025, 11, 31),
        timezone: 'UTC',
        fail2ban: packs,
      }).readSync(lines))
        if (e.hostile) hostile++;
      return hostile;
    };
    const without = await median(() => void read());
    const packs = loadFail2ban(DIR);
    const withPacks = await median(() => void read(packs));
    const stats = { ...packs.stats };
    const bufferRuns = packs.buffered.reduce((n, b) => n + b.runs, 0);
    const oneLine = loadFail2ban(DIR, { only: packs.packs.filter((p) => p.maxlines === 1).map((p) => p.name) });
    const withoutMultiline = await median(() => void read(oneLine));
    const perRound = (n: number) => Math.round(n / ROUNDS);
    figures.push(
      {
        measure: `events pipeline, ${lines.length.toLocaleString('en-US')} lines, built-ins only`,
        value: lines.length / without,
        unit: 'lines/s',
      },
      {
        measure: 'events pipeline, same lines, with every filter loaded',
        value: lines.length / withPacks,
        unit: 'lines/s',
        note: `${((withPacks / without - 1) * 100).toFixed(1)}% more time; ${perRound(stats.lines).toLocaleString('en-US')} lines reached the packs (the rest was read by a built-in), ${perRound(stats.prefiltered).toLocaleString('en-US')} held a literal and reached re2, ${perRound(stats.matched).toLocaleString('en-US')} flagged`,
      },
      {
        measure: `events pipeline, same lines, every filter but the ${packs.buffered.length} multi-line ones (maxlines > 1)`,
        value: lines.length / withoutMultiline,
        unit: 'lines/s',
        note: `the multi-line filters' buffers take ${((withPacks / withoutMultiline - 1) * 100).toFixed(1)}% more time; their patterns ran ${perRound(bufferRuns).toLocaleString('en-US')} times`,
      },
    );
    const analyzeWithout = await median(
      async () => void (await investigate({ inputs: paths, referenceDate: Date.UTC(2025, 11, 31) })),
    );
    const analyzeWith = await median(
      async () =>
        void (await investigate({ inputs: paths, referenceDate: Date.UTC(2025, 11, 31), fail2ban: loadFail2ban(DIR) })),
    );
    figures.push(
      {
        measure: `investigate() on the files (${LINES.toLocaleString('en-US')} lines), built-ins only`,
        value: LINES / analyzeWithout,
        unit: 'lines/s',
      },
      {
        measure: 'investigate() on the files, with every filter loaded (loading included)',
        value: LINES / analyzeWith,
        unit: 'lines/s',
        note: `${analyzeWith.toFixed(2)} s vs ${analyzeWithout.toFixed(2)} s (${((analyzeWith / analyzeWithout - 1) * 100).toFixed(1)}% more)`,
      },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return figures;
}
