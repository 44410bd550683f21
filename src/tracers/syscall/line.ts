/**
 * One line of strace's output (`-f -tt|-ttt -T -yy`), read by a hand scanner:
 *
 * ```
 * 9571  1733490342.275269 openat(AT_FDCWD</tmp>, "/x", O_RDONLY) = -1 ENOENT (No such file or directory) <0.000024>
 * 9587  1733490342.415382 accept4(3<TCP:[127.0.0.1:41059]>,  <unfinished ...>
 * 9587  1733490342.426632 <... accept4 resumed>{sa_family=AF_INET, ...}, [16], SOCK_CLOEXEC) = 4<TCP:[...]> <0.011213>
 * 9571  1733490342.450308 --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, ...} ---
 * 9571  1733490342.460534 +++ exited with 0 +++
 * [pid  9953] 13:06:30.895925 +++ killed by SIGKILL (core dumped) +++
 * ```
 *
 * Every line gives one flat record (one shape, so the hot loop stays
 * monomorphic); a line that is not strace's is `garbage`, never an exception.
 */
import { findArgsEnd, skipAnnotation } from './scan';

/** What a line is. */
export type LineKind =
  /** A whole call: name, arguments, result. */
  | 'call'
  /** The first half of a call another thread interrupted (`<unfinished ...>`). */
  | 'unfinished'
  /** The second half (`<... name resumed>`): the rest of the arguments and the result. */
  | 'resumed'
  /** A signal delivered: `--- SIGCHLD {...} ---`. */
  | 'signal'
  /** `+++ exited with N +++`. */
  | 'exit'
  /** `+++ killed by SIGKILL +++`. */
  | 'killed'
  /** strace's own notes (`+++ superseded by execve +++`, `<detached ...>`, `Process N attached`). */
  | 'note'
  /** A row of the `-c`/`-C` summary table. */
  | 'summary'
  /** Not strace's output, or cut short. */
  | 'garbage';

/** One parsed line. Fields that do not apply hold their empty value (`''`, -1, NaN). */
export interface StraceLine {
  kind: LineKind;
  /** Thread id (the pid for a single-threaded process); -1 when the line has no prefix. */
  pid: number;
  /** Seconds: since the epoch with `-ttt`, since midnight with `-tt`/`-t`; NaN without a stamp. */
  time: number;
  /** Syscall name (`call`, `unfinished`, `resumed`), signal name (`signal`, `killed`). */
  name: string;
  /** Argument text without the parentheses (for `resumed`: the rest after `resumed>`). For `signal`: the siginfo. */
  args: string;
  /** The result text after `= ` without the duration (`-1 ENOENT (No such file or directory)`). */
  ret: string;
  /** The numeric result; NaN for `?` (a call that never returned) or an unreadable result. */
  value: number;
  /** errno name of a failed call (`ENOENT`, `ERESTARTSYS`), else `''`. */
  errno: string;
  /** The fd annotation of the result (`/etc/passwd`, `TCP:[...]`), without the brackets, else `''`. */
  retTarget: string;
  /** Time spent in the call, seconds (`-T`); NaN when absent. */
  duration: number;
  /** Exit code (`exit`), -1 otherwise; `killed` sets 1 when the core was dumped. */
  code: number;
}

function blank(kind: LineKind, pid: number, time: number): StraceLine {
  return {
    kind,
    pid,
    time,
    name: '',
    args: '',
    ret: '',
    value: NaN,
    errno: '',
    retTarget: '',
    duration: NaN,
    code: -1,
  };
}

const isDigit = (c: number) => c >= 0x30 && c <= 0x39;

/** Reads the leading decimal digits at `i`; returns [value, next index] or undefined. */
function digitsAt(text: string, i: number): number {
  let value = 0;
  const start = i;
  while (i < text.length && isDigit(text.charCodeAt(i)) && i - start < 16)
    value = value * 10 + (text.charCodeAt(i++) - 0x30);
  scanEnd = i;
  return i === start ? -1 : value;
}
/** Where the last `digitsAt` stopped (a module slot instead of a tuple: no allocation per line). */
let scanEnd = 0;

