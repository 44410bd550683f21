/**
 * The Linux audit log (/var/log/audit/audit.log), as auditd writes it in its
 * RAW and ENRICHED formats (auditd.conf `log_format`):
 * `[node=web1 ]type=USER_AUTH msg=audit(1373330717.000:4070): pid=12000 uid=0
 * auid=4294967295 ses=4294967295 msg='op=PAM:authentication acct="root"
 * exe="/usr/sbin/sshd" hostname=? addr=203.0.113.7 terminal=ssh res=failed'`.
 * The record's fields, and those of the quoted message user-space programs
 * send, go to `fields` (hex-encoded values decoded); the program is the `exe`
 * that wrote the record, so an sshd record belongs to the ssh service. What a
 * record means is the audit recogniser's.
 */
import { createEvent } from '../../core/event';
import type { LogFormat } from './types';

/** The field that ENRICHED appends its translations after (`\x1dUID="root" ...`). */
const ENRICHED_SEPARATOR = '\x1d';

/** Fields auditd hex-encodes when their value holds a space, a quote or a control character. */
const ENCODED_FIELDS = new Set(['acct', 'cmd', 'comm', 'exe', 'cwd', 'name', 'proctitle', 'unit']);

function isHexPairs(value: string): boolean {
  if (value.length < 2 || value.length % 2 !== 0) return false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 70))) return false;
  }
  return true;
}

/** A hex-encoded value decoded (auditd writes NULs between the words of `proctitle`). */
function decodeHex(value: string): string {
  return Buffer.from(value, 'hex').toString('utf8').split('\0').join(' ').trimEnd();
}

/**
 * The `key=value` pairs of an audit record body into `into`: values bare,
 * "quoted", or 'a nested message' (whose pairs are read too). Unparseable
 * text is skipped, never thrown on.
 */
export function readAuditFields(body: string, into: Record<string, string>): void {
  let i = 0;
  const n = body.length;
  while (i < n) {
    while (i < n && body.charCodeAt(i) === 32) i++;
    const eq = body.indexOf('=', i);
    if (eq < 0) return;
    const space = body.indexOf(' ', i);
    if (space >= 0 && space < eq) {
      i = space + 1; // a word without `=` (`user pid=...`, `avc:  denied  { read }`)
      continue;
    }
    const key = body.slice(i, eq);
    const quote = body.charCodeAt(eq + 1);
    let value: string;
    if (quote === 34 || quote === 39) {
      const close = body.indexOf(quote === 34 ? '"' : "'", eq + 2);
      const end = close < 0 ? n : close;
      value = body.slice(eq + 2, end);
      i = end + 1;
      if (quote === 39) {
        readAuditFields(value, into);
        continue;
      }
    } else {
      const end = body.indexOf(' ', eq + 1);
      value = body.slice(eq + 1, end < 0 ? n : end);
      i = end < 0 ? n : end + 1;
      if (ENCODED_FIELDS.has(key) && isHexPairs(value)) value = decodeHex(value);
    }
    if (!(key in into)) into[key] = value;
  }
}

/** Reads `audit(1373330717.000:4070)` at `at`: epoch ms and serial, or undefined. */
function readStamp(text: string, at: number): { time: number; serial: number; end: number } | undefined {
  if (!text.startsWith('audit(', at)) return undefined;
  const close = text.indexOf(')', at + 6);
  if (close < 0 || close - at > 40) return undefined;
  const [seconds, serial] = text.slice(at + 6, close).split(':');
  const time = Number(seconds) * 1000;
  const number = Number(serial);
  if (!Number.isFinite(time) || time < 0 || !Number.isInteger(number)) return undefined;
  return { time: Math.round(time), serial: number, end: close + 1 };
}

/** The program an audit record is about: the basename of `exe`, else `comm`. */
export function auditProgram(fields: Record<string, string>): string | undefined {
  const exe = fields.exe;
  if (exe && exe !== '?' && exe !== '(null)') return exe.slice(exe.lastIndexOf('/') + 1);
  const comm = fields.comm;
  return comm && comm !== '?' ? comm : undefined;
}

