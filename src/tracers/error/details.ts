/**
 * Details a recogniser row does not capture itself but the text usually
 * holds: the first absolute path, a Python/nginx errno number, the first
 * address, and every IP address mentioned (for tying errors to suspects).
 */
import RE2 from 're2';
import { errnoName } from './errno';

const PATH = new RE2('(?:^|[\\s\'"(\\[=,])(?<path>/[\\w.@+~%-]+(?:/[\\w.@+~%-]*)*)');
/** The errno-number pattern of `errnoFromNumber` (source exported for its property test). */
export const ERRNO_SOURCE = '\\[Errno (?<number>\\d{1,4})\\]|\\((?<number2>\\d{1,4}): [A-Z][a-z]';
const ERRNO_NUMBER = new RE2(ERRNO_SOURCE);
const ADDRESS = new RE2(
  '(?<address>(?:(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.){3}(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)(?::\\d{1,5})?|\\[[0-9a-fA-F:.]{2,45}\\]:\\d{1,5})',
);
/** The address patterns of `mentionedIps` (sources exported for its property test). */
export const IPV4_SOURCE =
  '(?:^|[^\\d.])(?<ip>(?:(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.){3}(?:25[0-5]|2[0-4]\\d|1?\\d?\\d))(?:$|[^\\d.])';
export const IPV6_SOURCE =
  '(?:^|[^\\w:])(?<ip>(?:[0-9a-fA-F]{1,4}:){2,7}[0-9a-fA-F]{0,4}|(?:[0-9a-fA-F]{1,4}:){1,6}:[0-9a-fA-F]{1,4}|::[0-9a-fA-F]{1,4}(?::[0-9a-fA-F]{1,4}){0,6})(?:$|[^\\w:])';
const IPV4 = new RE2(IPV4_SOURCE, 'g');
const IPV6 = new RE2(IPV6_SOURCE, 'g');

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

/**
 * Whether ERRNO_NUMBER may match: `[Errno ` occurs, or `: ` right after one
 * to four digits right after `(` (an audit record's `audit(1773448267.201:166): `
 * holds neither), so re2 runs only then.
 */
function mayHoldErrno(text: string): boolean {
  if (text.includes('[Errno ')) return true;
  for (let i = text.indexOf(': '); i >= 0; i = text.indexOf(': ', i + 1)) {
    let start = i;
    while (start > 0 && i - start < 4 && isDigit(text.charCodeAt(start - 1))) start--;
    if (start < i && start > 0 && text.charCodeAt(start - 1) === 40) return true;
  }
  return false;
}

/** The errno name of a number the text gives (`[Errno 28]`, nginx's `(28: No space ...)`). */
export function errnoFromNumber(text: string): string | undefined {
  if (!mayHoldErrno(text)) return undefined;
  const groups = ERRNO_NUMBER.exec(bounded(text))?.groups;
  const number = groups?.number ?? groups?.number2;
  return number === undefined ? undefined : errnoName(Number(number));
}

/** The first `address[:port]` in `text`. */
export function firstAddress(text: string): string | undefined {
  return ADDRESS.exec(bounded(text))?.groups?.address;
}

/** `addressShapes` found a run of digits and dots with three dots: IPV4 may keep an address. */
const MAY_V4 = 1;
/** `addressShapes` found a run of hex digits and colons holding `::` or seven colons: IPV6 may keep one. */
const MAY_V6 = 2;

const isDigit = (c: number) => c >= 48 && c <= 57;
const isHex = (c: number) => isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);

/**
 * One pass over `text`: which address patterns may find an address
 * `mentionedIps` keeps (MAY_V4 | MAY_V6), so re2 runs only when one can (a
 * traceback of a few KB holds neither, most often). IPV4 keeps a whole run of
 * digits and dots (its bounds exclude both), so that run has three dots; IPV6
 * captures hex digits and colons only, and a kept address holds `::` or
 * seven colons, so its run does too.
 */
function addressShapes(text: string): number {
  let shapes = 0;
  let dots = 0; // in the current run of digits and dots, -1 outside one
  let colons = 0; // in the current run of hex digits and colons
  let double = false; // that run holds `::`
  for (let i = 0; i <= text.length && shapes !== (MAY_V4 | MAY_V6); i++) {
    const c = i < text.length ? text.charCodeAt(i) : -1;
    if (isDigit(c) || c === 46) {
      if (c === 46) dots = dots < 0 ? 1 : dots + 1;
      else if (dots < 0) dots = 0;
    } else {
      if (dots === 3) shapes |= MAY_V4;
      dots = -1;
    }
    if (isHex(c) || c === 58) {
      if (c === 58) {
        if (i > 0 && text.charCodeAt(i - 1) === 58) double = true;
        colons++;
      }
    } else {
      if (double || colons >= 7) shapes |= MAY_V6;
      colons = 0;
      double = false;
    }
  }
  return shapes;
}

/** Every distinct IP address `text` mentions (IPv4 and IPv6), at most `limit`. */
export function mentionedIps(text: string, limit = 8): string[] {
  const found = new Set<string>();
  const scan = bounded(text);
  const shapes = addressShapes(scan);
  if (shapes === 0) return [];
  for (const pattern of [IPV4, IPV6]) {
    if ((shapes & (pattern === IPV4 ? MAY_V4 : MAY_V6)) === 0) continue;
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