/** Reads `HH:MM:SS[.uuuuuu]` or `SSSSSSSSSS.uuuuuu` at `i`; NaN when absent. Sets `scanEnd`. */
function timeAt(text: string, i: number): number {
  const first = digitsAt(text, i);
  if (first < 0) return NaN;
  let seconds = first;
  let j = scanEnd;
  if (text.charCodeAt(j) === 0x3a) {
    const minutes = digitsAt(text, j + 1);
    if (minutes < 0 || text.charCodeAt(scanEnd) !== 0x3a) return NaN;
    const secs = digitsAt(text, scanEnd + 1);
    if (secs < 0) return NaN;
    seconds = first * 3600 + minutes * 60 + secs;
    j = scanEnd;
  }
  if (text.charCodeAt(j) === 0x2e) {
    const fracStart = j + 1;
    const frac = digitsAt(text, fracStart);
    if (frac < 0) return NaN;
    seconds += frac / 10 ** (scanEnd - fracStart);
    j = scanEnd;
  }
  scanEnd = j;
  return seconds;
}

/** Parses the `<0.000123>` at the end of `text` (ending at `end`); NaN when absent. Sets `scanEnd` to its `<`-1. */
function durationAt(text: string, end: number): number {
  if (text.charCodeAt(end - 1) !== 0x3e) return NaN;
  let i = end - 2;
  while (i >= 0 && (isDigit(text.charCodeAt(i)) || text.charCodeAt(i) === 0x2e)) i--;
  if (i < 1 || text.charCodeAt(i) !== 0x3c || text.charCodeAt(i - 1) !== 0x20 || i === end - 2) return NaN;
  const value = Number(text.slice(i + 1, end - 1));
  if (!Number.isFinite(value)) return NaN;
  scanEnd = i - 1;
  return value;
}

/** Fills `value`, `errno` and `retTarget` from the result text. */
function readResult(line: StraceLine, ret: string): void {
  line.ret = ret;
  let i = 0;
  if (ret.charCodeAt(0) === 0x3f) {
    i = 1; // `?`: the call never returned (exit, a killed thread) or was restarted
  } else {
    const negative = ret.charCodeAt(0) === 0x2d;
    if (negative) i = 1;
    if (ret.charCodeAt(i) === 0x30 && ret.charCodeAt(i + 1) === 0x78) {
      let j = i + 2;
      while (j < ret.length && ret.charCodeAt(j) !== 0x20 && ret.charCodeAt(j) !== 0x3c) j++;
      const hex = Number.parseInt(ret.slice(i + 2, j), 16);
      line.value = negative ? -hex : hex;
      i = j;
    } else {
      const value = digitsAt(ret, i);
      if (value < 0) return;
      line.value = negative ? -value : value;
      i = scanEnd;
    }
    if (ret.charCodeAt(i) === 0x3c) {
      const end = skipAnnotation(ret, i);
      line.retTarget = ret.slice(i + 1, end - 1);
      i = end;
    }
  }
  // ` ENOENT (No such file or directory)`: an errno name starts with E and is upper case.
  if (ret.charCodeAt(i) === 0x20 && ret.charCodeAt(i + 1) === 0x45) {
    let j = i + 1;
    while (j < ret.length) {
      const c = ret.charCodeAt(j);
      if (!((c >= 0x41 && c <= 0x5a) || isDigit(c) || c === 0x5f)) break;
      j++;
    }
    if (j === ret.length || ret.charCodeAt(j) === 0x20) line.errno = ret.slice(i + 1, j);
  }
}

const UNFINISHED = '<unfinished ...>';

/** Whether a name is a syscall name as strace writes it (`openat`, `_llseek`, `syscall_0x1b6`, `???`). */
function isName(text: string, start: number, end: number): boolean {
  if (end <= start || end - start > 64) return false;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (!((c >= 0x61 && c <= 0x7a) || isDigit(c) || c === 0x5f || c === 0x3f || (c >= 0x41 && c <= 0x5a))) return false;
  }
  return true;
}

/** The result part after the arguments' `)`: `= RET <DUR>`; false when absent. */
function readTail(line: StraceLine, text: string, from: number): boolean {
  let i = from;
  while (text.charCodeAt(i) === 0x20) i++;
  if (text.charCodeAt(i) !== 0x3d || text.charCodeAt(i + 1) !== 0x20) return false;
  let end = text.length;
  const duration = durationAt(text, end);
  if (!Number.isNaN(duration)) {
    line.duration = duration;
    end = scanEnd;
  }
  readResult(line, text.slice(i + 2, end));
  return true;
}

/** Whether a line without a pid prefix is a row of strace's `-c` table (`% time`, rules, rows, `total`). */
function isSummaryRow(text: string): boolean {
  const t = text.trimStart();
  if (t.startsWith('% time') || t.startsWith('------')) return true;
  if (t.length === 0 || !isDigit(t.charCodeAt(0)) || t.includes('(')) return false;
  // A row: percent, seconds, usecs/call, calls, [errors,] name.
  let tokens = 0;
  for (let i = 0; i < t.length; i++) {
    if (t.charCodeAt(i) !== 0x20 && (i === 0 || t.charCodeAt(i - 1) === 0x20)) tokens++;
  }
  return tokens >= 5 && tokens <= 6;
}

