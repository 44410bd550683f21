/**
 * Apache httpd error logs. 2.2: `[Wed Jul 17 23:20:45 2013] [error] [client
 * 1.2.3.4] message`; 2.4: `[Sat Jul 20 21:34:49.453232 2013] [module:level]
 * [pid N:tid M] [client 1.2.3.4:51380] AH01797: message` (also `[remote ...]`
 * behind a proxy). The bracket groups are read one by one from the front, so
 * a `[client ...]` inside the message (a requested path) is never taken.
 */
import { createEvent } from '../../core/event';
import { scanApacheError } from '../time';
import { type LogFormat, levelOf, pidOf } from './types';

/** The parts of an Apache error body (after the date). */
export interface ApacheErrorBody {
  level: ReturnType<typeof levelOf>;
  pid: number | undefined;
  /** The message without its `AHnnnnn: ` code. */
  message: string;
  fields: Record<string, unknown>;
}

/** Reads `[module:level] [pid ...] [client ...] AHnnnnn: message` (the text after the date). */
export function readApacheErrorBody(text: string): ApacheErrorBody | undefined {
  let i = 0;
  let level: string | undefined;
  let module: string | undefined;
  let pid: number | undefined;
  let client: string | undefined;
  let groups = 0;
  while (text.charCodeAt(i) === 91 && groups < 4) {
    const close = text.indexOf(']', i);
    if (close < 0) return undefined;
    const inner = text.slice(i + 1, close);
    if (groups === 0) {
      const colon = inner.lastIndexOf(':');
      level = colon >= 0 ? inner.slice(colon + 1) : inner;
      module = colon > 0 ? inner.slice(0, colon) : undefined;
      if (levelOf(level) === undefined) return undefined;
    } else if (inner.startsWith('pid ')) {
      pid = pidOf(inner.slice(4).split(':', 1)[0]);
    } else if (inner.startsWith('client ') || inner.startsWith('remote ')) {
      // `[client [2001:db8::1]:51548]`: the address may itself be bracketed.
      let end = close;
      if (inner.charCodeAt(7) === 91) {
        const inside = text.indexOf(']', i + 9);
        if (inside > 0) end = text.indexOf(']', inside + 1);
        if (end < 0) return undefined;
      }
      client = text.slice(i + 8, end);
      i = end + 1;
      groups++;
      if (text.charCodeAt(i) === 32) i++;
      break;
    } else break;
    groups++;
    i = close + 1;
    if (text.charCodeAt(i) === 32) i++;
  }
  if (groups === 0) return undefined;
  let message = text.slice(i);
  const fields: Record<string, unknown> = {};
  if (message.startsWith('AH') && message.charCodeAt(7) === 58 && message.charCodeAt(8) === 32) {
    fields.code = message.slice(0, 7);
    message = message.slice(9);
  }
  if (module) fields.module = module;
  if (client !== undefined) fields.client = client;
  return { level: levelOf(level), pid, message, fields };
}

/**
 * Reads an Apache error line that a syslog daemon carries: `[module:level]
 * ...` as Apache writes to syslog itself (no date), or the whole line with its
 * date when `ErrorLog "|logger -t apache2"` pipes it.
 */
export function readSyslogApacheError(message: string): ApacheErrorBody | undefined {
  if (message.charCodeAt(0) !== 91) return undefined;
  const stamp = scanApacheError(message, 1, 'UTC'); // only its length: the syslog header has the time
  if (!stamp) return readApacheErrorBody(message);
  const end = stamp.length + 1;
  return message.charCodeAt(end) === 93 && message.charCodeAt(end + 1) === 32
    ? readApacheErrorBody(message.slice(end + 2))
    : undefined;
}

/** Apache 2.2 and 2.4 error logs. */
export const apacheErrorFormat: LogFormat = {
  name: 'apache-error',
  accepts: (text) => text.charCodeAt(0) === 91 && text.charCodeAt(4) === 32,
  parse(line, ctx) {
    const text = line.text;
    const stamp = scanApacheError(text, 1, ctx.timezone);
    if (!stamp || text.charCodeAt(stamp.length + 1) !== 93 || text.charCodeAt(stamp.length + 2) !== 32)
      return undefined;
    const body = readApacheErrorBody(text.slice(stamp.length + 3));
    if (!body) return undefined;
    return createEvent({
      source: line.source,
      line: line.line,
      raw: text,
      format: 'apache-error',
      timestamp: stamp.time,
      program: 'apache',
      pid: body.pid,
      level: body.level,
      message: body.message,
      fields: body.fields,
    });
  },
};
