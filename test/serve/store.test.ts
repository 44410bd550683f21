/**
 * `logsleuth serve --store` as a real child process: what it read and sampled
 * is in the store after a SIGTERM, in one finished run.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/index';
import { until } from './helpers';

const ROOT = join(__dirname, '..', '..');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'logsleuth-serve-store-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** sshd failures from one address, dated today (serve judges what it follows against the clock). */
function failures(from: number, count: number): string {
  const now = new Date();
  const day = `${now.toLocaleString('en-US', { month: 'short' })} ${String(now.getDate()).padStart(2, ' ')}`;
  return Array.from(
    { length: count },
    (_, i) =>
      `${day} 05:17:${String((from + i) % 60).padStart(2, '0')} web1 sshd[${900 + from + i}]: Failed password for root from 192.0.2.77 port ${40000 + from + i} ssh2\n`,
  ).join('');
}

/** Starts `serve` and resolves with its URL once it prints it. */
function startServe(log: string, store: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [
      join(ROOT, 'node_modules/tsx/dist/cli.mjs'),
      'test/store/record-child.ts',
      'serve',
      log,
      '--store',
      store,
      '--listen',
      '127.0.0.1:0',
    ],
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], detached: true },
  );
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const url = /serving on (http:\S+)/.exec(stderr)?.[1];
      if (url) resolve({ child, url });
    });
    child.on('exit', (code) => reject(new Error(`serve exited (${code}): ${stderr}`)));
  });
}

async function health(url: string): Promise<{ events: number; lastSample: string | null }> {
  const response = await fetch(`${url}/api/v1/health`);
  return (await response.json()) as { events: number; lastSample: string | null };
}

/** Resolves once no process of the child's group is left (the store's lock goes with the last one). */
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

it('SIGTERM leaves the run, its events, raw lines and samples in the store', async () => {
  const log = join(dir, 'auth.log');
  const store = join(dir, 'serve.duckdb');
  writeFileSync(log, failures(0, 10));
  const { child, url } = await startServe(log, store);
  await until(async () => (await health(url)).events === 10, 'the first 10 events');
  appendFileSync(log, failures(10, 5));
  await until(async () => (await health(url)).events === 15, 'the 5 appended events');
  const seen = (await health(url)).lastSample;
  await until(async () => {
    const last = (await health(url)).lastSample;
    return last !== null && last !== seen;
  }, 'a sample taken after the appended lines');
  child.kill('SIGTERM'); // the loader relays it: one signal, as a user's Ctrl-C
  await groupGone(child);

  const db = await openStore(store, { readOnly: true });
  try {
    const runs = await db.query("SELECT id, inputs FROM runs WHERE command = 'serve' AND finished IS NOT NULL");
    expect(runs).toEqual([{ id: expect.any(String), inputs: JSON.stringify([log]) }]);
    const run = { run: String(runs[0]!['id']) };
    expect(
      await db.query(
        'SELECT count(*) AS n, count(DISTINCT line) AS lines, min(ip) AS ip FROM silver_events WHERE run_id = $run',
        run,
      ),
    ).toEqual([{ n: 15, lines: 15, ip: '192.0.2.77' }]);
    expect(await db.query('SELECT count(*) AS n FROM bronze_lines WHERE run_id = $run', run)).toEqual([{ n: 15 }]);
    const system = await db.query(
      'SELECT count(*) AS n, count(mem_total) AS memory FROM silver_system_samples WHERE run_id = $run',
      run,
    );
    expect(Number(system[0]!['n'])).toBeGreaterThanOrEqual(1);
    expect(system[0]!['memory']).toBe(system[0]!['n']);
    const processes = await db.query(
      'SELECT count(*) AS n FROM silver_process_samples WHERE run_id = $run AND pid = 1 AND name IS NOT NULL',
      run,
    );
    expect(processes).toEqual([{ n: system[0]!['n'] }]);
    expect(await db.query('SELECT ip, blacklisted FROM gold_cases WHERE run_id = $run', run)).toEqual([
      { ip: '192.0.2.77', blacklisted: true },
    ]);
  } finally {
    db.close();
  }
}, 60_000);
