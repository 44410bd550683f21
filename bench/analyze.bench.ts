/**
 * `logsleuth analyze` end to end on a generated host's logs (issue 7,
 * "Measured"): 1,000,000 lines shared among an auth.log (sshd failures,
 * invalid users, accepted logins, sudo, CRON), an nginx access log (customers
 * and scanners), a Django log (tracebacks, database errors) and a kern.log
 * (firewall drops, an OOM kill now and then). The investigation runs in a
 * child process, on the build (dist/, made first), so its peak RSS (VmHWM) is its own: `investigate()` with all
 * files, then the CLI (`analyze --json`). `fail2ban-regex` with its sshd
 * filter reads the first 100,000 lines of the same auth.log, then 100,000
 * lines of the mix in its proportions (installed from Debian when missing),
 * where it rejects most lines early; the ratio is lines per second to lines per second,
 * though logsleuth reads every format and runs five tracers where fail2ban
 * matches one filter. Then 250,000 and 500,000 lines: peak RSS must stay flat,
 * growing only with distinct addresses and signatures; and the 1,000,000 lines
 * again with V8's old generation capped, which shows what the run needs
 * rather than what a lazy collector lets it keep.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeMixedLogs } from './generate-logs';
import type { Figure } from './run';

export const name = 'analyze';

const LINES = 1_000_000;
const PEER_LINES = 100_000;
const SSHD_FILTER = '/etc/fail2ban/filter.d/sshd.conf';
const CHILD = join(__dirname, 'analyze-child.ts');
const HEAP_CAP_MB = 384;

/** What analyze-child.ts prints. */
export interface ChildFigures {
  seconds: number;
  peakRssMiB: number;
  retainedHeapMiB?: number;
  lines?: number;
  cases?: number;
  sweeps?: number;
  errors?: number;
  chains?: number;
  code?: number;
}

/** Runs the investigation (`api`) or the CLI (`cli`) on the files in a fresh process. */
export function inChild(
  mode: 'api' | 'cli',
  files: string[],
  nodeFlags: string[] = [],
  env: NodeJS.ProcessEnv = process.env,
): ChildFigures {
  const output = execFileSync(
    process.execPath,
    [...nodeFlags, '--expose-gc', '--import', 'tsx', CHILD, mode, ...files],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 24,
      env,
    },
  );
  return JSON.parse(output.trim().split('\n').pop()!) as ChildFigures;
}

/** fail2ban-regex installs from Debian when missing (the benchmark's setup); false when that is impossible. */
function ensureFail2ban(): boolean {
  const present = () => {
    try {
      execFileSync('fail2ban-regex', ['--version'], { stdio: 'ignore' });
      return existsSync(SSHD_FILTER);
    } catch {
      return false;
    }
  };
  if (present()) return true;
  try {
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'fail2ban'], { stdio: 'ignore' });
  } catch {
    return false;
  }
  return present();
}

/** The first `lines` lines of `text`. */
function head(text: string, lines: number): string {
  let end = 0;
  for (let i = 0; i < lines && end !== -1; i++) end = text.indexOf('\n', end + 1);
  return end === -1 ? text : text.slice(0, end + 1);
}

/** fail2ban-regex's lines per second on `text` (`lines` lines), written to `file`. */
function fail2banSpeed(
  file: string,
  text: string,
  lines: number,
): { linesPerSecond: number; seconds: number } | undefined {
  writeFileSync(file, text);
  return fail2banFileSpeed(file, lines);
}

