/**
 * The syscall tracer's parser throughput on a generated `strace -f -tt -T -yy`
 * log of 600,000 lines, built in memory before timing: six processes (a shell
 * that clones workers which exec, read config files, stat and unlink temp
 * files, connect to TCP peers, accept on a listener, talk over Unix sockets),
 * with `<unfinished ...>`/`<... resumed>` pairs across threads, failed calls
 * (ENOENT, EAGAIN, ECONNREFUSED), quoted strings with escapes, signals and
 * exits. Two figures: `parseStraceLine` alone (the target: >= 300,000 lines/s)
 * and the whole tracer (`SyscallTracer.line`: parse, pair halves, count per
 * syscall, path, peer and process).
 *
 * Then the traced program's slowdown: a Python loop of 100,000 calls (50,000
 * `stat` and 50,000 `pread` of one file) timed by the program itself (so
 * neither Python's start nor strace's attach counts), run plainly, under
 * `strace -f -ttt -T -yy -o /dev/null` (strace's own cost), under the same strace
 * writing to a FIFO that `cat` empties (the pipe's cost), and under `trace()`
 * (the same strace writing to the FIFO the tracer reads), best of three each.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { trace } from '../src/trace';
import { SyscallTracer } from '../src/tracers/syscall';
import { parseStraceLine } from '../src/tracers/syscall/line';
import type { Figure } from './run';

export const name = 'syscall';

const TOTAL = 600_000;
const PIDS = [4242, 4243, 4244, 4245, 4246, 4247];

function stamp(i: number): string {
  // One simulated hour from 13:00:00, ~6 µs per line.
  const micros = 13 * 3600 * 1e6 + i * 6;
  const s = Math.floor(micros / 1e6);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}.${String(micros % 1e6).padStart(6, '0')}`;
}

function duration(n: number): string {
  return `<0.${String(8 + (n % 9000)).padStart(6, '0')}>`;
}

/** The lines of one pid's call at position `i`; a few calls come as an unfinished/resumed pair. */
function callLines(pid: number, i: number, roll: number): string[] {
  const head = `${pid}  ${stamp(i)} `;
  const fd = 3 + (roll % 7);
  const port = 40000 + (roll % 20000);
  switch (roll % 16) {
    case 0:
      return [
        `${head}openat(AT_FDCWD</srv/app>, "/etc/app/config-${roll % 40}.yaml", O_RDONLY|O_CLOEXEC) = ${fd}</etc/app/config-${roll % 40}.yaml> ${duration(roll)}`,
      ];
    case 1:
      return [
        `${head}openat(AT_FDCWD</srv/app>, "/usr/lib/x86_64-linux-gnu/libfoo.so.${roll % 5}", O_RDONLY|O_CLOEXEC) = -1 ENOENT (No such file or directory) ${duration(roll)}`,
      ];
    case 2:
      return [
        `${head}read(${fd}</etc/app/config-${roll % 40}.yaml>, "listen: 127.0.0.1:8080\\nworkers: 4\\n\\t# caf\\303\\251 \\"quoted\\"\\n"..., 4096) = 4096 ${duration(roll)}`,
      ];
    case 3:
      return [
        `${head}write(1</dev/pts/3<char 136:3>>, "GET /api/orders?id=${roll} 200 \\33[32mOK\\33[0m\\n", 42) = 42 ${duration(roll)}`,
      ];
    case 4:
      return [
        `${head}newfstatat(AT_FDCWD</srv/app>, "/tmp/app-cache/${roll % 300}.tmp", {st_mode=S_IFREG|0644, st_size=${roll % 65536}, ...}, 0) = 0 ${duration(roll)}`,
      ];
    case 5:
      return [`${head}unlink("/tmp/app-cache/${roll % 300}.tmp") = 0 ${duration(roll)}`];
    case 6:
      return [
        `${head}connect(${fd}<TCP:[10.0.0.5:${port}]>, {sa_family=AF_INET, sin_port=htons(5432), sin_addr=inet_addr("10.0.0.${roll % 250}")}, 16) = 0 ${duration(roll)}`,
      ];
    case 7:
      return [
        `${head}connect(${fd}<TCP:[10.0.0.5:${port}]>, {sa_family=AF_INET, sin_port=htons(6379), sin_addr=inet_addr("203.0.113.${roll % 250}")}, 16) = -1 ECONNREFUSED (Connection refused) ${duration(roll)}`,
      ];
    case 8:
      return [
        `${head}sendto(${fd}<TCP:[10.0.0.5:${port}->10.0.0.${roll % 250}:5432]>, "Q\\0\\0\\0\\37SELECT * FROM orders\\0", 32, MSG_NOSIGNAL, NULL, 0) = 32 ${duration(roll)}`,
      ];
    case 9:
      return [
        `${head}recvfrom(${fd}<TCP:[10.0.0.5:${port}->10.0.0.${roll % 250}:5432]>, "T\\0\\0\\0\\36\\0\\1id\\0\\0\\0@\\2\\0\\1\\0\\0\\0\\27\\0\\4\\377\\377\\377\\377", 16384, 0, NULL, NULL) = 1024 ${duration(roll)}`,
      ];
    case 10:
      return [
        `${head}recvfrom(${fd}<TCP:[10.0.0.5:${port}->10.0.0.${roll % 250}:5432]>, 0x7ffd5c3a1000, 16384, 0, NULL, NULL) = -1 EAGAIN (Resource temporarily unavailable) ${duration(roll)}`,
      ];
    case 11:
      return [
        `${head}sendmsg(${fd}<UNIX-STREAM:[${30000 + roll}->${31000 + roll}]>, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="\\1\\0\\0\\0", iov_len=4}], msg_iovlen=1, msg_controllen=0, msg_flags=0}, MSG_NOSIGNAL) = 4 ${duration(roll)}`,
      ];
    case 12:
      // A worker blocks in accept while another thread runs: the call comes in two halves.
      return [
        `${head}accept4(3<TCP:[0.0.0.0:8080]>,  <unfinished ...>`,
        `${head}<... accept4 resumed>{sa_family=AF_INET, sin_port=htons(${port}), sin_addr=inet_addr("198.51.100.${roll % 250}")}, [16], SOCK_CLOEXEC) = ${fd}<TCP:[127.0.0.1:8080->198.51.100.${roll % 250}:${port}]> ${duration(roll)}`,
      ];
    case 13:
      return [
        `${head}futex(0x7f3a1c0009d0, FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME, 0, NULL, FUTEX_BITSET_MATCH_ANY <unfinished ...>`,
        `${head}<... futex resumed>) = 0 ${duration(roll)}`,
      ];
    case 14:
      return [
        `${head}epoll_wait(5<anon_inode:[eventpoll]>, [{events=EPOLLIN, data={u32=${fd}, u64=${fd}}}], 1024, 100) = 1 ${duration(roll)}`,
      ];
    default:
      return [`${head}close(${fd}</etc/app/config-${roll % 40}.yaml>) = 0 ${duration(roll)}`];
  }
}

