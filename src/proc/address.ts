/**
 * Socket addresses as /proc/net prints them, and the one canonical text form
 * logsleuth compares addresses in: IPv4 dotted quads, IPv6 in RFC 5952
 * (lower case, longest zero run compressed), IPv4-mapped IPv6 shown as IPv4.
 */
import ipaddr from 'ipaddr.js';
import { endianness } from 'node:os';

/** Whether the kernel prints words little-endian: true on x86 and arm64. */
export const HOST_LITTLE_ENDIAN = endianness() === 'LE';

function isHex(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66))) return false;
  }
  return text.length > 0;
}

/** Parses hex digits; undefined unless `text` is 1..8 hex digits. */
export function parseHex(text: string): number | undefined {
  return text.length <= 8 && isHex(text) ? parseInt(text, 16) : undefined;
}

/** The four bytes of one 32-bit word printed by the kernel with %08X, in memory order. */
function wordBytes(hex: string, littleEndian: boolean): number[] {
  const value = parseInt(hex, 16);
  const big = [(value >>> 24) & 0xff, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff];
  return littleEndian ? big.reverse() : big;
}

/**
 * Decodes a /proc/net address: 8 hex digits for IPv4, 32 for IPv6 (four 32-bit
 * words, each in host byte order). Returns the canonical text, IPv4-mapped
 * IPv6 as IPv4; undefined when the field is malformed.
 */
export function decodeHexAddress(hex: string, littleEndian = HOST_LITTLE_ENDIAN): string | undefined {
  if (!isHex(hex)) return undefined;
  if (hex.length === 8) return wordBytes(hex, littleEndian).join('.');
  if (hex.length !== 32) return undefined;
  const bytes: number[] = [];
  for (let i = 0; i < 32; i += 8) bytes.push(...wordBytes(hex.slice(i, i + 8), littleEndian));
  return canonical(ipaddr.fromByteArray(bytes));
}

function canonical(address: ipaddr.IPv4 | ipaddr.IPv6): string {
  if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress()) {
    return (address as ipaddr.IPv6).toIPv4Address().toString();
  }
  return address.kind() === 'ipv6' ? (address as ipaddr.IPv6).toRFC5952String() : address.toString();
}

/**
 * The canonical text of an address typed by a person or found in a log
 * (`::FFFF:10.0.0.1`, `2001:0db8:0:0::1`, `fe80::1%eth0`, `[::1]`); undefined
 * when it is not an address.
 */
export function normaliseAddress(text: string): string | undefined {
  let value = text.trim();
  if (value.startsWith('[') && value.endsWith(']')) value = value.slice(1, -1);
  const zone = value.indexOf('%');
  if (zone >= 0) value = value.slice(0, zone);
  if (!ipaddr.isValid(value)) return undefined;
  // ipaddr accepts shorthand IPv4 ("10.1", "0x7f.1"); /proc and logs never print those.
  if (!value.includes(':') && !ipaddr.IPv4.isValidFourPartDecimal(value)) return undefined;
  return canonical(ipaddr.parse(value));
}
