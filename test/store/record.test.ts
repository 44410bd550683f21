/**
 * `logsleuth record` as a real child process: the store it holds, a SIGKILL
 * in the middle of it, and a clean SIGTERM.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../helpers/cli';
import { openStore } from '../../src/index';

const ROOT = join(__dirname, '..', '..');
const LINES = 40;
let dir: string;
let log: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'logsleuth-record-'));
  log = join(dir, 'auth.log');
  // Today's date: record judges what it follows against the clock, as watch does.
  const now = new Date();
  const day = `${now.toLocaleString('en-US', { month: 'short' })} ${String(now.getDate()).padStart(2, ' ')}`;
  const lines = Array.from(
    { length: LINES },
    (_, i) =>
      `${day} 05:17:${String(i % 60).padStart(2, '0')} web1 sshd[${900 + i}]: Failed password for root from 192.0.2.77 port ${40000 + i} ssh2`,
  );
  writeFileSync(log, lines.join('\n') + '\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The checkpoint line `record` prints once every line of the log is committed: its readiness signal. */
const ready = (stderr: string) =>
  stderr
    .split('\n')
    .some(
      (line) =>
        line.startsWith('logsleuth: recording to ') &&
        line.includes(`: ${LINES} events, `) &&
        line.endsWith(' samples, checkpoint'),
    );

/**
 * Starts `record` and resolves once it has printed a checkpoint holding every
 * line. The sources load through tsx's loader inside the process (`--import`),
 * not its CLI: the CLI is a parent process that relays a signal and SIGKILLs a
 * child that does not acknowledge it within 30 ms, which a loaded machine misses.
 */
function startRecord(store: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'test/store/record-child.ts',
      'record',
      log,
      '--from-start',
      '--store',
      store,
      '--interval',
      '200ms',
      '--gold',
      '400ms',
    ],
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], detached: true },
  );
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (ready(stderr)) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`record exited (${code}): ${stderr}`)));
  });
}

/** Signals every process of the group the child leads (the loader's hooks run in a thread of it). */
const signalGroup = (child: ChildProcess, signal: NodeJS.Signals) => process.kill(-child.pid!, signal);

/** Resolves once no process of the child's group is left (the lock is released with the last one). */
async function groupGone(child: ChildProcess): Promise<void> {
  for (;;) {
    try {
      process.kill(-child.pid!, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

it('a store held by a running record: query says so in one line; SIGKILL keeps every committed row', async () => {
  const store = join(dir, 'killed.duckdb');
  const child = await startRecord(store);
  const held = await cli(['query', store, 'SELECT 1']);
  expect(held.code).not.toBe(0);
  expect(held.stderr).toMatch(
    /^logsleuth: .* is in use by another process \(PID \d+\), e\.g\. a running 'logsleuth record'.*\n$/,
  );
  signalGroup(child, 'SIGKILL');
  await groupGone(child);
  const db = await openStore(store, { readOnly: true });
  const events = await db.query('SELECT count(*) AS n FROM silver_events');
  const samples = await db.query('SELECT count(*) AS n FROM silver_system_samples');
  db.close();
  expect(events).toEqual([{ n: LINES }]);
  expect(Number(samples[0]!['n'])).toBeGreaterThan(0);
}, 60_000);

it('SIGTERM flushes, builds gold and closes the store', async () => {
  const store = join(dir, 'stopped.duckdb');
  const child = await startRecord(store);
  child.kill('SIGTERM');
  await groupGone(child);
  const db = await openStore(store, { readOnly: true });
  const runs = await db.query("SELECT count(*) AS n FROM runs WHERE command = 'record' AND finished IS NOT NULL");
  const cases = await db.query('SELECT ip, blacklisted FROM gold_cases');
  const facts = await db.query('SELECT count(*) AS n FROM gold_fact_process');
  db.close();
  expect(runs).toEqual([{ n: 1 }]);
  expect(cases).toEqual([{ ip: '192.0.2.77', blacklisted: true }]);
  expect(Number(facts[0]!['n'])).toBeGreaterThan(0);
}, 60_000);

it('refuses a --commit, --interval or --gold it cannot read, before opening the store', async () => {
  const store = join(dir, 'never.duckdb');
  for (const flags of [
    ['--commit', 'soon'],
    ['--interval', '10ms'],
    ['--gold', 'x'],
  ]) {
    const outcome = await cli(['record', '--store', store, ...flags]);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toMatch(/--interval, --commit and --gold take durations/);
  }
  expect(existsSync(store)).toBe(false);
});
