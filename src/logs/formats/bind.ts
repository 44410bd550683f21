/**
 * BIND's own log channels (`channel ... { file ...; print-time yes;
 * print-category yes; print-severity yes; }`): `11-Aug-2013 03:36:11.372
 * security: error: client @0x7f.. 192.0.2.1#52115 (example.com): ...`, the
 * category and severity each when asked for. Through syslog, named's lines
 * are syslog's.
 */
import { createEvent } from '../../core/event';
import { scanDayMonthYear } from '../time';
import { type LogFormat, levelOf } from './types';

/** BIND's logging categories (named.conf(5), `logging { category ... }`). */
export const BIND_CATEGORIES = new Set([
  'client',
  'cname',
  'config',
  'database',
  'default',
  'delegation-only',
  'dispatch',
  'dnssec',
  'dnstap',
  'edns-disabled',
  'general',
  'lame-servers',
  'network',
  'notify',
  'nsid',
  'queries',
  'query-errors',
  'rate-limit',
  'resolver',
  'rpz',
  'rpz-passthru',
  'security',
  'serve-stale',
  'spill',
  'sslkeylog',
  'trust-anchor-telemetry',
  'unmatched',
  'update',
  'update-security',
  'xfer-in',
  'xfer-out',
  'zoneload',
]);

/** How BIND's lines start when it prints neither category nor severity. */
const BIND_STARTS = [
  'client ',
  'zone ',
  'managed-keys-zone',
  'resolver priming',
  'starting BIND',
  'running',
  'loading configuration',
];

/** BIND's severities as print-severity writes them (`debug 3` included). */
function bindLevel(word: string): ReturnType<typeof levelOf> {
  if (word !== word.toLowerCase()) return undefined; // BIND writes them in lower case
  return word.startsWith('debug') ? 'debug' : word === 'critical' ? 'crit' : levelOf(word);
}

/** Splits `[category: ][severity: ]message`. */
export function readBindPrefix(text: string): {
  category?: string;
  level: ReturnType<typeof levelOf>;
  message: string;
} {
  let rest = text;
  let category: string | undefined;
  const first = rest.indexOf(': ');
  if (first > 0 && BIND_CATEGORIES.has(rest.slice(0, first))) {
    category = rest.slice(0, first);
    rest = rest.slice(first + 2);
  }
  const second = rest.indexOf(': ');
  const level = second > 0 && second <= 8 ? bindLevel(rest.slice(0, second)) : undefined;
  if (level !== undefined) rest = rest.slice(second + 2);
  return { category, level, message: rest };
}

/** BIND's channel files. */
export const bindFormat: LogFormat = {
  name: 'bind',
  accepts: (text) => text.charCodeAt(2) === 45 && text.charCodeAt(6) === 45,
  parse(line, ctx) {
    const text = line.text;
    const stamp = scanDayMonthYear(text, ctx.timezone);
    if (!stamp || text.charCodeAt(stamp.length) !== 32) return undefined;
    const body = readBindPrefix(text.slice(stamp.length + 1));
    // Tomcat and others stamp lines the same way: BIND's own shows its category, its severity or a client.
    if (
      body.category === undefined &&
      body.level === undefined &&
      !BIND_STARTS.some((s) => body.message.startsWith(s))
    ) {
      return undefined;
    }
    return createEvent({
      source: line.source,
      line: line.line,
      raw: text,
      format: 'bind',
      timestamp: stamp.time,
      program: 'named',
      level: body.level,
      message: body.message,
      fields: body.category === undefined ? undefined : { category: body.category },
    });
  },
};
