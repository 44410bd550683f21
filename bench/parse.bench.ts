/**
 * Parsing throughput on a generated 1,000,000-line auth.log (sshd failures,
 * invalid users, accepted logins, preauth closes, CRON and sudo lines, ~50,000
 * distinct addresses): the pipeline alone over in-memory lines, and end to end
 * from the file through the sources reader. When fail2ban is installed, its
 * `fail2ban-regex` (sshd filter, aggressive mode) reads the first 100,000
 * lines too: its speed, and how many addresses get the same failure count.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SourceLine } from '../src/logs/line';
import { readEvents } from '../src/logs/read-events';
import { readLines } from '../src/logs/sources';
import { generateAuthLog } from './generate-logs';
import type { Figure } from './run';

export const name = 'parse';

const LINES = 1_000_000;
const PEER_LINES = 100_000;
const SSHD_FILTER = '/etc/fail2ban/filter.d/sshd.conf';

/** Failure count per address: ours (hostile events) and fail2ban-regex's (`-o ip`, one line per failure). */
function compareWithFail2ban(dir: string, lines: SourceLine[]): Figure[] {
  if (!existsSync(SSHD_FILTER)) return [];
  const file = join(dir, 'auth-100k.log');
  writeFileSync(file, lines.map((l) => l.text).join('\n') + '\n');
  let started = process.hrtime.bigint();
  let output: string;
  try {
    output = execFileSync('fail2ban-regex', ['-l', 'error', '-o', 'ip', file, `${SSHD_FILTER}[mode=aggressive]`], {
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    });
  } catch {
    return []; // fail2ban-regex not installed
  }
  const peerSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const theirs = new Map<string, number>();
  for (const ip of output.split('\n')) if (ip.trim()) theirs.set(ip.trim(), (theirs.get(ip.trim()) ?? 0) + 1);
  started = process.hrtime.bigint();
  const ours = new Map<string, number>();
  for (const e of readEvents([], { referenceDate: Date.UTC(2025, 11, 31), timezone: 'UTC' }).readSync(lines)) {
    if (e.hostile) ours.set(e.ip ?? e.domain ?? '?', (ours.get(e.ip ?? e.domain ?? '?') ?? 0) + 1);
  }
  const ourSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const addresses = new Set([...ours.keys(), ...theirs.keys()]);
  let same = 0;
  for (const a of addresses) if ((ours.get(a) ?? 0) === (theirs.get(a) ?? 0)) same++;
  const total = (m: Map<string, number>) => [...m.values()].reduce((x, y) => x + y, 0);
  return [
    {
      measure: `fail2ban-regex, sshd filter (aggressive), same auth.log (${PEER_LINES.toLocaleString('en-US')} lines)`,
      value: PEER_LINES / peerSeconds,
      unit: 'lines/s',
      note: `${peerSeconds.toFixed(2)} s; logsleuth on the same lines: ${Math.round(PEER_LINES / ourSeconds).toLocaleString('en-US')} lines/s (${(peerSeconds / ourSeconds).toFixed(1)}x)`,
    },
    {
      measure: 'addresses whose failure count differs from fail2ban-regex',
      value: addresses.size - same,
      unit: 'addresses',
      note: `of ${addresses.size}; failures: logsleuth ${total(ours)}, fail2ban ${total(theirs)}`,
    },
  ];
}

export async function run(): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'logsleuth-parse-'));
  const file = join(dir, 'auth.log');
  try {
    const text = generateAuthLog(LINES);
    writeFileSync(file, text);
    const lines: SourceLine[] = text
      .slice(0, -1)
      .split('\n')
      .map((t, i) => ({ source: file, line: i + 1, text: t }));

    let started = process.hrtime.bigint();
    const reader = readEvents([], { referenceDate: Date.UTC(2025, 11, 31), timezone: 'UTC' });
    let hostile = 0;
    for (const event of reader.readSync(lines)) if (event.hostile) hostile++;
    const pipelineSeconds = Number(process.hrtime.bigint() - started) / 1e9;

    started = process.hrtime.bigint();
    const endToEnd = readEvents(readLines([file]), { referenceDate: Date.UTC(2025, 11, 31), timezone: 'UTC' });
    let events = 0;
    for await (const event of endToEnd) if (event) events++;
    const endSeconds = Number(process.hrtime.bigint() - started) / 1e9;

    const stats = reader.stats()[0]!;
    const peer = compareWithFail2ban(dir, lines.slice(0, PEER_LINES));
    return [
      {
        measure: `parse auth.log in memory (${LINES.toLocaleString('en-US')} lines, readEvents)`,
        value: LINES / pipelineSeconds,
        unit: 'lines/s',
        note: `${pipelineSeconds.toFixed(2)} s; ${stats.parsed} parsed, ${hostile} hostile`,
      },
      {
        measure: `parse auth.log end to end (file → readLines → readEvents)`,
        value: LINES / endSeconds,
        unit: 'lines/s',
        note: `${endSeconds.toFixed(2)} s; ${events} events; ${(text.length / 1e6).toFixed(0)} MB`,
      },
      ...peer,
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
