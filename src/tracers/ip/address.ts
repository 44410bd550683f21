/**
 * Strict parsing and canonical formatting of IP addresses and CIDR prefixes,
 * as bytes. A hand-written scanner, not a regex: it runs on every address a log
 * line carries, and it must reject what `inet_pton` rejects.
 *
 * Decisions (see docs/ip-classification.md):
 * - IPv4 is exactly four decimal parts 0-255. A part with a leading zero
 *   (`010.1.1.1`) is rejected, as `inet_pton` and Python's `ipaddress` do:
 *   `inet_aton` would read it as octal, so its meaning is ambiguous.
 * - IPv6 follows RFC 4291 text forms, with an optional dotted IPv4 tail and an
 *   optional zone id (`fe80::1%eth0`), kept apart from the address.
 */

/** A parsed address: 4 or 16 bytes in network order, and the zone id if one was given. */
export interface ParsedIp {
  version: 4 | 6;
  bytes: Uint8Array;
  zone?: string;
}

/** A parsed prefix: the network's bytes (host bits cleared) and its length in bits. */
export interface ParsedCidr {
  version: 4 | 6;
  bytes: Uint8Array;
  length: number;
}

/** Longest text accepted: a full IPv6 address with IPv4 tail (45) plus a zone id. */
export const MAX_ADDRESS_LENGTH = 45 + 1 + 64;

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  if (code >= 65 && code <= 70) return code - 55;
  return -1;
}

/** Parses dotted-quad `text[start, end)` into `out[offset..offset+4)`; an error message or null. */
function parseIpv4Into(text: string, start: number, end: number, out: Uint8Array, offset: number): string | null {
  let part = 0;
  let value = 0;
  let digits = 0;
  for (let i = start; i <= end; i++) {
    const code = i < end ? text.charCodeAt(i) : 46; // a virtual final dot closes the last part
    if (code === 46) {
      if (digits === 0) return 'empty part in IPv4 address';
      if (part > 3) return 'IPv4 address has more than 4 parts';
      out[offset + part++] = value;
      value = 0;
      digits = 0;
    } else if (isDigit(code)) {
      if (digits > 0 && value === 0) return 'leading zero in IPv4 part (ambiguous: octal for inet_aton)';
      value = value * 10 + (code - 48);
      if (++digits > 3 || value > 255) return 'IPv4 part out of range 0-255';
    } else {
      return `unexpected character ${JSON.stringify(text[i])} in IPv4 address`;
    }
  }
  return part === 4 ? null : 'IPv4 address needs 4 parts';
}

/**
 * Reads a dotted-quad IPv4 address into `out` (4 bytes) without allocating:
 * true when `text` is one (as `parseIp` judges it). A valid dotted quad is its
 * own canonical text (no leading zeros, no other form is accepted).
 */
export function readIpv4(text: string, out: Uint8Array): boolean {
  return parseIpv4Into(text, 0, text.length, out, 0) === null;
}

/** Parses an IPv6 address (no zone) in `text[0, end)` into 16 bytes; an error message or null. */
function parseIpv6Into(text: string, end: number, out: Uint8Array): string | null {
  const groups: number[] = [];
  let gap = -1; // index in `groups` where `::` stands
  let i = 0;
  if (text.startsWith('::')) {
    gap = 0;
    i = 2;
    if (end === 2) return null; // `::`
  } else if (text.charCodeAt(0) === 58) {
    return 'IPv6 address starts with a single colon';
  }
  while (i < end) {
    let value = 0;
    let digits = 0;
    const start = i;
    while (i < end) {
      const v = hexValue(text.charCodeAt(i));
      if (v < 0) break;
      value = value * 16 + v;
      if (++digits > 4) return 'IPv6 group longer than 4 hex digits';
      i++;
    }
    if (i < end && text.charCodeAt(i) === 46) {
      // dotted IPv4 tail: the last 32 bits
      if (groups.length > 6 || (gap < 0 && groups.length !== 6)) return 'misplaced IPv4 tail in IPv6 address';
      const tail = new Uint8Array(4);
      const error = parseIpv4Into(text, start, end, tail, 0);
      if (error) return error;
      groups.push((tail[0]! << 8) | tail[1]!, (tail[2]! << 8) | tail[3]!);
      break;
    }
    if (digits === 0) return `unexpected character ${JSON.stringify(text[i] ?? '')} in IPv6 address`;
    groups.push(value);
    if (groups.length > 8) return 'IPv6 address has more than 8 groups';
    if (i === end) break;
    if (text.charCodeAt(i) !== 58) return `unexpected character ${JSON.stringify(text[i])} in IPv6 address`;
    i++;
    if (text.charCodeAt(i) === 58) {
      if (gap >= 0) return 'IPv6 address has more than one "::"';
      gap = groups.length;
      i++;
      if (text.charCodeAt(i) === 58) return 'IPv6 address has ":::"';
    } else if (i === end) {
      return 'IPv6 address ends with a single colon';
    }
  }
  if (gap < 0 && groups.length !== 8) return 'IPv6 address needs 8 groups or "::"';
  if (gap >= 0 && groups.length > 7) return 'IPv6 "::" must stand for at least one group';
  const missing = 8 - groups.length;
  let k = 0;
  for (let g = 0; g < 8; g++) {
    const value = gap >= 0 && g >= gap && g < gap + missing ? 0 : groups[k++]!;
    out[g * 2] = value >> 8;
    out[g * 2 + 1] = value & 0xff;
  }
  return null;
}