/** Parses one line (without its newline). Never throws. */
export function parseStraceLine(text: string): StraceLine {
  let i = 0;
  let pid = -1;
  // `[pid  1234] ` (output to stderr) or `1234  ` (-o with -f).
  if (text.startsWith('[pid ')) {
    i = 5;
    while (text.charCodeAt(i) === 0x20) i++;
    pid = digitsAt(text, i);
    if (pid < 0 || text.charCodeAt(scanEnd) !== 0x5d) return blank('garbage', -1, NaN);
    i = scanEnd + 1;
    while (text.charCodeAt(i) === 0x20) i++;
  } else if (isDigit(text.charCodeAt(0))) {
    const value = digitsAt(text, 0);
    const after = scanEnd;
    // A bare number followed by a space is a pid; followed by `:` or `.` it is the time.
    if (text.charCodeAt(after) === 0x20) {
      pid = value;
      i = after;
      while (text.charCodeAt(i) === 0x20) i++;
    }
  }
  let time = NaN;
  if (isDigit(text.charCodeAt(i))) {
    time = timeAt(text, i);
    if (Number.isNaN(time) || text.charCodeAt(scanEnd) !== 0x20) {
      return blank(isSummaryRow(text) ? 'summary' : 'garbage', -1, NaN);
    }
    i = scanEnd + 1;
  }
  const c = text.charCodeAt(i);
  if (c === 0x2d && text.startsWith('--- ', i)) {
    const line = blank('signal', pid, time);
    const space = text.indexOf(' ', i + 4);
    line.name = text.slice(i + 4, space < 0 ? text.length : space);
    if (space >= 0) line.args = text.slice(space + 1, text.endsWith(' ---') ? text.length - 4 : text.length);
    return line;
  }
  if (c === 0x2b && text.startsWith('+++ ', i)) {
    if (text.startsWith('exited with ', i + 4)) {
      const line = blank('exit', pid, time);
      const negative = text.charCodeAt(i + 16) === 0x2d;
      const code = digitsAt(text, i + 16 + (negative ? 1 : 0));
      line.code = negative ? -code : code;
      return line;
    }
    if (text.startsWith('killed by ', i + 4)) {
      const line = blank('killed', pid, time);
      const end = text.indexOf(' ', i + 14);
      line.name = text.slice(i + 14, end < 0 ? text.length : end);
      line.code = text.includes('(core dumped)', i) ? 1 : 0;
      return line;
    }
    const line = blank('note', pid, time);
    line.args = text.slice(i);
    return line;
  }
  if (c === 0x3c && text.startsWith('<... ', i)) {
    const end = text.indexOf(' resumed>', i + 5);
    if (end < 0) return blank('garbage', pid, time);
    const line = blank('resumed', pid, time);
    line.name = text.slice(i + 5, end);
    const restStart = end + 9;
    const close = findArgsEnd(text, restStart);
    if (close < 0) {
      // Resumed and interrupted again (`<... read resumed> <unfinished ...>`) is rare: keep the text.
      line.kind = text.endsWith(UNFINISHED) ? 'unfinished' : 'garbage';
      line.args = text.slice(restStart, line.kind === 'unfinished' ? text.length - UNFINISHED.length : text.length);
      return line;
    }
    line.args = text.slice(restStart, close);
    if (!readTail(line, text, close + 1)) line.kind = 'garbage';
    return line;
  }
  const open = text.indexOf('(', i);
  if (open < 0 || !isName(text, i, open)) {
    if (pid < 0 && isSummaryRow(text)) return blank('summary', -1, NaN);
    const line = blank(pid >= 0 || !Number.isNaN(time) ? 'note' : 'garbage', pid, time);
    line.args = text.slice(i);
    return line;
  }
  const line = blank('call', pid, time);
  line.name = text.slice(i, open);
  const close = findArgsEnd(text, open + 1);
  if (close < 0) {
    if (text.endsWith(UNFINISHED)) {
      line.kind = 'unfinished';
      line.args = text.slice(open + 1, text.length - UNFINISHED.length);
    } else if (text.endsWith('<detached ...>')) {
      line.kind = 'note';
      line.args = text.slice(open + 1);
    } else {
      line.kind = 'garbage';
    }
    return line;
  }
  line.args = text.slice(open + 1, close);
  if (!readTail(line, text, close + 1)) line.kind = 'garbage';
  return line;
}
