/**
 * Unreadable and special inputs through `logsleuth analyze`: each bad input
 * gets one clear line on stderr and makes the exit code non-zero, and the good
 * inputs beside it are still analysed (their attacker is in the report).
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { cli } from './cli-run';

const ATTACKER = '203.0.113.99';
const attack = Array.from(
  { length: 8 },
  (_, i) =>
    `Mar  5 10:15:${String(10 + i).padStart(2, '0')} web01 sshd[${300 + i}]: Failed password for root from ${ATTACKER} port ${40000 + i} ssh2\n`,
).join('');
const TIME = ['--no-color', '--reference-date', '2024-03-06T00:00:00Z', '--timezone', 'UTC'];

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'logsleuth-hostile-special-'));
  chmodSync(dir, 0o755);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ROOT = join(__dirname, '..', '..');
const LOADER = join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs');
const MAIN = join(ROOT, 'src', 'cli', 'main.ts');

/** stderr's lines, sorted, with the test directory shown as DIR. */
const stderrLines = (stderr: string) =>
  stderr
    .split('\n')
    .filter(Boolean)
    .map((line) => line.replaceAll(dir, 'DIR'))
    .sort();

/** The report's line for the attacker: score, address, verdict. */
const suspectLine = /^ +\d+ {2}203\.0\.113\.99 {2}BLACKLISTED/m;

describe('logsleuth analyze on special and broken inputs beside a good one', () => {
  it('reports each bad input on one line, exits 1, and still finds the attacker in the good file', async () => {
    const good = join(dir, 'good.log');
    writeFileSync(good, attack);
    const loop = join(dir, 'loop.log');
    symlinkSync(loop, loop);
    const dangling = join(dir, 'dangling.log');
    symlinkSync(join(dir, 'nowhere'), dangling);
    const truncated = join(dir, 'old.log.2.gz');
    const gz = gzipSync(Buffer.from(attack.replaceAll(ATTACKER, '198.51.100.200').repeat(50)));
    writeFileSync(truncated, gz.subarray(0, gz.length >> 1));
    const empty = join(dir, 'empty.log');
    writeFileSync(empty, '');
    const binary = join(dir, 'wtmp');
    writeFileSync(binary, Buffer.from(Array.from({ length: 65536 }, (_, i) => (i * 7919) % 256)));
    const emptyDir = join(dir, 'empty.d');
    mkdirSync(emptyDir);
    const withFifo = join(dir, 'with-fifo');
    mkdirSync(withFifo);
    execFileSync('mkfifo', [join(withFifo, 'pipe.log')]);
    writeFileSync(join(withFifo, 'other.log'), '');
    const missing = join(dir, 'missing.log');

    const outcome = await cli([
      'analyze',
      ...TIME,
      good,
      loop,
      dangling,
      truncated,
      empty,
      binary,
      emptyDir,
      withFifo,
      missing,
      '/dev/zero',
    ]);
    expect(outcome.code).toBe(1);
    expect(outcome.stdout).toMatch(suspectLine);
    expect(outcome.stdout).toMatch(/^ +\d+ {2}198\.51\.100\.200 {2}BLACKLISTED/m);
    expect(stderrLines(outcome.stderr)).toEqual([
      'logsleuth: /dev/zero: not-a-file: a character device, not a log file',
      'logsleuth: DIR/dangling.log: missing: no such file',
      'logsleuth: DIR/empty.d: missing: empty directory',
      'logsleuth: DIR/loop.log: unreadable: symbolic link loop',
      'logsleuth: DIR/missing.log: missing: no such file',
      'logsleuth: DIR/old.log.2.gz: 1 line(s) skipped (too long or binary)',
      'logsleuth: DIR/old.log.2.gz: truncated: gzip data ends early (truncated file)',
      'logsleuth: DIR/with-fifo/pipe.log: not-a-file: a FIFO, skipped (name it explicitly to read it)',
      'logsleuth: DIR/wtmp: 256 line(s) skipped (too long or binary)',
    ]);
  });

  it('reads a FIFO named explicitly, to its writer’s end', async () => {
    const fifo = join(dir, 'explicit.fifo');
    execFileSync('mkfifo', [fifo]);
    const writer = spawn('bash', ['-c', 'cat > "$0"', fifo], { stdio: ['pipe', 'ignore', 'ignore'] });
    writer.stdin.end(attack);
    const outcome = await cli(['analyze', ...TIME, fifo]);
    expect({ code: outcome.code, stderr: outcome.stderr }).toEqual({ code: 0, stderr: '' });
    expect(outcome.stdout).toMatch(suspectLine);
  });

  it('refuses a directory given as the reputation file, after printing the report', async () => {
    const good = join(dir, 'good-2.log');
    writeFileSync(good, attack);
    const outcome = await cli(['analyze', ...TIME, '--reputation', dir, good]);
    expect(outcome.code).toBe(1);
    expect(outcome.stdout).toMatch(suspectLine);
    expect(stderrLines(outcome.stderr)).toEqual([
      expect.stringMatching(/^logsleuth: cannot write DIR: EISDIR: illegal operation on a directory, rename /),
    ]);
  });

  it('reports a file and a directory it may not read when run as nobody, and analyses the readable file', () => {
    const locked = join(dir, 'locked.log');
    writeFileSync(locked, attack);
    chmodSync(locked, 0o000);
    const closed = join(dir, 'closed');
    mkdirSync(closed);
    writeFileSync(join(closed, 'inside.log'), attack);
    chmodSync(closed, 0o700);
    const good = join(dir, 'good-3.log');
    writeFileSync(good, attack);
    chmodSync(good, 0o644);
    const args = ['node', 'logsleuth', 'analyze', ...TIME, locked, closed, good];
    const script = `require(${JSON.stringify(MAIN)}).main(${JSON.stringify(args)}).then((code) => { process.exitCode = code; });`;
    const asNobody = process.getuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : [];
    const child = spawnSync(
      asNobody[0] ?? process.execPath,
      [...asNobody.slice(1), ...(asNobody.length ? [process.execPath] : []), '--import', LOADER, '-e', script],
      {
        encoding: 'utf8',
        env: { ...process.env, TSX_TSCONFIG_PATH: join(ROOT, 'tsconfig.json') },
      },
    );
    expect(child.status).toBe(1);
    expect(child.stdout).toMatch(suspectLine);
    expect(stderrLines(child.stderr)).toEqual([
      'logsleuth: DIR/closed: unreadable: permission denied',
      'logsleuth: DIR/locked.log: unreadable: permission denied',
    ]);
  });
});