/** Checks a zone id: 1-64 visible ASCII characters (interface names or numbers). */
function zoneError(zone: string): string | null {
  if (zone.length === 0) return 'empty zone id';
  if (zone.length > 64) return 'zone id longer than 64 characters';
  for (let i = 0; i < zone.length; i++) {
    const code = zone.charCodeAt(i);
    if (code <= 0x20 || code >= 0x7f || code === 37 || code === 47) return 'zone id has a character not allowed';
  }
  return null;
}

/**
 * Parses an IPv4 or IPv6 address. Returns the parsed address, or an error
 * message saying what is wrong. Never throws, whatever the input.
 */
export function parseIp(text: string): ParsedIp | string {
  if (typeof text !== 'string') return 'not a string';
  if (text.length === 0) return 'empty address';
  if (text.length > MAX_ADDRESS_LENGTH) return `too long for an IP address (${text.length} characters)`;
  const colon = text.indexOf(':');
  if (colon < 0) {
    const bytes = new Uint8Array(4);
    const error = parseIpv4Into(text, 0, text.length, bytes, 0);
    return error ?? { version: 4, bytes };
  }
  const percent = text.indexOf('%');
  const end = percent < 0 ? text.length : percent;
  const bytes = new Uint8Array(16);
  const error = parseIpv6Into(text, end, bytes);
  if (error) return error;
  if (percent < 0) return { version: 6, bytes };
  const zone = text.slice(percent + 1);
  const bad = zoneError(zone);
  return bad ?? { version: 6, bytes, zone };
}

/**
 * Parses `address/length` (a bare address is a host prefix). Host bits beyond
 * the length are cleared, as routers and the providers' own tools do.
 */
export function parseCidr(text: string): ParsedCidr | string {
  const slash = text.indexOf('/');
  const ip = parseIp(slash < 0 ? text : text.slice(0, slash));
  if (typeof ip === 'string') return ip;
  if (ip.zone !== undefined) return 'a prefix cannot carry a zone id';
  const max = ip.version === 4 ? 32 : 128;
  let length = max;
  if (slash >= 0) {
    const digits = text.slice(slash + 1);
    if (digits.length === 0 || digits.length > 3) return 'bad prefix length';
    length = 0;
    for (let i = 0; i < digits.length; i++) {
      const code = digits.charCodeAt(i);
      if (!isDigit(code)) return 'bad prefix length';
      length = length * 10 + (code - 48);
    }
    if (length > max) return `prefix length ${length} exceeds ${max}`;
  }
  const bytes = ip.bytes;
  for (let bit = length; bit < max; bit++) bytes[bit >> 3]! &= ~(0x80 >> (bit & 7));
  return { version: ip.version, bytes, length };
}

/** Dotted-quad text of 4 bytes starting at `offset`. */
export function formatIpv4(bytes: Uint8Array, offset = 0): string {
  return `${bytes[offset]}.${bytes[offset + 1]}.${bytes[offset + 2]}.${bytes[offset + 3]}`;
}

/**
 * RFC 5952 text of 16 bytes: lower case, no leading zeros, the longest run of
 * two or more zero groups as `::` (the first when tied), and IPv4-mapped
 * addresses with a dotted tail (`::ffff:192.0.2.1`).
 */
export function formatIpv6(bytes: Uint8Array): string {
  const groups: number[] = [];
  for (let g = 0; g < 8; g++) groups.push((bytes[g * 2]! << 8) | bytes[g * 2 + 1]!);
  if (
    groups[0] === 0 &&
    groups[1] === 0 &&
    groups[2] === 0 &&
    groups[3] === 0 &&
    groups[4] === 0 &&
    groups[5] === 0xffff
  ) {
    return `::ffff:${formatIpv4(bytes, 12)}`;
  }
  let bestStart = -1;
  let bestLength = 1;
  for (let g = 0; g < 8;) {
    if (groups[g] !== 0) {
      g++;
      continue;
    }
    let h = g;
    while (h < 8 && groups[h] === 0) h++;
    if (h - g > bestLength) {
      bestStart = g;
      bestLength = h - g;
    }
    g = h;
  }
  const hex = (from: number, to: number) =>
    groups
      .slice(from, to)
      .map((group) => group.toString(16))
      .join(':');
  if (bestStart < 0) return hex(0, 8);
  return `${hex(0, bestStart)}::${hex(bestStart + bestLength, 8)}`;
}

/** Canonical text of an address's bytes (4 or 16). */
export function formatIp(bytes: Uint8Array): string {
  return bytes.length === 4 ? formatIpv4(bytes) : formatIpv6(bytes);
}

/** `network/length` text of a parsed prefix. */
export function formatCidr(cidr: ParsedCidr): string {
  return `${formatIp(cidr.bytes)}/${cidr.length}`;
}
