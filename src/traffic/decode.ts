/**
 * Decodes a captured frame down to its transport header: the link layer the
 * capture declares, IPv4 or IPv6 (extension headers walked), then TCP, UDP or
 * ICMP. Anything short, unknown or not IP comes back as a reason to count.
 */
import ipaddr from 'ipaddr.js';

export const LINKTYPE = {
  NULL: 0,
  ETHERNET: 1,
  RAW: 101,
  LOOP: 108,
  LINUX_SLL: 113,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;

export const IPPROTO = { ICMP: 1, TCP: 6, UDP: 17, ICMPV6: 58 } as const;

/** TCP flag bits as they sit in the header's flags byte. */
export const TCP_FLAG = { FIN: 0x01, SYN: 0x02, RST: 0x04, PSH: 0x08, ACK: 0x10, URG: 0x20 } as const;

/** An IP packet's addresses and transport header, as far as the capture holds it. */
export interface DecodedPacket {
  ipVersion: 4 | 6;
  src: string;
  dst: string;
  /** IP protocol number of the transport (after IPv6 extension headers). */
  protocol: number;
  /** Ports for TCP/UDP; ICMP type and code in ICMP packets; 0 otherwise. */
  srcPort: number;
  dstPort: number;
  /** TCP flags byte (0 for other protocols). */
  tcpFlags: number;
  /** A fragment of an IP datagram (the first one included). */
  fragment: boolean;
  /**
   * Where the TCP/UDP payload starts in the frame and how many of its bytes the
   * capture holds (link padding excluded); 0 bytes for other protocols.
   * Offsets, not a slice: the hot path allocates nothing for it.
   */
  payloadOffset: number;
  payloadLength: number;
}

export type SkipReason = 'unsupported-link' | 'not-ip' | 'truncated' | 'later-fragment';

export type DecodeResult = { ok: true; packet: DecodedPacket } | { ok: false; reason: SkipReason };

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const VLAN_TAGS = new Set([0x8100, 0x88a8, 0x9100]);
/** BSD loopback address families that mean IPv6 (Linux/BSDs, FreeBSD, macOS). */
const NULL_IPV6 = new Set([10, 24, 28, 30]);
/** More IPv6 extension headers than this is a crafted packet, not a real one. */
const MAX_EXTENSION_HEADERS = 16;

const skip = (reason: SkipReason): DecodeResult => ({ ok: false, reason });

/** Decodes one frame captured with the given LINKTYPE. */
export function decodePacket(linkType: number, data: Buffer): DecodeResult {
  switch (linkType) {
    case LINKTYPE.ETHERNET:
    case LINKTYPE.LINUX_SLL:
    case LINKTYPE.LINUX_SLL2: {
      const at = networkLayerOffset(linkType, data);
      if (at < 0) return skip('truncated');
      const etherType = etherTypeOf(linkType, data, at);
      return etherType === ETHERTYPE_IPV4 || etherType === ETHERTYPE_IPV6 ? decodeIp(data, at) : skip('not-ip');
    }
    case LINKTYPE.RAW:
    case LINKTYPE.IPV4:
    case LINKTYPE.IPV6:
      return decodeIp(data, 0);
    case LINKTYPE.NULL:
    case LINKTYPE.LOOP:
      return decodeNull(data);
    default:
      return skip('unsupported-link');
  }
}

/**
 * Where the network layer starts in an Ethernet (VLAN tags walked) or Linux
 * cooked frame; -1 when the frame is cut before it or the link is another.
 */
export function networkLayerOffset(linkType: number, data: Buffer): number {
  switch (linkType) {
    case LINKTYPE.ETHERNET: {
      let at = 12;
      if (data.length < at + 2) return -1;
      while (VLAN_TAGS.has(data.readUInt16BE(at))) {
        at += 4;
        if (data.length < at + 2) return -1;
      }
      return at + 2;
    }
    case LINKTYPE.LINUX_SLL:
      return data.length < 16 ? -1 : 16;
    case LINKTYPE.LINUX_SLL2:
      return data.length < 20 ? -1 : 20;
    default:
      return -1;
  }
}

/** The EtherType of the layer {@link networkLayerOffset} found (SLL2 keeps it first). */
export function etherTypeOf(linkType: number, data: Buffer, networkOffset: number): number {
  return data.readUInt16BE(linkType === LINKTYPE.LINUX_SLL2 ? 0 : networkOffset - 2);
}

/** The 4-byte family is in the capturing host's byte order (NULL) or network order (LOOP). */
function decodeNull(data: Buffer): DecodeResult {
  if (data.length < 4) return skip('truncated');
  const le = data.readUInt32LE(0);
  const family = le > 0xffff ? data.readUInt32BE(0) : le;
  if (family === 2 || NULL_IPV6.has(family)) return decodeIp(data, 4);
  return skip('not-ip');
}

/** IPv4 or IPv6 by the version nibble. */
function decodeIp(data: Buffer, at: number): DecodeResult {
  if (data.length <= at) return skip('truncated');
  const version = data[at]! >> 4;
  if (version === 4) return decodeIpv4(data, at);
  if (version === 6) return decodeIpv6(data, at);
  return skip('not-ip');
}

function decodeIpv4(data: Buffer, at: number): DecodeResult {
  const headerLength = (data[at]! & 0x0f) * 4;
  if (headerLength < 20 || data.length < at + headerLength) return skip('truncated');
  const flagsAndOffset = data.readUInt16BE(at + 6);
  const offset = flagsAndOffset & 0x1fff;
  const moreFragments = (flagsAndOffset & 0x2000) !== 0;
  if (offset !== 0) return skip('later-fragment');
  const src = `${data[at + 12]}.${data[at + 13]}.${data[at + 14]}.${data[at + 15]}`;
  const dst = `${data[at + 16]}.${data[at + 17]}.${data[at + 18]}.${data[at + 19]}`;
  const end = Math.min(data.length, at + Math.max(data.readUInt16BE(at + 2), headerLength));
  return decodeTransport(4, src, dst, data[at + 9]!, data, at + headerLength, end, moreFragments);
}

function ipv6Text(data: Buffer, at: number): string {
  return ipaddr.fromByteArray([...data.subarray(at, at + 16)]).toString();
}

function decodeIpv6(data: Buffer, at: number): DecodeResult {
  if (data.length < at + 40) return skip('truncated');
  const src = ipv6Text(data, at + 8);
  const dst = ipv6Text(data, at + 24);
  let next = data[at + 6]!;
  let pos = at + 40;
  let fragment = false;
  for (let walked = 0; ; walked++) {
    if (walked > MAX_EXTENSION_HEADERS) return skip('truncated');
    if (next === 0 || next === 43 || next === 60) {
      if (data.length < pos + 2) return skip('truncated');
      const following = data[pos]!;
      pos += (data[pos + 1]! + 1) * 8;
      next = following;
    } else if (next === 44) {
      if (data.length < pos + 8) return skip('truncated');
      if ((data.readUInt16BE(pos + 2) & 0xfff8) !== 0) return skip('later-fragment');
      fragment = true;
      next = data[pos]!;
      pos += 8;
    } else if (next === 51) {
      if (data.length < pos + 2) return skip('truncated');
      const following = data[pos]!;
      pos += (data[pos + 1]! + 2) * 4;
      next = following;
    } else break;
  }
  const payloadLength = data.readUInt16BE(at + 4);
  // A payload length of 0 is a jumbogram (or a bad header): the frame bounds it.
  const end = payloadLength === 0 ? data.length : Math.min(data.length, at + 40 + payloadLength);
  return decodeTransport(6, src, dst, next, data, pos, end, fragment);
}

function decodeTransport(
  ipVersion: 4 | 6,
  src: string,
  dst: string,
  protocol: number,
  data: Buffer,
  at: number,
  end: number,
  fragment: boolean,
): DecodeResult {
  const packet: DecodedPacket = {
    ipVersion,
    src,
    dst,
    protocol,
    srcPort: 0,
    dstPort: 0,
    tcpFlags: 0,
    fragment,
    payloadOffset: at,
    payloadLength: 0,
  };
  if (protocol === IPPROTO.TCP || protocol === IPPROTO.UDP) {
    if (data.length < at + (protocol === IPPROTO.TCP ? 14 : 4)) return skip('truncated');
    packet.srcPort = data.readUInt16BE(at);
    packet.dstPort = data.readUInt16BE(at + 2);
    if (protocol === IPPROTO.TCP) packet.tcpFlags = data[at + 13]!;
    packet.payloadOffset = at + (protocol === IPPROTO.TCP ? (data[at + 12]! >> 4) * 4 : 8);
    packet.payloadLength = Math.max(0, end - packet.payloadOffset);
  } else if (protocol === IPPROTO.ICMP || protocol === IPPROTO.ICMPV6) {
    if (data.length < at + 2) return skip('truncated');
    packet.srcPort = data[at]!;
    packet.dstPort = data[at + 1]!;
  }
  return { ok: true, packet };
}
