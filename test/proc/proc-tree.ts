/**
 * Writes fixture /proc trees into temp directories: the tests state exactly
 * what each file holds (odd names, kernel threads, vanished and unreadable
 * entries) and the readers are pointed at the tree through procRoot.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** One process directory. Omitted files do not exist; `'directory'` makes the file unreadable (EISDIR). */
export interface FixtureProcess {
  stat?: string;
  status?: string;
  cmdline?: string | Buffer;
  comm?: string;
  io?: string | 'directory';
  /** fd number -> link target (`socket:[123]`, `/dev/null`). */
  fds?: Record<number, string>;
  exe?: string;
}

export interface FixtureTree {
  /** Files relative to the root: `net/tcp`, `stat`, `uptime`, `meminfo`, `self/mounts`, ... */
  files?: Record<string, string>;
  pids?: Record<number, FixtureProcess>;
}

const created: string[] = [];

/** Writes `tree` under a fresh temp directory and returns its path (removed by `removeProcTrees`). */
export function writeProcTree(tree: FixtureTree): string {
  const root = mkdtempSync(join(tmpdir(), 'logsleuth-proc-'));
  created.push(root);
  for (const [path, text] of Object.entries(tree.files ?? {})) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  for (const [pid, p] of Object.entries(tree.pids ?? {})) {
    const dir = join(root, pid);
    mkdirSync(dir, { recursive: true });
    for (const name of ['stat', 'status', 'cmdline', 'comm'] as const) {
      const content = p[name];
      if (content !== undefined) writeFileSync(join(dir, name), content);
    }
    if (p.io === 'directory') mkdirSync(join(dir, 'io'));
    else if (p.io !== undefined) writeFileSync(join(dir, 'io'), p.io);
    if (p.fds) {
      mkdirSync(join(dir, 'fd'));
      for (const [fd, target] of Object.entries(p.fds)) symlinkSync(target, join(dir, 'fd', fd));
    }
    if (p.exe) symlinkSync(p.exe, join(dir, 'exe'));
  }
  return root;
}

/** Removes every tree written so far (call in afterAll). */
export function removeProcTrees(): void {
  for (const root of created.splice(0)) rmSync(root, { recursive: true, force: true });
}

/** The fields of a stat line that tests vary; the rest are realistic constants. */
export interface StatFields {
  pid: number;
  name: string;
  state?: string;
  ppid: number;
  flags?: number;
  utime?: number;
  stime?: number;
  threads?: number;
  start?: number;
  vsize?: number;
  rssPages?: number;
}

/** A /proc/[pid]/stat line with all 52 fields, as Linux 6 prints it. */
export function statLine(f: StatFields): string {
  const after = [
    f.state ?? 'S',
    f.ppid,
    f.pid,
    f.pid,
    0,
    -1,
    f.flags ?? 4194560,
    120,
    0,
    0,
    0,
    f.utime ?? 0,
    f.stime ?? 0,
    0,
    0,
    20,
    0,
    f.threads ?? 1,
    0,
    f.start ?? 100,
    f.vsize ?? 0,
    f.rssPages ?? 0,
    '18446744073709551615',
    1,
    1,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    17,
    1,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
  ];
  return `${f.pid} (${f.name}) ${after.join(' ')}\n`;
}

/** A /proc/[pid]/status with the lines logsleuth reads. */
export function statusText(s: {
  name: string;
  pid: number;
  ppid: number;
  uid: number;
  threads?: number;
  rssKb?: number;
  sizeKb?: number;
  voluntary?: number;
  nonvoluntary?: number;
}): string {
  const lines = [
    `Name:\t${s.name.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`,
    'Umask:\t0022',
    'State:\tS (sleeping)',
    `Tgid:\t${s.pid}`,
    `Pid:\t${s.pid}`,
    `PPid:\t${s.ppid}`,
    `Uid:\t${s.uid}\t${s.uid}\t${s.uid}\t${s.uid}`,
    `Gid:\t${s.uid}\t${s.uid}\t${s.uid}\t${s.uid}`,
  ];
  if (s.sizeKb !== undefined)
    lines.push(`VmPeak:\t${String(s.sizeKb).padStart(8)} kB`, `VmSize:\t${String(s.sizeKb).padStart(8)} kB`);
  if (s.rssKb !== undefined)
    lines.push(`VmHWM:\t${String(s.rssKb).padStart(8)} kB`, `VmRSS:\t${String(s.rssKb).padStart(8)} kB`);
  lines.push(`Threads:\t${s.threads ?? 1}`);
  lines.push(`voluntary_ctxt_switches:\t${s.voluntary ?? 0}`, `nonvoluntary_ctxt_switches:\t${s.nonvoluntary ?? 0}`);
  return lines.join('\n') + '\n';
}

/** A /proc/[pid]/io with the given counters. */
export function ioText(io: {
  rchar?: number;
  wchar?: number;
  syscr?: number;
  syscw?: number;
  read?: number;
  write?: number;
}): string {
  return (
    [
      `rchar: ${io.rchar ?? 0}`,
      `wchar: ${io.wchar ?? 0}`,
      `syscr: ${io.syscr ?? 0}`,
      `syscw: ${io.syscw ?? 0}`,
      `read_bytes: ${io.read ?? 0}`,
      `write_bytes: ${io.write ?? 0}`,
      'cancelled_write_bytes: 0',
    ].join('\n') + '\n'
  );
}

/** A process with consistent stat, status, cmdline and comm. */
export function fixtureProcess(p: {
  pid: number;
  ppid: number;
  name: string;
  argv?: string[];
  uid?: number;
  state?: string;
  utime?: number;
  stime?: number;
  start?: number;
  rssKb?: number;
  threads?: number;
  kernel?: boolean;
  fds?: Record<number, string>;
  io?: string | 'directory';
}): FixtureProcess {
  const argv = p.argv ?? (p.kernel ? [] : [p.name]);
  return {
    stat: statLine({
      pid: p.pid,
      name: p.name,
      ppid: p.ppid,
      state: p.state,
      utime: p.utime,
      stime: p.stime,
      start: p.start,
      threads: p.threads,
      flags: p.kernel ? 0x00208040 : 0x00400100,
      rssPages: p.kernel ? 0 : Math.round((p.rssKb ?? 4096) / 4),
      vsize: p.kernel ? 0 : (p.rssKb ?? 4096) * 4096,
    }),
    status: statusText({
      name: p.name,
      pid: p.pid,
      ppid: p.ppid,
      uid: p.uid ?? 0,
      threads: p.threads,
      rssKb: p.kernel ? undefined : (p.rssKb ?? 4096),
      sizeKb: p.kernel ? undefined : (p.rssKb ?? 4096) * 4,
    }),
    cmdline: argv.length === 0 ? '' : argv.join('\0') + '\0',
    comm: `${p.name}\n`,
    io: p.io ?? ioText({}),
    fds: p.fds ?? {},
  };
}

/** /proc/stat with a boot time and CPU line. */
export const SYSTEM_STAT =
  [
    'cpu  21131 0 4247 108174 112 0 154 35 0 0',
    'cpu0 10000 0 2000 54000 50 0 80 20 0 0',
    'cpu1 11131 0 2247 54174 62 0 74 15 0 0',
    'intr 1 2 3',
    'ctxt 123456',
    'btime 1795313390',
    'processes 12994',
    'procs_running 2',
    'procs_blocked 0',
  ].join('\n') + '\n';