/** The whole log: a clone and an exec per worker first, calls interleaved across pids, exits last. */
function generate(): string[] {
  const lines: string[] = [];
  const leader = PIDS[0]!;
  for (const pid of PIDS.slice(1)) {
    lines.push(
      `${leader}  ${stamp(lines.length)} clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f3a1c1d6a10) = ${pid} ${duration(pid)}`,
      `${pid}  ${stamp(lines.length)} execve("/usr/bin/app-worker", ["app-worker", "--id", "${pid}"], 0x7ffd5c3a2e08 /* 24 vars */) = 0 ${duration(pid)}`,
    );
  }
  let state = 0x2545f491;
  while (lines.length < TOTAL - 2 * PIDS.length) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    const roll = state >>> 8;
    const pid = PIDS[roll % PIDS.length]!;
    const pair = callLines(pid, lines.length, roll >>> 3);
    if (pair.length === 2) {
      // Another pid's call lands between the two halves, as strace prints them.
      const other = PIDS[(roll + 1) % PIDS.length]!;
      lines.push(pair[0]!, ...callLines(other, lines.length + 1, (roll >>> 5) | 1), pair[1]!);
    } else {
      lines.push(pair[0]!);
    }
    if (roll % 5000 === 0)
      lines.push(
        `${pid}  ${stamp(lines.length)} --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=${pid + 100}, si_uid=1000, si_status=0, si_utime=0, si_stime=0} ---`,
      );
  }
  for (const pid of PIDS.slice(1).reverse()) lines.push(`${pid}  ${stamp(lines.length)} +++ exited with 0 +++`);
  lines.push(`${leader}  ${stamp(lines.length)} +++ exited with 0 +++`);
  return lines;
}

function linesPerSecond(lines: readonly string[], take: (line: string) => void): number {
  const start = process.hrtime.bigint();
  for (const line of lines) take(line);
  return lines.length / (Number(process.hrtime.bigint() - start) / 1e9);
}

const CALLS = 100_000;
const WORKLOAD = `
import os, sys, time
fd = os.open("/etc/hostname", os.O_RDONLY)
start = time.perf_counter()
for _ in range(${CALLS / 2}):
    os.stat("/etc/hostname")
    os.pread(fd, 64, 0)
print(time.perf_counter() - start, file=sys.stderr)
`;

/** The loop's own seconds, as the program printed them on stderr. */
function loopSeconds(stderr: string): number {
  const seconds = Number(stderr.trim().split('\n').pop());
  if (!(seconds > 0)) throw new Error(`the workload printed no time: ${stderr.slice(0, 200)}`);
  return seconds;
}

