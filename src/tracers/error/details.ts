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
/** The address patterns of `mentionedIps` (sources exported for its property test; IPv4 is read by hand, `addIpv4s`). */
export const IPV4_SOURCE =
  '(?:^|[^\\d.])(?<ip>(?:(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.){3}(?:25[0-5]|2[0-4]\\d|1?\\d?\\d))(?:$|[^\\d.])';
export const IPV6_SOURCE =
  '(?:^|[^\\w:])(?<ip>(?:[0-9a-fA-F]{1,4}:){2,7}[0-9a-fA-F]{0,4}|(?:[0-9a-fA-F]{1,4}:){1,6}:[0-9a-fA-F]{1,4}|::[0-9a-fA-F]{1,4}(?::[0-9a-fA-F]{1,4}){0,6})(?:$|[^\\w:])';
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

const isDigit = (c: number) => c >= 48 && c <= 57;
const isHex = (c: number) => isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);

/** Whether `text[start, end)` (digits) is an octet as IPV4 reads one: `25[0-5]|2[0-4]\d|1?\d?\d`. */
function isOctet(text: string, start: number, end: number): boolean {
  const n = end - start;
  if (n === 1 || n === 2) return true;
  if (n !== 3) return false;
  const a = text.charCodeAt(start);
  const b = text.charCodeAt(start + 1);
  return a === 49 || (a === 50 && (b <= 52 || (b === 53 && text.charCodeAt(start + 2) <= 53)));
}

/**
 * Adds the IPv4 addresses IPV4 finds in `text`, in order, while `found` holds
 * fewer than `limit`. IPV4's bounds exclude digits and dots, so what it keeps
 * is exactly each whole run of digits and dots that is four octets: read by
 * hand, held to re2 by a property test.
 */
function addIpv4s(text: string, found: Set<string>, limit: number): void {
  let run = -1; // start of the current run of digits and dots
  let dots = 0;
  let octetOk = true;
  let octet = 0; // start of the current octet
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : -1;
    if (isDigit(c) || c === 46) {
      if (run < 0) {
        run = octet = i;
        dots = 0;
        octetOk = true;
      }
      if (c === 46) {
        octetOk &&= isOctet(text, octet, i);
        dots++;
        octet = i + 1;
      }
    } else if (run >= 0) {
      if (dots === 3 && octetOk && isOctet(text, octet, i)) {
        if (found.size >= limit) return;
        found.add(text.slice(run, i));
      }
      run = -1;
    }
  }
}

/**
 * Whether IPV6 may find an address `mentionedIps` keeps, so re2 runs only
 * then (a traceback of a few KB holds none, most often): IPV6 captures hex
 * digits and colons only, and a kept address holds `::` or seven colons, so
 * its run of them does too.
 */
function mayHoldIpv6(text: string): boolean {
  let colons = 0; // in the current run of hex digits and colons
  let double = false; // that run holds `::`
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : -1;
    if (isHex(c) || c === 58) {
      if (c === 58) {
        if (i > 0 && text.charCodeAt(i - 1) === 58) double = true;
        colons++;
      }
    } else {
      if (double || colons >= 7) return true;
      colons = 0;
      double = false;
    }
  }
  return false;
}

/** Every distinct IP address `text` mentions (IPv4 and IPv6), at most `limit`. */
export function mentionedIps(text: string, limit = 8): string[] {
  const found = new Set<string>();
  const scan = bounded(text);
  addIpv4s(scan, found, limit);
  if (found.size < limit && mayHoldIpv6(scan)) {
    IPV6.lastIndex = 0;
    for (let match = IPV6.exec(scan); match && found.size < limit; match = IPV6.exec(scan)) {
      const ip = match.groups?.ip;
      // `::` alone or `12:34:56` times are not addresses: IPv6 needs a double colon or 8 groups.
      if (ip && (ip.includes('::') || ip.split(':').length === 8)) found.add(ip.toLowerCase());
      // Step back over the boundary character the match consumed: it may start the next address.
      IPV6.lastIndex -= 1;
    }
  }
  return [...found];
}
