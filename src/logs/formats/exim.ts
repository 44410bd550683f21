/**
 * Exim's main log (/var/log/exim4/mainlog on Debian, whose default MTA it is):
 * `2016-03-21 04:07:49[.123][ +0100] [25874] 1ahr79-0006jK-G9 message`: the
 * pid with `log_selector = +pid`, the message id when the line is about one
 * message (6-6-2 characters, 6-11-4 from Exim 4.97). Exim writes no program
 * and no level, so a line without a message id is read only when it is one of
 * Exim's connection-level messages: this format must not take every line that
 * starts with a date.
 */
import { createEvent } from '../../core/event';
import { scanIso } from '../time';
import { splitSyslogBody } from './syslog';
import { type LogFormat, pidOf } from './types';

/** How Exim's connection-level lines (those with no message id) start. */
const CONNECTION_STARTS = [
  'H=',
  'SMTP ',
  'no MAIL in SMTP connection',
  'no host name found for IP address',
  'no IP address found for host',
  'Start queue run',
  'End queue run',
  'exim ',
  'TLS error',
  'unexpected disconnection',
  'Connection from ',
  'cwd=',
];

/** What they hold after a leading word (`login authenticator failed for`, `TLS SMTP connection from`). */
const CONNECTION_PARTS = [' authenticator failed for ', ' SMTP connection from '];

function isConnectionLine(message: string): boolean {
  return (
    CONNECTION_STARTS.some((start) => message.startsWith(start)) ||
    CONNECTION_PARTS.some((part) => message.includes(part))
  );
}

function isBase62(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122))) return false;
  }
  return true;
}

/** Length of an Exim message id at `at` (`1ahr79-0006jK-G9`, or 4.97's `1ahr79-000000006jK-G9ab`), or 0. */
function messageIdLength(text: string, at: number): number {
  for (const [a, b, c] of [
    [6, 6, 2],
    [6, 11, 4],
  ] as const) {
    const first = at + a;
    const second = first + 1 + b;
    const end = second + 1 + c;
    if (
      text.charCodeAt(first) === 45 &&
      text.charCodeAt(second) === 45 &&
      (end === text.length || text.charCodeAt(end) === 32) &&
      isBase62(text, at, first) &&
      isBase62(text, first + 1, second) &&
      isBase62(text, second + 1, end)
    ) {
      return end - at;
    }
  }
  return 0;
}

/** Exim's main log. */
export const eximFormat: LogFormat = {
  name: 'exim',
  accepts: (text) => text.charCodeAt(4) === 45 && text.charCodeAt(10) === 32,
  parse(line, ctx) {
    const text = line.text;
    const stamp = scanIso(text, 0, ctx.timezone);
    if (!stamp || text.charCodeAt(stamp.length) !== 32) return undefined;
    let at = stamp.length + 1;
    let pid: number | undefined;
    if (text.charCodeAt(at) === 91) {
      const close = text.indexOf('] ', at);
      pid = close < 0 ? undefined : pidOf(text.slice(at + 1, close));
      if (pid === undefined) return undefined;
      at = close + 2;
    }
    const idLength = messageIdLength(text, at);
    const messageId = idLength > 0 ? text.slice(at, at + idLength) : undefined;
    if (idLength > 0) at += idLength + 1;
    // `host exim[123]: ...` is Exim through syslog: the syslog format reads that.
    if (pid === undefined && idLength === 0 && splitSyslogBody(text, at, true) !== undefined) return undefined;
    const message = text.slice(at);
    if (messageId === undefined && !isConnectionLine(message)) return undefined;
    return createEvent({
      source: line.source,
      line: line.line,
      raw: text,
      format: 'exim',
      timestamp: stamp.time,
      program: 'exim',
      pid,
      message,
      fields: messageId === undefined ? undefined : { messageId },
    });
  },
};