function plain(command: string, args: string[]): number {
  const run = spawnSync(command, args, { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`${command} failed: ${run.stderr.slice(0, 200)}`);
  return loopSeconds(run.stderr);
}

const STRACE = ['-f', '-q', '-ttt', '-T', '-yy'];

/** The workload under strace writing to a FIFO that `cat` reads to /dev/null. */
async function throughCat(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'logsleuth-bench-'));
  const fifo = join(dir, 'fifo');
  try {
    execFileSync('mkfifo', [fifo]);
    const cat = spawn('cat', [fifo], { stdio: 'ignore' });
    const done = new Promise((resolve) => cat.once('exit', resolve));
    const seconds = plain('strace', [...STRACE, '-o', fifo, '/usr/bin/python3', '-c', WORKLOAD]);
    await done;
    return seconds;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function traced(): Promise<{ seconds: number; calls: number }> {
  let stderr = '';
  const result = await trace({
    command: ['/usr/bin/python3', '-c', WORKLOAD],
    programOutput: 'ignore',
    onStderr: (chunk) => void (stderr += chunk.toString('utf8')),
  });
  const count = (name: string) => result.syscall.syscalls.find((s) => s.name === name)?.count ?? 0;
  return { seconds: loopSeconds(stderr), calls: count('newfstatat') + count('stat') + count('pread64') };
}

/** The workload plainly, under strace to /dev/null, and under `trace()`: best of three each. */
async function slowdown(): Promise<Figure[]> {
  const python = ['-c', WORKLOAD];
  const best = (runs: number[]) => Math.min(...runs);
  const bare = best([0, 1, 2].map(() => plain('/usr/bin/python3', python)));
  const strace = best(
    [0, 1, 2].map(() => plain('strace', [...STRACE, '-o', '/dev/null', '/usr/bin/python3', ...python])),
  );
  const cats = [];
  for (let i = 0; i < 3; i++) cats.push(await throughCat());
  const cat = best(cats);
  const runs = [];
  for (let i = 0; i < 3; i++) runs.push(await traced());
  const tracedBest = best(runs.map((r) => r.seconds));
  const load = loadavg()[0]!.toFixed(1);
  const perCall = (seconds: number) => `${((seconds / CALLS) * 1e6).toFixed(2)} µs a call`;
  return [
    {
      measure: 'workload, not traced',
      value: bare * 1000,
      unit: 'ms',
      note: `${CALLS.toLocaleString('en-US')} stat+pread calls in a Python loop; ${perCall(bare)}; load average ${load}`,
    },
    {
      measure: 'workload under strace -f -ttt -T -yy -o /dev/null',
      value: strace / bare,
      unit: 'x slower',
      note: `${strace.toFixed(3)} s; ${perCall(strace)}`,
    },
    {
      measure: 'workload under the same strace -o FIFO, read by cat',
      value: cat / bare,
      unit: 'x slower',
      note: `${cat.toFixed(3)} s; ${perCall(cat)}`,
    },
    {
      measure: 'workload under trace() (strace to the FIFO, read by the tracer)',
      value: tracedBest / bare,
      unit: 'x slower',
      note: `${tracedBest.toFixed(3)} s; ${perCall(tracedBest)}; the tracer counted ${runs[0]!.calls.toLocaleString('en-US')} stat and pread64 calls (the loop's and Python's start's)`,
    },
  ];
}

export async function run(): Promise<Figure[]> {
  const lines = generate();
  const megabytes = lines.reduce((sum, line) => sum + line.length + 1, 0) / 2 ** 20;
  const input = `${lines.length.toLocaleString('en-US')} lines, ${megabytes.toFixed(0)} MiB, ${PIDS.length} pids`;
  // Warm-up pass so the figure is the optimised parser's, then the best of three.
  let garbage = 0;
  const parse = (line: string) => {
    if (parseStraceLine(line).kind === 'garbage') garbage++;
  };
  linesPerSecond(lines, parse);
  garbage = 0;
  const parsed = Math.max(...[0, 1, 2].map(() => linesPerSecond(lines, parse)));
  const tracer = new SyscallTracer({ dayStart: Date.UTC(2026, 11, 7) });
  const traced = linesPerSecond(lines, (line) => tracer.line(line));
  tracer.finish();
  const report = tracer.report();
  const figures: Figure[] = [
    {
      measure: 'parseStraceLine',
      value: parsed,
      unit: 'lines/s',
      note: `${input}; target >= 300,000; ${garbage / 3} garbage per pass`,
    },
    {
      measure: 'SyscallTracer.line (parse + aggregate)',
      value: traced,
      unit: 'lines/s',
      note: `${report.lines.calls.toLocaleString('en-US')} calls, ${report.lines.orphanResumed} orphan resumed, top ${report.paths.length} paths and ${report.peers.length} peers reported, ${report.processes.length} processes`,
    },
  ];
  return [...figures, ...(await slowdown())];
}
