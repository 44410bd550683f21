/**
 * `logsleuth trace` when things go wrong: strace missing, a pid that does
 * not exist or exits during the trace, a command that does not exist or exits
 * at once, awkward writes (escapes, 64 KiB) and many children. Each test has its
 * own timeout, so a trace that never ends fails the test instead of hanging jest.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TraceResult } from '../../../src/trace';
import { cli } from '../../helpers/cli';

const ROOT = join(__dirname, '..', '..', '..');
const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const MAIN = join(ROOT, 'src', 'cli', 'main.ts');
const dir = mkdtempSync(join(tmpdir(), 'logsleuth-trace-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const python = (code: string, ...flags: string[]) => [
  'trace',
  '--json',
  ...flags,
  '--',
  '/usr/bin/python3',
  '-c',
  code,
];

const LIMIT = 30_000;

/** Node's arguments for a child logsleuth run from the sources (its own process, env and signals). */
const childArgs = (args: string[]): string[] => [
  TSX,
  '-e',
  `require(${JSON.stringify(MAIN)}).main(['node', 'logsleuth', ...process.argv.slice(1)]).then((c) => process.exit(c))`,
  '--',
  ...args,
];
// Making the kernel refuse ptrace takes root: a process of another user, and a strace without CAP_SYS_PTRACE.
const asRoot = process.getuid?.() === 0 ? it : it.skip;

/** Python that waits until a tracer holds it. */
const UNTIL_TRACED =
  'import os, time\nwhile "TracerPid:\\t0\\n" in open("/proc/self/status").read(): time.sleep(0.01)\n';

/** Resolves once `pid` runs `comm` (its exec is done). */
async function running(pid: number, comm: string): Promise<void> {
  while (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== comm) await new Promise((r) => setTimeout(r, 20));
}

