/**
 * The CLI's process streams: a reader that stops reading early
 * (`logsleuth events --ndjson big.log | head`) ends the run quietly, with no
 * EPIPE stack trace, as it ends other Unix tools.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const LOADER = join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs');
const MAIN = join(ROOT, 'src', 'cli', 'main.ts');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'logsleuth-cli-io-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI with `args`, closes its stdout after the first chunk, and resolves with its exit code and stderr. */
function runAndCloseEarly(args: string[]): Promise<{ code: number | null; stderr: string; chunks: number }> {
  const argv = ['node', 'logsleuth', ...args];
  const script = `require(${JSON.stringify(MAIN)}).main(${JSON.stringify(argv)}).then((code) => { process.exitCode = code; });`;
  const child = spawn(process.execPath, ['--import', LOADER, '-e', script], {
    env: { ...process.env, TSX_TSCONFIG_PATH: join(ROOT, 'tsconfig.json') },
  });
  let stderr = '';
  let chunks = 0;
  child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
  child.stdout.on('data', () => {
    chunks++;
    child.stdout.destroy();
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr, chunks })));
}

describe('a reader that closes the pipe early', () => {
  it('ends `events --ndjson` with exit 0 and nothing on stderr', async () => {
    const log = join(dir, 'auth.log');
    // About 4 MB of NDJSON: far more than a pipe holds, so writes continue after the reader has gone.
    const lines = Array.from(
      { length: 10_000 },
      (_, i) =>
        `Mar  5 10:15:${String(i % 60).padStart(2, '0')} web01 sshd[${1000 + i}]: Failed password for root from 198.51.100.${i % 250} port ${40000 + (i % 20000)} ssh2\n`,
    );
    writeFileSync(log, lines.join(''));
    const run = await runAndCloseEarly(['events', '--ndjson', '--timezone', 'UTC', log]);
    expect(run.chunks).toBe(1);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });
});
