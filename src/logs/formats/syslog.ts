/**
 * Syslog as files hold it (RFC 3164 and rsyslog's high-precision variant):
 * `Mmm dd hh:mm:ss host program[pid]: message` or
 * `2015-04-16T18:02:50.321974+00:00 host program[pid]: message`. The host may
 * be missing (`sshd[8148]: ...`), the program bracketed (`[sshd]: ...`); a
 * line with no stamp is read only when it names `program[pid]:` (journal short
 * output).
 */
import { createEvent } from '../../core/event';
import { scanIso, scanSyslogStamp, scanTai64n } from '../time';
import { type LogFormat, type ParseContext, levelOf, pidOf } from './types';

/** A parsed `program[pid]:` token. */
interface ProgramToken {
  program: string;
  pid: number | undefined;
  /** Whether the token carried a `[pid]`. */
  bracketed: boolean;
}

/**
 * Reads `name[pid]:`, `name:`, `[name]:`, `[name]` or `name[pid]` (proftpd's
 * own log writes its tag without the colon); the token without the trailing space.
 */
function programToken(token: string): ProgramToken | undefined {
  let t = token;
  const colon = t.charCodeAt(t.length - 1) === 58;
  if (colon) t = t.slice(0, -1);
  if (t.length === 0 || t.length > 128) return undefined;
  if (t.charCodeAt(0) === 91 && t.charCodeAt(t.length - 1) === 93) {
    const name = t.slice(1, -1);
    return name && !name.includes('[') ? { program: name, pid: undefined, bracketed: true } : undefined;
  }
  const open = t.indexOf('[');
  if (open < 0) return colon ? { program: t, pid: undefined, bracketed: false } : undefined;
  if (open === 0 || t.charCodeAt(t.length - 1) !== 93) return undefined;
  const pid = pidOf(t.slice(open + 1, -1));
  return pid === undefined ? undefined : { program: t.slice(0, open), pid, bracketed: true };
}

/** Whether the token was `[name]` (gunicorn's and nginx's `[error]` look the same). */
function inBrackets(token: ProgramToken): boolean {
  return token.bracketed && token.pid === undefined;
}

/** Splits `[host ]program[pid]: message` after the stamp; undefined when it does not fit. */
export function splitSyslogBody(
  text: string,
  start: number,
  requirePid: boolean,
): { host?: string; program?: string; pid?: number; nameInBrackets?: boolean; message: string } | undefined {
  const s1 = text.indexOf(' ', start);
  const tok1 = s1 < 0 ? text.slice(start) : text.slice(start, s1);
  const rest1 = s1 < 0 ? '' : text.slice(s1 + 1);
  const direct = tok1.length > 0 ? programToken(tok1) : undefined;
  if (direct && (direct.bracketed || !requirePid)) {
    if (requirePid && direct.pid === undefined) return undefined;
    return { program: direct.program, pid: direct.pid, nameInBrackets: inBrackets(direct), message: rest1 };
  }
  if (tok1.length === 0 || s1 < 0) return requirePid ? undefined : { host: tok1 || undefined, message: rest1 };
  const s2 = text.indexOf(' ', s1 + 1);
  const tok2 = s2 < 0 ? text.slice(s1 + 1) : text.slice(s1 + 1, s2);
  const prog = programToken(tok2);
  if (prog && (!requirePid || prog.pid !== undefined)) {
    return {
      host: tok1,
      program: prog.program,
      pid: prog.pid,
      nameInBrackets: inBrackets(prog),
      message: s2 < 0 ? '' : text.slice(s2 + 1),
    };
  }
  return requirePid ? undefined : { host: tok1, message: rest1 };
}

/** Whether a space-separated ISO stamp is followed by a daemon's tag (dovecot's and proftpd's own logs). */
function isPlainProgram(text: string, body: { program?: string; nameInBrackets?: boolean }): boolean {
  return (
    body.program !== undefined &&
    !body.nameInBrackets &&
    text.charCodeAt(4) === 45 && // 2024-01-02, not nginx's 2024/01/02
    levelOf(body.program) === undefined
  );
}

/** RFC 3164 / rsyslog syslog files. */
export const syslogFormat: LogFormat = {
  name: 'syslog',
  accepts(text) {
    const c = text.charCodeAt(0);
    return (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || c === 64;
  },
  parse(line, ctx: ParseContext) {
    const text = line.text;
    let timestamp: number | undefined;
    let at: number;
    const stamp = scanSyslogStamp(text, 0);
    if (stamp) {
      timestamp = ctx.year.resolve(stamp);
      at = stamp.length;
    } else {
      // rsyslog's high-precision stamp is RFC 3339; daemontools and runit write TAI64N.
      const other = text.charCodeAt(0) === 64 ? scanTai64n(text, 0) : scanIso(text, 0, ctx.timezone);
      if (other) {
        timestamp = other.time;
        at = other.length;
      } else {
        at = -1;
      }
    }
    let body;
    if (at < 0) {
      body = splitSyslogBody(text, 0, true);
    } else {
      if (text.charCodeAt(at) !== 32) return undefined;
      at++;
      if (text.charCodeAt(at) === 32) at++;
      body = splitSyslogBody(text, at, false);
      // `2024-01-02 03:04:05 ...` starts half the logs there are (Python's, nginx's errors, MySQL's):
      // syslog only when a plain `program[pid]:` follows, not `[error]` or `ERROR:`.
      if (body && text.charCodeAt(10) === 32 && !isPlainProgram(text, body)) return undefined;
    }
    if (!body) return undefined;
    return createEvent({
      source: line.source,
      line: line.line,
      raw: text,
      format: 'syslog',
      timestamp,
      host: body.host,
      program: body.program,
      pid: body.pid,
      message: body.message,
    });
  },
};
