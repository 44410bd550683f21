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

/**
 * An address as the flow table compares it: an IPv4 address as its 32-bit
 * number, an IPv6 address as its 16 bytes in a latin1 string. Either is made
 * without formatting; {@link addressText} formats it when a report needs it.
 */
export type AddressId = number | string;

/** An IP packet's addresses and transport header, as far as the capture holds it. */
export interface DecodedPacket {
  ipVersion: 4 | 6;
  /** The addresses as text (formatted on each read: the hot path reads only the ids). */
  readonly src: string;
  readonly dst: string;
  srcId: AddressId;
  dstId: AddressId;
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

/** The text form of an {@link AddressId}: dotted quad, or RFC 5952 IPv6. */
export function addressText(id: AddressId): string {
  if (typeof id === 'number') return `${id >>> 24}.${(id >>> 16) & 0xff}.${(id >>> 8) & 0xff}.${id & 0xff}`;
  const bytes = new Array<number>(16);
  for (let i = 0; i < 16; i++) bytes[i] = id.charCodeAt(i);
  return ipaddr.fromByteArray(bytes).toString();
}

/**
 * A decoded packet that {@link decodeInto} fills in place, so a capture is
 * read without an object per packet. Its fields hold until the next decode.
 */
export class PacketView implements DecodedPacket {
  ipVersion: 4 | 6 = 4;
  srcId: AddressId = 0;
  dstId: AddressId = 0;
  protocol = 0;
  srcPort = 0;
  dstPort = 0;
  tcpFlags = 0;
  fragment = false;
  payloadOffset = 0;
  payloadLength = 0;

  get src(): string {
    return addressText(this.srcId);
  }

