/**
 * RFC 5424 syslog: `<PRI>1 TIMESTAMP HOST APP PROCID MSGID [SD...] MSG`.
 * Structured data is skipped by a scanner that honours quoted values and
 * their `\]` escapes, so brackets inside values do not end it early.
 */
import { type Level, createEvent } from '../../core/event';
import { scanIso } from '../time';
import { type LogFormat, pidOf } from './types';

const SEVERITIES: readonly Level[] = ['emerg', 'alert', 'crit', 'error', 'warning', 'notice', 'info', 'debug'];

/** Index after the structured data starting at `i` (`-` or `[...]...`), or -1. */
function skipStructuredData(text: string, i: number): number {
  if (text.charCodeAt(i) === 45) return i + 1;
  let inQuote = false;
  let depth = 0;
  for (let k = i; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (inQuote) {
      if (c === 92) k++;
      else if (c === 34) inQuote = false;
    } else if (c === 34) inQuote = true;
    else if (c === 91) depth++;
    else if (c === 93) {
      depth--;
      if (depth === 0 && text.charCodeAt(k + 1) !== 91) return k + 1;
    } else if (depth === 0) return -1;
  }
  return -1;
}

function nilOr(token: string): string | undefined {
  return token === '-' ? undefined : token;
}

/** RFC 5424 lines (rsyslog `RSYSLOG_SyslogProtocol23Format`, syslog-ng `syslog-protocol`). */
export const rfc5424Format: LogFormat = {
  name: 'rfc5424',
  accepts: (text) => text.charCodeAt(0) === 60,
  parse(line, ctx) {
    const text = line.text;
    const close = text.indexOf('>');
    if (close < 2 || close > 4) return undefined;
    const pri = Number(text.slice(1, close));
    if (!Number.isInteger(pri) || pri > 191 || text.charCodeAt(close + 1) !== 49 || text.charCodeAt(close + 2) !== 32) {
      return undefined;
    }
    let i = close + 3;
    let timestamp: number | undefined;
    if (text.charCodeAt(i) === 45) i++;
    else {
      const iso = scanIso(text, i, ctx.timezone);
      if (!iso) return undefined;
      timestamp = iso.time;
      i += iso.length;
    }
    const fields: string[] = [];
    for (let n = 0; n < 4; n++) {
      if (text.charCodeAt(i) !== 32) return undefined;
      const end = text.indexOf(' ', i + 1);
      if (end < 0) return undefined;
      fields.push(text.slice(i + 1, end));
      i = end;
    }
    const sdEnd = skipStructuredData(text, i + 1);
    if (sdEnd < 0) return undefined;
    let message = text.slice(sdEnd + (text.charCodeAt(sdEnd) === 32 ? 1 : 0));
    if (message.startsWith('\ufeff')) message = message.slice(1);
    const msgid = nilOr(fields[3]!);
    const sd = text.slice(i + 1, sdEnd);
    return createEvent({
      source: line.source,
      line: line.line,
      raw: text,
      format: 'rfc5424',
      timestamp,
      host: nilOr(fields[0]!),
      program: nilOr(fields[1]!),
      pid: pidOf(nilOr(fields[2]!)),
      level: SEVERITIES[pri & 7],
      message,
      fields:
        msgid || sd !== '-'
          ? { facility: pri >> 3, msgid, structuredData: sd === '-' ? undefined : sd }
          : { facility: pri >> 3 },
    });
  },
};