/** fail2ban-regex's lines per second, sshd filter in aggressive mode, on `file` (`lines` lines); undefined without fail2ban. */
export function fail2banFileSpeed(
  file: string,
  lines: number,
): { linesPerSecond: number; seconds: number } | undefined {
  if (!ensureFail2ban()) return undefined;
  const started = process.hrtime.bigint();
  execFileSync('fail2ban-regex', ['-l', 'error', '-o', 'ip', file, `${SSHD_FILTER}[mode=aggressive]`], {
    stdio: 'ignore',
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { linesPerSecond: lines / seconds, seconds };
}

/** `PEER_LINES` lines of the mix, each file contributing its share (what fail2ban-regex would meet on the whole host). */
function mixedSlice(paths: Record<string, string>, total: number): string {
  return Object.values(paths)
    .map((file) => {
      const text = readFileSync(file, 'utf8');
      let lines = 0;
      for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) lines++;
      return head(text, Math.round((PEER_LINES * lines) / total));
    })
    .join('');
}

const count = (n: number) => n.toLocaleString('en-US');

/** Generates `lines` mixed lines into a fresh directory and runs `work` on their paths, removing them after. */
function withLogs<T>(lines: number, work: (dir: string, paths: ReturnType<typeof writeMixedLogs>) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'logsleuth-analyze-'));
  try {
    return work(dir, writeMixedLogs(dir, lines));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

let built = false;

/** Builds dist/ once per bench run: the child measures the build, as users run it. */
export function buildOnce(): void {
  if (built) return;
  execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
  built = true;
}

export async function run(): Promise<Figure[]> {
  buildOnce();
  const figures: Figure[] = [];
  const peaks: { lines: number; peak: number; retained: number; cases: number; errors: number }[] = [];
  withLogs(LINES, (dir, paths) => {
    const files = Object.values(paths);
    const api = inChild('api', files);
    const speed = api.lines! / api.seconds;
    peaks.push({
      lines: LINES,
      peak: api.peakRssMiB,
      retained: api.retainedHeapMiB!,
      cases: api.cases!,
      errors: api.errors!,
    });
    figures.push({
      measure: `investigate() on ${count(api.lines!)} mixed lines (auth, nginx, django, kern)`,
      value: speed,
      unit: 'lines/s',
      note: `${api.seconds.toFixed(2)} s; peak RSS ${api.peakRssMiB.toFixed(0)} MiB; ${api.cases} cases, ${api.sweeps} sweeps, ${api.chains} chains, ${api.errors} errors`,
    });
    // V8 collects lazily while memory is plentiful: with the old generation capped, the same run shows what it needs.
    const capped = inChild('api', files, [`--max-old-space-size=${HEAP_CAP_MB}`]);
    figures.push({
      measure: `investigate() on the same files, old generation capped at ${HEAP_CAP_MB} MB`,
      value: capped.lines! / capped.seconds,
      unit: 'lines/s',
      note: `${capped.seconds.toFixed(2)} s; peak RSS ${capped.peakRssMiB.toFixed(0)} MiB; ${capped.cases} cases, ${capped.errors} errors`,
    });
    const cli = inChild('cli', files);
    figures.push({
      measure: 'logsleuth analyze --json, same files',
      value: api.lines! / cli.seconds,
      unit: 'lines/s',
      note: `${cli.seconds.toFixed(2)} s; peak RSS ${cli.peakRssMiB.toFixed(0)} MiB; exit ${cli.code}`,
    });
    const ratios = (peer: { linesPerSecond: number }) =>
      `investigate() is ${(speed / peer.linesPerSecond).toFixed(1)}x, the CLI ${(api.lines! / cli.seconds / peer.linesPerSecond).toFixed(1)}x (goal: 20x)`;
    const auth = fail2banSpeed(
      join(dir, 'auth-slice.log'),
      head(readFileSync(paths.auth, 'utf8'), PEER_LINES),
      PEER_LINES,
    );
    if (auth)
      figures.push({
        measure: `fail2ban-regex, sshd filter (aggressive), first ${count(PEER_LINES)} lines of the same auth.log`,
        value: auth.linesPerSecond,
        unit: 'lines/s',
        note: `${auth.seconds.toFixed(2)} s; ${ratios(auth)}`,
      });
    const mixed = mixedSlice(paths, api.lines!);
    const mixedLines = mixed.split('\n').length - 1;
    const all = fail2banSpeed(join(dir, 'mixed-slice.log'), mixed, mixedLines);
    if (all)
      figures.push({
        measure: `fail2ban-regex, same filter, ${count(mixedLines)} lines of the mix (each file's share)`,
        value: all.linesPerSecond,
        unit: 'lines/s',
        note: `${all.seconds.toFixed(2)} s; ${ratios(all)}`,
      });
  });
  for (const lines of [250_000, 500_000]) {
    const api = withLogs(lines, (_dir, paths) => inChild('api', Object.values(paths)));
    peaks.push({ lines, peak: api.peakRssMiB, retained: api.retainedHeapMiB!, cases: api.cases!, errors: api.errors! });
  }
  for (const { lines, peak, retained, cases, errors } of peaks.sort((a, b) => a.lines - b.lines))
    figures.push({
      measure: `peak RSS of investigate() on ${count(lines)} mixed lines`,
      value: peak,
      unit: 'MiB',
      note: `heap retained after GC ${retained.toFixed(0)} MiB; ${cases} cases, ${errors} errors`,
    });
  return figures;
}