describe('logsleuth trace faults', () => {
  // Jest gives the test its own copy of process.env, so PATH is changed for a child logsleuth.
  it(
    'says strace is missing, with the package to install, when it is not on the PATH',
    () => {
      const bin = join(dir, 'bin');
      mkdirSync(bin);
      symlinkSync('/usr/bin/mkfifo', join(bin, 'mkfifo'));
      const result = spawnSync(process.execPath, childArgs(['trace', '--', '/bin/true']), {
        encoding: 'utf8',
        env: { PATH: bin },
      });
      expect(result.status).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain('strace not found');
      expect(result.stderr).toContain('apt-get install strace');
    },
    LIMIT,
  );

  // In process, the trace must end too: a reader left waiting on the FIFO kept jest alive.
  it(
    'says strace is missing when --strace names no program, and leaves nothing running',
    async () => {
      const { code, stdout, stderr } = await cli(['trace', '--strace', join(dir, 'no-strace'), '--', '/bin/true']);
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).toContain('strace not found');
      expect(stderr).toContain('apt-get install strace');
    },
    LIMIT,
  );

  it(
    'refuses a --pid that names no process',
    async () => {
      const { code, stderr } = await cli(['trace', '--pid', '999999999']);
      expect(code).toBe(1);
      expect(stderr).toContain('no process 999999999');
    },
    LIMIT,
  );

  asRoot(
    "says ptrace was refused, naming ptrace_scope, when strace lacks CAP_SYS_PTRACE for another user's process",
    async () => {
      const strace = join(dir, 'strace-without-cap');
      writeFileSync(strace, '#!/bin/sh\nexec setpriv --bounding-set=-sys_ptrace --inh-caps=-sys_ptrace strace "$@"\n');
      chmodSync(strace, 0o755);
      const other = spawn('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'sleep', '30'], {
        stdio: 'ignore',
      });
      try {
        await running(other.pid!, 'sleep');
        const { code, stdout, stderr } = await cli(['trace', '--strace', strace, '--pid', String(other.pid)]);
        expect(code).toBe(1);
        expect(stdout).toBe('');
        expect(stderr).toContain(
          `ptrace refused (attach: ptrace(PTRACE_SEIZE, ${other.pid}): Operation not permitted)`,
        );
        expect(stderr).toContain('/proc/sys/kernel/yama/ptrace_scope');
      } finally {
        other.kill();
      }
    },
    LIMIT,
  );

  it(
    'detaches from a --pid after --duration and leaves it running',
    async () => {
      const child = spawn('sleep', ['30'], { stdio: 'ignore' });
      try {
        await running(child.pid!, 'sleep');
        const { code, stdout } = await cli(['trace', '--json', '--pid', String(child.pid), '--duration', '300ms']);
        expect(code).toBe(0);
        const result = JSON.parse(stdout) as TraceResult;
        expect(result.pid).toBe(child.pid);
        expect(result.exit).toBeNull();
        expect(child.exitCode).toBeNull();
        // Detached: no tracer holds it, and it sleeps on.
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        expect(status).toContain('TracerPid:\t0\n');
        expect(status).toContain('State:\tS (sleeping)\n');
      } finally {
        child.kill();
      }
    },
    LIMIT,
  );

  it(
    'reports a --pid that exits during the trace, with its calls',
    async () => {
      const child = spawn(
        '/usr/bin/python3',
        // It waits until it is traced, so its 50 stats come after the attach however slow the machine.
        ['-c', UNTIL_TRACED + 'for _ in range(50): os.stat("/")'],
        {
          stdio: 'ignore',
        },
      );
      const { code, stdout } = await cli(['trace', '--json', '--pid', String(child.pid)]);
      expect(code).toBe(0);
      const result = JSON.parse(stdout) as TraceResult;
      expect(result.pid).toBe(child.pid);
      expect(result.syscall.processes.find((p) => p.pid === child.pid)?.exitCode).toBe(0);
      const stats = result.syscall.syscalls.find((s) => s.name === 'newfstatat' || s.name === 'stat');
      expect(stats?.count).toBeGreaterThanOrEqual(50);
    },
    LIMIT,
  );

  it(
    'reports a command that does not exist as a failed trace',
    async () => {
      const { code, stderr } = await cli(['trace', '--', join(dir, 'no-such-program')]);
      expect(code).toBe(1);
      expect(stderr).toContain('strace failed');
      expect(stderr).toContain('no-such-program');
    },
    LIMIT,
  );

  it(
    'reports a command that exits at once',
    async () => {
      const { code, stdout } = await cli(['trace', '--json', '--', '/bin/true']);
      expect(code).toBe(0);
      const result = JSON.parse(stdout) as TraceResult;
      expect(result.exit).toEqual({ code: 0, signal: null });
      expect(result.syscall.processes.length).toBe(1);
    },
    LIMIT,
  );

  // Written to stderr, which reaches the CLI's own stderr untouched (stdout would go to jest's).
  it(
    'survives binary, terminal-escape and 64 KiB strings at --string-size 65536',
    async () => {
      const code = "import os; os.write(2, b'\\x1b]0;owned\\x07\\x00\\xff' + b'A' * 65536)";
      const { code: status, stdout, stderr } = await cli(python(code, '--string-size', '65536'));
      expect(status).toBe(0);
      const result = JSON.parse(stdout) as TraceResult;
      expect(result.syscall.lines.garbage).toBe(0);
      const write = result.syscall.syscalls.find((s) => s.name === 'write');
      expect(write?.count).toBe(1);
      expect(stderr).toContain('\x1b]0;owned\x07\x00');
      expect(stderr).toContain('A'.repeat(65536));
    },
    LIMIT,
  );

  // 1 MiB of 0xff is printed as `\\377` each: a line of 4 Mi characters and more, which is skipped and counted.
  it(
    'skips and counts a line of strace output over 4 MiB, and still reports',
    async () => {
      const code = "import os; fd = os.open('/dev/null', os.O_WRONLY); os.write(fd, b'\\xff' * 1048576)";
      const { code: status, stdout } = await cli(python(code, '--string-size', '1048576'));
      expect(status).toBe(0);
      const result = JSON.parse(stdout) as TraceResult;
      expect(result.overlongLines).toBe(1);
      expect(result.syscall.syscalls.find((s) => s.name === 'write')).toBeUndefined();
      expect(result.exit).toEqual({ code: 0, signal: null });
    },
    LIMIT,
  );

  it(
    'reports every child of a program that forks a thousand of them',
    async () => {
      const code =
        'import os\nfor _ in range(1000):\n    pid = os.fork()\n    if pid == 0: os._exit(0)\n    os.waitpid(pid, 0)';
      const { code: status, stdout } = await cli(python(code));
      expect(status).toBe(0);
      const result = JSON.parse(stdout) as TraceResult;
      // The report lists a bounded tree and counts the rest: 1,001 processes in all, each exited 0.
      const listed = result.syscall.processes;
      expect(listed.length + result.syscall.dropped.processes).toBe(1001);
      expect(listed.length).toBeLessThan(1001);
      expect(listed.every((p) => p.exitCode === 0)).toBe(true);
    },
    LIMIT,
  );
});

describe('Ctrl-C', () => {
  it(
    'stops the trace, ends the traced program and still prints the report',
    async () => {
      const marker = join(dir, 'ctrl-c-marker');
      const code = `${UNTIL_TRACED}open(${JSON.stringify(marker)}, "w").close()\ntime.sleep(60)`;
      // Its own process group, as a shell gives a foreground job: Ctrl-C signals the whole group.
      const child = spawn(process.execPath, childArgs(python(code)), {
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
      child.stderr!.resume();
      const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
      while (!existsSync(marker)) await new Promise((r) => setTimeout(r, 20));
      process.kill(-child.pid!, 'SIGINT');
      await exited;
      const result = JSON.parse(stdout) as TraceResult;
      expect(result.command).toEqual(['/usr/bin/python3', '-c', code]);
      expect(result.syscall.paths.map((p) => p.path)).toContain(marker);
      // Nothing of the group is left running.
      expect(() => process.kill(-child.pid!, 0)).toThrow();
    },
    LIMIT,
  );
});
