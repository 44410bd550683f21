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

/** A deterministic pseudo-random generator (xorshift32), so every run parses the same file. */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const USERS = ['root', 'admin', 'test', 'oracle', 'ubuntu', 'git', 'postgres', 'user', 'pi', 'deploy'];

/** The generated auth.log text. */
export function generateAuthLog(lines: number): string {
  const next = random(0x9e3779b9);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
  const ip = () =>
    `${1 + Math.floor(next() * 223)}.${Math.floor(next() * 256)}.${Math.floor(next() * 16)}.${Math.floor(next() * 16)}`;
  const out: string[] = [];
  let second = 0;
  for (let i = 0; i < lines; i++) {
    second += Math.floor(next() * 3);
    const month = MONTHS[Math.floor(second / (86400 * 28)) % 12]!;
    const day = String(1 + (Math.floor(second / 86400) % 28)).padStart(2, ' ');
    const time = new Date((second % 86400) * 1000).toISOString().slice(11, 19);
    const pid = 1000 + Math.floor(next() * 60000);
    const head = `${month} ${day} ${time} bastion`;
    const r = next();
    const port = 1024 + Math.floor(next() * 60000);
    if (r < 0.35) out.push(`${head} sshd[${pid}]: Failed password for ${pick(USERS)} from ${ip()} port ${port} ssh2`);
    else if (r < 0.55)
      out.push(`${head} sshd[${pid}]: Invalid user ${pick(USERS)}${Math.floor(next() * 99)} from ${ip()} port ${port}`);
    else if (r < 0.62)
      out.push(`${head} sshd[${pid}]: Failed password for invalid user ${pick(USERS)} from ${ip()} port ${port} ssh2`);
    else if (r < 0.72) out.push(`${head} sshd[${pid}]: Connection closed by ${ip()} port ${port} [preauth]`);
    else if (r < 0.76)
      out.push(`${head} sshd[${pid}]: Accepted publickey for deploy from ${ip()} port ${port} ssh2: ED25519 SHA256:x`);
    else if (r < 0.8)
      out.push(`${head} sshd[${pid}]: pam_unix(sshd:session): session opened for user deploy(uid=1001) by (uid=0)`);
    else if (r < 0.84)
      out.push(`${head} sshd[${pid}]: Received disconnect from ${ip()} port ${port}:11: Bye Bye [preauth]`);
    else if (r < 0.94)
      out.push(`${head} CRON[${pid}]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)`);
    else if (r < 0.97)
      out.push(`${head} CRON[${pid}]: (root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)`);
    else
      out.push(
        `${head} sudo:   deploy : TTY=pts/0 ; PWD=/home/deploy ; USER=root ; COMMAND=/usr/bin/systemctl restart nginx`,
      );
  }
  return out.join('\n') + '\n';
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
