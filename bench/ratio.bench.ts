/**
 * The goal of issue 14 as one run: `logsleuth analyze --json` against
 * `fail2ban-regex` (Debian's, sshd filter, aggressive mode) on the same lines,
 * as a ratio of throughputs, on three logs:
 * - a real-derived sshd log of 100,000 lines (Loghub's OpenSSH sample and
 *   fail2ban's sshd test log, cycled; see `writeRealSshdLog`),
 * - the 1,000,000-line mixed benchmark (auth, nginx, django, kern; fail2ban-regex
 *   reads the four files joined into one),
 * - a sshd log of 60,000 lines from 20,000 addresses (three failures each).
 * logsleuth runs twice on each: with fail2ban's filters loaded as rule packs
 * (what a host with /etc/fail2ban gets by default) and with its built-in
 * recognisers alone (`LOGSLEUTH_FAIL2BAN=off`). Both run in a child on the
 * build, and the wall time includes the CLI's start-up, as a user sees it.
 */
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildOnce, fail2banFileSpeed, inChild } from './analyze.bench';
import { writeMixedLogs, writeRealSshdLog, writeSshdLog } from './generate-logs';
import type { Figure } from './run';

export const name = 'ratio';

const GOAL = 20;

interface Log {
  label: string;
  /** What logsleuth reads. */
  files: string[];
  /** The same lines in one file, for fail2ban-regex. */
  joined: string;
  lines: number;
}

/** Concatenates `files` into `out` (fail2ban-regex reads one log). */
function join1(files: string[], out: string): void {
  const fd = openSync(out, 'w');
  try {
    for (const file of files) writeSync(fd, readFileSync(file));
  } finally {
    closeSync(fd);
  }
}

function logs(dir: string): Log[] {
  const out: Log[] = [];
  const real = join(dir, 'real-sshd.log');
  if (writeRealSshdLog(real, 100_000))
    out.push({ label: 'real-derived sshd log, 100,000 lines', files: [real], joined: real, lines: 100_000 });
  const mixed = Object.values(writeMixedLogs(dir, 1_000_000));
  join1(mixed, join(dir, 'mixed-joined.log'));
  out.push({
    label: '1,000,000-line mixed benchmark',
    files: mixed,
    joined: join(dir, 'mixed-joined.log'),
    lines: 1_000_000,
  });
  const wide = join(dir, 'wide-sshd.log');
  writeSshdLog(wide, 60_000, 20_000);
  out.push({ label: 'sshd log, 60,000 lines from 20,000 addresses', files: [wide], joined: wide, lines: 60_000 });
  return out;
}

export async function run(): Promise<Figure[]> {
  buildOnce();
  const figures: Figure[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'logsleuth-ratio-'));
  try {
    for (const log of logs(dir)) {
      const peer = fail2banFileSpeed(log.joined, log.lines);
      const packs = inChild('cli', log.files);
      const builtIns = inChild('cli', log.files, [], { ...process.env, LOGSLEUTH_FAIL2BAN: 'off' });
      const ratio = (seconds: number) =>
        peer
          ? `${(log.lines / seconds / peer.linesPerSecond).toFixed(2)}x fail2ban-regex (goal ${GOAL}x)`
          : 'no fail2ban-regex';
      if (peer)
        figures.push({
          measure: `fail2ban-regex, sshd filter, ${log.label}`,
          value: peer.linesPerSecond,
          unit: 'lines/s',
          note: `${peer.seconds.toFixed(2)} s`,
        });
      figures.push({
        measure: `logsleuth analyze --json with fail2ban's filters, ${log.label}`,
        value: log.lines / packs.seconds,
        unit: 'lines/s',
        note: `${packs.seconds.toFixed(2)} s, peak RSS ${packs.peakRssMiB.toFixed(0)} MiB; ${ratio(packs.seconds)}`,
      });
      figures.push({
        measure: `logsleuth analyze --json, built-in recognisers only, ${log.label}`,
        value: log.lines / builtIns.seconds,
        unit: 'lines/s',
        note: `${builtIns.seconds.toFixed(2)} s, peak RSS ${builtIns.peakRssMiB.toFixed(0)} MiB; ${ratio(builtIns.seconds)}`,
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return figures;
}
