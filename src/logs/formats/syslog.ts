/**
 * Syslog as files hold it (RFC 3164 and rsyslog's high-precision variant):
 * `Mmm dd hh:mm:ss host program[pid]: message` or
 * `2015-04-16T18:02:50.321974+00:00 host program[pid]: message`. The host may
 * be missing (`sshd[8148]: ...`), the program bracketed (`[sshd]: ...`); a
 * line with no stamp is read only when it names `program[pid]:` (journal short
 * output).
 */
import { createEvent } from '../../core/event';
import { scanIso, scanSyslogStamp } from '../time';
import { type LogFormat, type ParseContext, pidOf } from './types';

/** A parsed `program[pid]:` token. */
interface ProgramToken {
  program: string;
  pid: number | undefined;
  /** Whether the token carried a `[pid]`. */
  bracketed: boolean;
}

/** Reads `name[pid]:`, `name:`, `[name]:` or `[name]` (the token without the trailing space). */
function programToken(token: string, needColon: boolean): ProgramToken | undefined {
  let t = token;
  const colon = t.charCodeAt(t.length - 1) === 58;
  if (colon) t = t.slice(0, -1);
  else if (needColon) return undefined;
  if (t.length === 0 || t.length > 128) return undefined;
  if (t.charCodeAt(0) === 91 && t.charCodeAt(t.length - 1) === 93) {
    const name = t.slice(1, -1);
    return name && !name.includes('[') ? { program: name, pid: undefined, bracketed: true } : undefined;
  }
  if (!colon) return undefined;
  const open = t.indexOf('[');
  if (open < 0) return { program: t, pid: undefined, bracketed: false };
  if (open === 0 || t.charCodeAt(t.length - 1) !== 93) return undefined;
  const pid = pidOf(t.slice(open + 1, -1));
  return pid === undefined ? undefined : { program: t.slice(0, open), pid, bracketed: true };
}

/** Splits `[host ]program[pid]: message` after the stamp; undefined when it does not fit. */
export function splitSyslogBody(
  text: string,
  start: number,
  requirePid: boolean,
): { host?: string; program?: string; pid?: number; message: string } | undefined {
  const s1 = text.indexOf(' ', start);
  const tok1 = s1 < 0 ? text.slice(start) : text.slice(start, s1);
  const rest1 = s1 < 0 ? '' : text.slice(s1 + 1);
  const direct = tok1.length > 0 ? programToken(tok1, false) : undefined;
  if (direct && (direct.bracketed || !requirePid)) {
    if (requirePid && direct.pid === undefined) return undefined;
    return { program: direct.program, pid: direct.pid, message: rest1 };
  }
  if (tok1.length === 0 || s1 < 0) return requirePid ? undefined : { host: tok1 || undefined, message: rest1 };
  const s2 = text.indexOf(' ', s1 + 1);
  const tok2 = s2 < 0 ? text.slice(s1 + 1) : text.slice(s1 + 1, s2);
  const prog = programToken(tok2, false);
  if (prog && (!requirePid || prog.pid !== undefined)) {
    return { host: tok1, program: prog.program, pid: prog.pid, message: s2 < 0 ? '' : text.slice(s2 + 1) };
  }
  return requirePid ? undefined : { host: tok1, message: rest1 };
}

/** RFC 3164 / rsyslog syslog files. */
export const syslogFormat: LogFormat = {
  name: 'syslog',
  accepts(text) {
    const c = text.charCodeAt(0);
    return (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || (c >= 97 && c <= 122);
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
      // rsyslog's high-precision stamp is RFC 3339 (`T` between date and time).
      const iso = text.charCodeAt(10) === 84 ? scanIso(text, 0, ctx.timezone) : undefined;
      if (iso) {
        timestamp = iso.time;
        at = iso.length;
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
