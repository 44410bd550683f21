/**
 * ARP (RFC 826) in Ethernet and Linux cooked frames: who asked for which
 * address and who answered, the evidence of ARP spoofing and local scans.
 * Only Ethernet/IPv4 ARP is decoded; other hardware or protocol types are counted.
 */
import { etherTypeOf, LINKTYPE, networkLayerOffset } from './decode';

export const ETHERTYPE_ARP = 0x0806;
export const ARP_OPERATION = { REQUEST: 1, REPLY: 2 } as const;

export interface ArpPacket {
  /** 1 request, 2 reply (others kept as their number). */
  operation: number;
  senderMac: string;
  senderIp: string;
  targetMac: string;
  targetIp: string;
}

export type ArpMalformedReason = 'not-arp' | 'truncated' | 'unsupported';

export type ArpResult = { ok: true; arp: ArpPacket } | { ok: false; reason: ArpMalformedReason };

const ARP_BYTES = 28;
const HARDWARE_ETHERNET = 1;
const PROTOCOL_IPV4 = 0x0800;

/** The link layers that carry an EtherType (loopback and raw IP have no ARP). */
const ETHERTYPE_LINKS = new Set<number>([LINKTYPE.ETHERNET, LINKTYPE.LINUX_SLL, LINKTYPE.LINUX_SLL2]);

const malformed = (reason: ArpMalformedReason): ArpResult => ({ ok: false, reason });

/** Decodes the ARP message of a frame, if the frame carries one. */
export function decodeArp(linkType: number, data: Buffer): ArpResult {
  if (!ETHERTYPE_LINKS.has(linkType)) return malformed('not-arp');
  const at = networkLayerOffset(linkType, data);
  if (at < 0) return malformed('truncated');
  if (etherTypeOf(linkType, data, at) !== ETHERTYPE_ARP) return malformed('not-arp');
  return parseArp(data, at);
}

/** Parses the 28-byte Ethernet/IPv4 ARP message at `at`. */
export function parseArp(data: Buffer, at: number): ArpResult {
  if (data.length < at + 8) return malformed('truncated');
  const hardware = data.readUInt16BE(at);
  const protocol = data.readUInt16BE(at + 2);
  if (hardware !== HARDWARE_ETHERNET || protocol !== PROTOCOL_IPV4 || data[at + 4] !== 6 || data[at + 5] !== 4)
    return malformed('unsupported');
  if (data.length < at + ARP_BYTES) return malformed('truncated');
  return {
    ok: true,
    arp: {
      operation: data.readUInt16BE(at + 6),
      senderMac: mac(data, at + 8),
      senderIp: data.subarray(at + 14, at + 18).join('.'),
      targetMac: mac(data, at + 18),
      targetIp: data.subarray(at + 24, at + 28).join('.'),
    },
  };
}

function mac(data: Buffer, at: number): string {
  return [...data.subarray(at, at + 6)].map((byte) => byte.toString(16).padStart(2, '0')).join(':');
}
