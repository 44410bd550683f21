/**
 * Details a recogniser row does not capture itself but the text usually
 * holds: the first absolute path, a Python/nginx errno number, the first
 * address, and every IP address mentioned (for tying errors to suspects).
 */
import RE2 from 're2';
import { errnoName } from './errno';

const PATH = new RE2('(?:^|[\\s\'"(\\[=,])(?<path>/[\\w.@+~%-]+(?:/[\\w.@+~%-]*)*)');
const ERRNO_NUMBER = new RE2('\\[Errno (?<number>\\d{1,4})\\]|\\((?<number2>\\d{1,4}): [A-Z][a-z]');
const ADDRESS = new RE2(
  '(?<address>(?:(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.){3}(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)(?::\\d{1,5})?|\\[[0-9a-fA-F:.]{2,45}\\]:\\d{1,5})',
);
const IPV4 = new RE2(
  '(?:^|[^\\d.])(?<ip>(?:(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.){3}(?:25[0-5]|2[0-4]\\d|1?\\d?\\d))(?:$|[^\\d.])',
  'g',
);
const IPV6 = new RE2(
  '(?:^|[^\\w:])(?<ip>(?:[0-9a-fA-F]{1,4}:){2,7}[0-9a-fA-F]{0,4}|(?:[0-9a-fA-F]{1,4}:){1,6}:[0-9a-fA-F]{1,4}|::[0-9a-fA-F]{1,4}(?::[0-9a-fA-F]{1,4}){0,6})(?:$|[^\\w:])',
  'g',
);

/** Longest text the extractors look at: enough for any header and message, bounded for 10 MB lines. */
const SCAN_LIMIT = 64 * 1024;

function bounded(text: string): string {
  return text.length > SCAN_LIMIT ? text.slice(0, SCAN_LIMIT) : text;
}

/** The first absolute path in `text` (`/var/lib/postgresql/data`), without trailing punctuation. */
export function firstPath(text: string): string | undefined {
  if (!text.includes('/')) return undefined;
  const path = PATH.exec(bounded(text))?.groups?.path;
  if (!path) return undefined;
  let end = path.length;
  while (end > 1 && (path[end - 1] === '.' || path[end - 1] === ',')) end--;
  return path.slice(0, end);
}

/** The errno name of a number the text gives (`[Errno 28]`, nginx's `(28: No space ...)`). */
export function errnoFromNumber(text: string): string | undefined {
  if (!text.includes('Errno') && !text.includes(': ')) return undefined;
  const groups = ERRNO_NUMBER.exec(bounded(text))?.groups;
  const number = groups?.number ?? groups?.number2;
  return number === undefined ? undefined : errnoName(Number(number));
}

/** The first `address[:port]` in `text`. */
export function firstAddress(text: string): string | undefined {
  return ADDRESS.exec(bounded(text))?.groups?.address;
}

function colons(text: string): number {
  let n = 0;
  for (let i = text.indexOf(':'); i >= 0; i = text.indexOf(':', i + 1)) n++;
  return n;
}

/** Every distinct IP address `text` mentions (IPv4 and IPv6), at most `limit`. */
export function mentionedIps(text: string, limit = 8): string[] {
  const found = new Set<string>();
  const scan = bounded(text);
  for (const pattern of [IPV4, IPV6]) {
    // IPv6 in logs is nearly always compressed (`2001:db8::7`); the full form has seven colons.
    if (pattern === IPV4 ? !scan.includes('.') : !scan.includes('::') && colons(scan) < 7) continue;
    pattern.lastIndex = 0;
    for (let match = pattern.exec(scan); match && found.size < limit; match = pattern.exec(scan)) {
      const ip = match.groups?.ip;
      // `::` alone or `12:34:56` times are not addresses: IPv6 needs a double colon or 8 groups.
      if (ip && (pattern === IPV4 || ip.includes('::') || ip.split(':').length === 8)) found.add(ip.toLowerCase());
      // Step back over the boundary character the match consumed: it may start the next address.
      pattern.lastIndex -= 1;
    }
  }
  return [...found];
}