  get dst(): string {
    return addressText(this.dstId);
  }
}

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const isVlanTag = (etherType: number): boolean => etherType === 0x8100 || etherType === 0x88a8 || etherType === 0x9100;
/** BSD loopback address families that mean IPv6 (Linux/BSDs, FreeBSD, macOS). */
const NULL_IPV6 = new Set([10, 24, 28, 30]);
/** More IPv6 extension headers than this is a crafted packet, not a real one. */
const MAX_EXTENSION_HEADERS = 16;

/** Decodes one frame captured with the given LINKTYPE into a packet of its own. */
export function decodePacket(linkType: number, data: Buffer): DecodeResult {
  const packet = new PacketView();
  const reason = decodeInto(packet, linkType, data);
  return reason === null ? { ok: true, packet } : { ok: false, reason };
}

/** Decodes one frame into `packet`; returns why it was skipped, or null when `packet` holds it. */
export function decodeInto(packet: PacketView, linkType: number, data: Buffer): SkipReason | null {
  switch (linkType) {
    case LINKTYPE.ETHERNET:
    case LINKTYPE.LINUX_SLL:
    case LINKTYPE.LINUX_SLL2: {
      const at = networkLayerOffset(linkType, data);
      if (at < 0) return 'truncated';
      const etherType = etherTypeOf(linkType, data, at);
      return etherType === ETHERTYPE_IPV4 || etherType === ETHERTYPE_IPV6 ? decodeIp(packet, data, at) : 'not-ip';
    }
    case LINKTYPE.RAW:
    case LINKTYPE.IPV4:
    case LINKTYPE.IPV6:
      return decodeIp(packet, data, 0);
    case LINKTYPE.NULL:
    case LINKTYPE.LOOP:
      return decodeNull(packet, data);
    default:
      return 'unsupported-link';
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
      while (isVlanTag((data[at]! << 8) | data[at + 1]!)) {
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
function decodeNull(packet: PacketView, data: Buffer): SkipReason | null {
  if (data.length < 4) return 'truncated';
  const le = data.readUInt32LE(0);
  const family = le > 0xffff ? data.readUInt32BE(0) : le;
  if (family === 2 || NULL_IPV6.has(family)) return decodeIp(packet, data, 4);
  return 'not-ip';
}

/** IPv4 or IPv6 by the version nibble. */
function decodeIp(packet: PacketView, data: Buffer, at: number): SkipReason | null {
  if (data.length <= at) return 'truncated';
  const version = data[at]! >> 4;
  if (version === 4) return decodeIpv4(packet, data, at);
  if (version === 6) return decodeIpv6(packet, data, at);
  return 'not-ip';
}

function decodeIpv4(packet: PacketView, data: Buffer, at: number): SkipReason | null {
  const headerLength = (data[at]! & 0x0f) * 4;
  if (headerLength < 20 || data.length < at + headerLength) return 'truncated';
  const flagsAndOffset = (data[at + 6]! << 8) | data[at + 7]!;
  if ((flagsAndOffset & 0x1fff) !== 0) return 'later-fragment';
  packet.ipVersion = 4;
  packet.srcId = u32(data, at + 12);
  packet.dstId = u32(data, at + 16);
  packet.fragment = (flagsAndOffset & 0x2000) !== 0;
  const end = Math.min(data.length, at + Math.max((data[at + 2]! << 8) | data[at + 3]!, headerLength));
  return decodeTransport(packet, data[at + 9]!, data, at + headerLength, end);
}

/** A big-endian 32-bit number, read inline (Buffer's readers check their arguments on every call). */
function u32(data: Buffer, at: number): number {
  return ((data[at]! << 24) | (data[at + 1]! << 16) | (data[at + 2]! << 8) | data[at + 3]!) >>> 0;
}

function decodeIpv6(packet: PacketView, data: Buffer, at: number): SkipReason | null {
  if (data.length < at + 40) return 'truncated';
  let next = data[at + 6]!;
  let pos = at + 40;
  let fragment = false;
  for (let walked = 0; ; walked++) {
    if (walked > MAX_EXTENSION_HEADERS) return 'truncated';
    if (next === 0 || next === 43 || next === 60) {
      if (data.length < pos + 2) return 'truncated';
      const following = data[pos]!;
      pos += (data[pos + 1]! + 1) * 8;
      next = following;
    } else if (next === 44) {
      if (data.length < pos + 8) return 'truncated';
      if ((data.readUInt16BE(pos + 2) & 0xfff8) !== 0) return 'later-fragment';
      fragment = true;
      next = data[pos]!;
      pos += 8;
    } else if (next === 51) {
      if (data.length < pos + 2) return 'truncated';
      const following = data[pos]!;
      pos += (data[pos + 1]! + 2) * 4;
      next = following;
    } else break;
  }
  const payloadLength = data.readUInt16BE(at + 4);
  // A payload length of 0 is a jumbogram (or a bad header): the frame bounds it.
  const end = payloadLength === 0 ? data.length : Math.min(data.length, at + 40 + payloadLength);
  packet.ipVersion = 6;
  packet.srcId = data.toString('latin1', at + 8, at + 24);
  packet.dstId = data.toString('latin1', at + 24, at + 40);
  packet.fragment = fragment;
  return decodeTransport(packet, next, data, pos, end);
}

function decodeTransport(
  packet: PacketView,
  protocol: number,
  data: Buffer,
  at: number,
  end: number,
): SkipReason | null {
  packet.protocol = protocol;
  packet.srcPort = 0;
  packet.dstPort = 0;
  packet.tcpFlags = 0;
  packet.payloadOffset = at;
  packet.payloadLength = 0;
  if (protocol === IPPROTO.TCP || protocol === IPPROTO.UDP) {
    if (data.length < at + (protocol === IPPROTO.TCP ? 14 : 4)) return 'truncated';
    packet.srcPort = (data[at]! << 8) | data[at + 1]!;
    packet.dstPort = (data[at + 2]! << 8) | data[at + 3]!;
    if (protocol === IPPROTO.TCP) packet.tcpFlags = data[at + 13]!;
    packet.payloadOffset = at + (protocol === IPPROTO.TCP ? (data[at + 12]! >> 4) * 4 : 8);
    packet.payloadLength = Math.max(0, end - packet.payloadOffset);
  } else if (protocol === IPPROTO.ICMP || protocol === IPPROTO.ICMPV6) {
    if (data.length < at + 2) return 'truncated';
    packet.srcPort = data[at]!;
    packet.dstPort = data[at + 1]!;
  }
  return null;
}
