/**
 * Terminal injection: attacker-written text (user names, paths, messages, user
 * agents, process names, file names, flag values) reaches every terminal
 * output of the CLI escaped, never as raw ESC/CSI/OSC, CR, BEL, C1 or bidi
 * characters.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { escapeForTerminal } from '../../src/report/terminal-escape';
import { ARGUMENT_CASES, EVIL } from './cases/terminal';
import { cli, terminalControls } from './cli-run';

const SHOWN = escapeForTerminal(EVIL);

const sshd = (i: number) =>
  `Mar  5 10:15:${String(10 + i).padStart(2, '0')} web01 sshd[${4000 + i}]: Failed password for invalid user ${EVIL}${i} from 203.0.113.66 port ${50000 + i} ssh2`;
const access = (i: number) =>
  `198.51.100.77 - - [05/Mar/2024:10:16:${String(10 + i).padStart(2, '0')} +0000] "GET /${EVIL}/.env${i} HTTP/1.1" 404 12 "-" "${EVIL}scanner"`;
const appError = (i: number) =>
  `Mar  5 10:17:${String(10 + i).padStart(2, '0')} web01 app[77]: error: cannot open /var/lib/${EVIL}/db${i}: Permission denied`;

let dir: string;
let authLog: string;
let accessLog: string;
let appLog: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'logsleuth-hostile-tty-'));
  authLog = join(dir, 'auth.log');
  accessLog = join(dir, 'access.log');
  appLog = join(dir, `app${EVIL}.log`);
  const lines = (make: (i: number) => string) => Array.from({ length: 8 }, (_, i) => make(i)).join('\n') + '\n';
  writeFileSync(authLog, lines(sshd));
  writeFileSync(accessLog, lines(access));
  writeFileSync(appLog, lines(appError));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TIME = ['--reference-date', '2024-03-06T00:00:00Z', '--timezone', 'UTC'];

function expectInert(outcome: { stdout: string; stderr: string }): void {
  expect(terminalControls(outcome.stdout)).toEqual([]);
  expect(terminalControls(outcome.stderr)).toEqual([]);
}

describe('terminal injection through log content', () => {
  it('analyze prints suspects, users and file names escaped in its text report', async () => {
    const outcome = await cli(['analyze', '--no-color', ...TIME, authLog, accessLog, appLog]);
    expect(outcome.code).toBe(0);
    expectInert(outcome);
    expect(outcome.stdout).toContain('203.0.113.66');
    expect(outcome.stdout).toContain(SHOWN);
  });

  it('events prints user names, paths and messages escaped in its table', async () => {
    const outcome = await cli(['events', ...TIME, authLog, accessLog, appLog]);
    expect(outcome.code).toBe(0);
    expectInert(outcome);
    expect(outcome.stdout).toContain(`${SHOWN}0`);
    expect(outcome.stdout).toContain(`/${SHOWN}/.env0`);
    expect(outcome.stdout).toContain(escapeForTerminal(`app${EVIL}.log`));
  });

  it('errors prints the problems and the file they were seen in escaped', async () => {
    const outcome = await cli(['errors', appLog]);
    expect(outcome.code).toBe(0);
    expectInert(outcome);
    expect(outcome.stdout).toContain(`at ${escapeForTerminal(appLog)}:1 (app)`);
  });

  it('templates prints JSON lines only, with the controls JSON-escaped', async () => {
    const outcome = await cli(['templates', '--ndjson', appLog]);
    expect(outcome.code).toBe(0);
    expectInert(outcome);
    expect(
      outcome.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as unknown),
    ).not.toHaveLength(0);
  });

  it('watch prints each finding line escaped', async () => {
    const watched = join(dir, 'watched.log');
    writeFileSync(
      watched,
      Array.from({ length: 8 }, (_, i) =>
        sshd(i).replace('203.0.113.66', '203.0.113.67').replace(`${EVIL}${i}`, `root${EVIL}`),
      ).join('\n') + '\n',
    );
    const running = cli(['watch', '--from-start', '--poll', '20', '--timezone', 'UTC', watched]);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    process.emit('SIGINT');
    const outcome = await running;
    expect(outcome.code).toBe(0);
    expectInert(outcome);
    expect(outcome.stdout).toContain('ip.blacklisted 203.0.113.67');
  });
});

describe('terminal injection through process names and command lines (snapshot)', () => {
  let child: ChildProcess;
  const name = `x\u001b[31m\u202e\u0007`;
  beforeAll(async () => {
    const link = join(dir, name);
    // sh keeps running (it waits for sleep), named after the link, with the hostile argument in its command line.
    symlinkSync('/bin/sh', link);
    child = spawn(link, ['-c', 'sleep 30; exit 0', `\u001b]0;pwned\u0007\r\u009b2J`], { stdio: 'ignore' });
    await new Promise((resolve) => child.once('spawn', resolve));
  });
  afterAll(() => void child.kill('SIGKILL'));

  it('snapshot shows the process name and command line escaped', async () => {
    const outcome = await cli(['snapshot']);
    expect(outcome.code).toBe(0);
    expectInert(outcome);
    const row = outcome.stdout
      .split('\n')
      .find((line) => line.startsWith(String(child.pid)) || line.includes(` ${child.pid} `));
    expect(row).toContain(escapeForTerminal(name));
    expect(row).toContain(escapeForTerminal(`sleep 30; exit 0 \u001b]0;pwned\u0007\r\u009b2J`));
  });
});

describe('terminal injection through arguments echoed in error messages', () => {
  it.each(ARGUMENT_CASES)('escapes %s', async (_what, args) => {
    const outcome = await cli(args);
    expectInert(outcome);
    expect(outcome.code).not.toBe(0);
    expect(outcome.stdout + outcome.stderr).toMatch(/\\x1b|\\u\{202e\}/);
  });
});
