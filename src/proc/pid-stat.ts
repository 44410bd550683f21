/**
 * /proc/[pid]/stat: one line, `pid (comm) state ppid ...`. The name is the
 * executable's (or a thread's chosen) name and may itself hold spaces and
 * parentheses (`(sd-pam)`, `a) b (c`), so the fields are read after the *last*
 * `)`, as procps does.
 */
import { fields, decimal, signedDecimal } from './text';

/** The kernel's flag for kernel threads (PF_KTHREAD in include/linux/sched.h). */
const PF_KTHREAD = 0x00200000;

/** What logsleuth uses of /proc/[pid]/stat. Times are in clock ticks. */
export interface ProcStat {
  pid: number;
  /** The name between the parentheses (at most 15 bytes, the kernel's comm). */
  name: string;
  /** One letter: R running, S sleeping, D disk sleep, Z zombie, T stopped, t traced, I idle, X dead. */
  state: string;
  ppid: number;
  pgrp: number;
  session: number;
  flags: number;
  utime: number;
  stime: number;
  priority: number;
  nice: number;
  threads: number;
  /** Start time in clock ticks after boot. */
  startTicks: number;
  /** Virtual memory size in bytes. */
  vsize: number;
  /** Resident set size in pages. */
  rssPages: number;
  /** Whether the process is a kernel thread. */
  kernelThread: boolean;
}

/** Parses a stat line; undefined when it is malformed. */
export function parseProcStat(text: string): ProcStat | undefined {
  const open = text.indexOf(' (');
  const close = text.lastIndexOf(')');
  if (open <= 0 || close < open) return undefined;
  const pid = decimal(text.slice(0, open));
  // f[0] is field 3 (state) in proc(5)'s numbering.
  const f = fields(text.slice(close + 1).replace('\n', ''));
  const at = (field: number) => signedDecimal(f[field - 3]);
  const state = f[0];
  const values = [at(4), at(5), at(6), at(9), at(14), at(15), at(18), at(19), at(20), at(22), at(23), at(24)];
  if (pid === undefined || state === undefined || state.length !== 1 || values.some((v) => v === undefined)) {
    return undefined;
  }
  const [ppid, pgrp, session, flags, utime, stime, priority, nice, threads, startTicks, vsize, rssPages] =
    values as number[];
  return {
    pid,
    name: text.slice(open + 2, close),
    state,
    ppid: ppid!,
    pgrp: pgrp!,
    session: session!,
    flags: flags!,
    utime: utime!,
    stime: stime!,
    priority: priority!,
    nice: nice!,
    threads: threads!,
    startTicks: startTicks!,
    vsize: vsize!,
    rssPages: rssPages!,
    // flags is an unsigned int, so within 32 bits: a bitwise test is exact.
    kernelThread: (flags! & PF_KTHREAD) !== 0,
  };
}