/** Record type numbers (linux/audit.h) of the records the recogniser reads, for the kernel's own printing. */
const TYPE_NAMES: Readonly<Record<string, string>> = {
  '1100': 'USER_AUTH',
  '1101': 'USER_ACCT',
  '1106': 'USER_END',
  '1109': 'USER_ERR',
  '1112': 'USER_LOGIN',
  '1123': 'USER_CMD',
  '1130': 'SERVICE_START',
  '1131': 'SERVICE_STOP',
};

function isTypeName(text: string): boolean {
  if (text.length < 3 || text.length > 32) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!((c >= 65 && c <= 90) || c === 95)) return false;
  }
  return true;
}

/** Where the record starts after the kernel's `audit: ` (and its `[  12.345678] ` uptime stamp). */
function embeddedStart(message: string): number {
  const at = message.startsWith('[') ? message.indexOf('] audit: ') + 2 : 0;
  return at > 1 && at < 24 && message.startsWith('audit: ', at) ? at + 7 : message.startsWith('audit: ') ? 7 : 0;
}

/** Whether a syslog message is a kernel-printed audit record (`audit: type=1100 audit(...)`). */
export function isKernelAudit(message: string): boolean {
  return message.startsWith('type=', embeddedStart(message)) && message.includes('audit: type=');
}

/**
 * The fields of an audit record that reached syslog or the journal instead of
 * audit.log: journald's `USER_AUTH pid=... msg='...'` (identifier `audit`) or
 * the kernel's `audit: type=1100 audit(1700000000.123:45): pid=...` (no auditd
 * running). Undefined when the message is neither.
 */
export function readEmbeddedAudit(message: string): Record<string, string> | undefined {
  const start = embeddedStart(message);
  if (message.startsWith('type=', start)) {
    const space = message.indexOf(' ', start);
    const stamp = space < 0 ? undefined : readStamp(message, space + 1);
    if (!stamp || message.charCodeAt(stamp.end) !== 58) return undefined;
    const number = message.slice(start + 5, space);
    const fields: Record<string, string> = { auditType: TYPE_NAMES[number] ?? number };
    readAuditFields(message.slice(stamp.end + 2), fields);
    return fields;
  }
  const space = message.indexOf(' ');
  const type = space < 0 ? '' : message.slice(0, space);
  if (!isTypeName(type)) return undefined;
  const fields: Record<string, string> = { auditType: type };
  readAuditFields(message.slice(space + 1), fields);
  return fields;
}

/** auditd's log. */
export const auditFormat: LogFormat = {
  name: 'audit',
  accepts: (text) => text.includes('msg=audit('),
  parse(line) {
    const raw = line.text;
    const enriched = raw.indexOf(ENRICHED_SEPARATOR);
    const text = enriched < 0 ? raw : raw.slice(0, enriched);
    let at = 0;
    let host: string | undefined;
    if (text.startsWith('node=')) {
      const space = text.indexOf(' ');
      if (space < 0) return undefined;
      host = text.slice(5, space);
      at = space + 1;
    }
    if (!text.startsWith('type=', at)) return undefined;
    const typeEnd = text.indexOf(' ', at);
    if (typeEnd < 0 || !text.startsWith('msg=', typeEnd + 1)) return undefined;
    const type = text.slice(at + 5, typeEnd);
    const stamp = readStamp(text, typeEnd + 5);
    if (!stamp || text.charCodeAt(stamp.end) !== 58) return undefined;
    const body = text.slice(stamp.end + 2);
    const fields: Record<string, string> = { auditType: type, auditSerial: String(stamp.serial) };
    readAuditFields(body, fields);
    const pid = Number(fields.pid);
    return createEvent({
      source: line.source,
      line: line.line,
      raw,
      format: 'audit',
      timestamp: stamp.time,
      host,
      program: auditProgram(fields),
      pid: Number.isInteger(pid) && pid > 0 ? pid : undefined,
      message: `${type} ${body}`,
      fields,
    });
  },
};
