/**
 * IPv4 addresses carried inside IPv6 ones. A log that shows `::ffff:203.0.113.9`
 * or a Teredo address is about the IPv4 host inside, so classification
 * unwraps it and judges the IPv4 address.
 *
 * Unwrapped: IPv4-mapped (::ffff:0:0/96, RFC 4291), the NAT64 well-known
 * prefix (64:ff9b::/96, RFC 6052), 6to4 (2002::/16, RFC 3056: bits 16-47) and
 * Teredo (2001::/32, RFC 4380: server in bits 32-63, client port in bits 80-95
 * and client address in bits 96-127, both inverted). Not unwrapped: the NAT64
 * local-use prefix 64:ff9b:1::/48 (RFC 8215), whose embedding length is chosen
 * per network, and the deprecated IPv4-compatible ::a.b.c.d.
 */
import { formatIpv4 } from './address';

/** How the IPv4 address is carried. */
export type EmbeddingKind = 'ipv4-mapped' | 'nat64' | '6to4' | 'teredo';

/** An IPv4 address found inside an IPv6 address. */
export interface EmbeddedIpv4 {
  kind: EmbeddingKind;
  /** The carrying prefix, e.g. `2002::/16`. */
  prefix: string;
  /** The embedded (for Teredo: the client's public) IPv4 address. */
  ip: string;
  /** Teredo only: the Teredo server's IPv4 address. */
  server?: string;
  /** Teredo only: the client's public (NAT-mapped) UDP port. */
  port?: number;
}

/** The embedded address and its 4 bytes (what classification judges). */
export interface Unwrapped {
  embedded: EmbeddedIpv4;
  bytes: Uint8Array;
}

function allZero(bytes: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (bytes[i] !== 0) return false;
  return true;
}

/** The IPv4 address embedded in 16 address bytes, or undefined when there is none. */
export function unwrapIpv4(bytes: Uint8Array): Unwrapped | undefined {
  if (bytes.length !== 16) return undefined;
  const b0 = bytes[0]!;
  const b1 = bytes[1]!;
  if (b0 === 0 && b1 === 0 && allZero(bytes, 2, 10) && bytes[10] === 0xff && bytes[11] === 0xff) {
    const v4 = bytes.slice(12, 16);
    return { embedded: { kind: 'ipv4-mapped', prefix: '::ffff:0:0/96', ip: formatIpv4(v4) }, bytes: v4 };
  }
  if (b0 === 0 && b1 === 0x64 && bytes[2] === 0xff && bytes[3] === 0x9b && allZero(bytes, 4, 12)) {
    const v4 = bytes.slice(12, 16);
    return { embedded: { kind: 'nat64', prefix: '64:ff9b::/96', ip: formatIpv4(v4) }, bytes: v4 };
  }
  if (b0 === 0x20 && b1 === 0x02) {
    const v4 = bytes.slice(2, 6);
    return { embedded: { kind: '6to4', prefix: '2002::/16', ip: formatIpv4(v4) }, bytes: v4 };
  }
  if (b0 === 0x20 && b1 === 0x01 && bytes[2] === 0 && bytes[3] === 0) {
    const v4 = new Uint8Array(4);
    for (let i = 0; i < 4; i++) v4[i] = bytes[12 + i]! ^ 0xff;
    const port = ((bytes[10]! << 8) | bytes[11]!) ^ 0xffff;
    const embedded: EmbeddedIpv4 = {
      kind: 'teredo',
      prefix: '2001::/32',
      ip: formatIpv4(v4),
      server: formatIpv4(bytes, 4),
      port,
    };
    return { embedded, bytes: v4 };
  }
  return undefined;
}
