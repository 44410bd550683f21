/**
 * DNS messages (RFC 1035) from a UDP payload or a TCP segment: header,
 * questions and resource records, with name compression followed safely.
 * Every read is bounds-checked; bad bytes give a malformed result, never a throw.
 */
import ipaddr from 'ipaddr.js';
import { printable } from './printable';

/** Resource record types whose data is decoded; the rest keep type and length. */
export const DNS_TYPE = { A: 1, NS: 2, CNAME: 5, PTR: 12, MX: 15, TXT: 16, AAAA: 28 } as const;

/** More compression pointers than this in one name is crafted, not compressed. */
export const MAX_POINTER_JUMPS = 64;
/** Longest name on the wire, length bytes included (RFC 1035 section 2.3.4). */
export const MAX_NAME_BYTES = 255;

export interface DnsHeader {
  id: number;
  /** A response (QR bit set), not a query. */
  response: boolean;
  opcode: number;
  authoritative: boolean;
  truncated: boolean;
  recursionDesired: boolean;
  recursionAvailable: boolean;
  rcode: number;
}

export interface DnsQuestion {
  name: string;
  type: number;
  class: number;
}

export type DnsRdata =
  | { kind: 'address'; address: string }
  | { kind: 'name'; name: string }
  | { kind: 'mx'; preference: number; exchange: string }
  | { kind: 'txt'; texts: string[] };

export interface DnsRecord {
  name: string;
  type: number;
  class: number;
  ttl: number;
  /** RDATA length on the wire. */
  length: number;
  /** Decoded RDATA for A, AAAA, NS, CNAME, PTR, MX and TXT; absent for other types. */
  data?: DnsRdata;
}

export interface DnsMessage {
  header: DnsHeader;
  questions: DnsQuestion[];
  answers: DnsRecord[];
  authorities: DnsRecord[];
  additionals: DnsRecord[];
}

export type DnsMalformedReason =
  | 'truncated'
  | 'label-too-long'
  | 'name-too-long'
  | 'pointer-forward'
  | 'pointer-loop'
  | 'too-many-pointers'
  | 'bad-rdata';

export type DnsResult = { ok: true; message: DnsMessage } | { ok: false; reason: DnsMalformedReason };

/** Thrown inside the parser only, to unwind to `parseDns`; never escapes it. */
class Malformed extends Error {
  constructor(readonly reason: DnsMalformedReason) {
    super(reason);
  }
}

/** Parses one DNS message as carried in a UDP datagram. */
export function parseDns(payload: Buffer): DnsResult {
  try {
    return { ok: true, message: readMessage(payload) };
  } catch (error) {
    if (error instanceof Malformed) return { ok: false, reason: error.reason };
    throw error;
  }
}

/** Parses the first DNS message of a TCP stream (a 2-byte length, then the message). */
export function parseDnsTcp(segment: Buffer): DnsResult {
  if (segment.length < 2) return { ok: false, reason: 'truncated' };
  const length = segment.readUInt16BE(0);
  if (segment.length < 2 + length) return { ok: false, reason: 'truncated' };
  return parseDns(segment.subarray(2, 2 + length));
}

function need(message: Buffer, at: number, bytes: number): void {
  if (at + bytes > message.length) throw new Malformed('truncated');
}

function readMessage(message: Buffer): DnsMessage {
  need(message, 0, 12);
  const flags = message.readUInt16BE(2);
  const header: DnsHeader = {
    id: message.readUInt16BE(0),
    response: (flags & 0x8000) !== 0,
    opcode: (flags >> 11) & 0x0f,
    authoritative: (flags & 0x0400) !== 0,
    truncated: (flags & 0x0200) !== 0,
    recursionDesired: (flags & 0x0100) !== 0,
    recursionAvailable: (flags & 0x0080) !== 0,
    rcode: flags & 0x0f,
  };
  // Counts are untrusted: every entry consumes bytes, so the message bounds the loops.
  const cursor = { at: 12 };
  const questions: DnsQuestion[] = [];
  for (let i = message.readUInt16BE(4); i > 0; i--) {
    const name = readName(message, cursor);
    need(message, cursor.at, 4);
    questions.push({ name, type: message.readUInt16BE(cursor.at), class: message.readUInt16BE(cursor.at + 2) });
    cursor.at += 4;
  }
  const answers = readRecords(message, cursor, message.readUInt16BE(6));
  const authorities = readRecords(message, cursor, message.readUInt16BE(8));
  const additionals = readRecords(message, cursor, message.readUInt16BE(10));
  return { header, questions, answers, authorities, additionals };
}

function readRecords(message: Buffer, cursor: { at: number }, count: number): DnsRecord[] {
  const records: DnsRecord[] = [];
  for (let i = count; i > 0; i--) {
    const name = readName(message, cursor);
    need(message, cursor.at, 10);
    const type = message.readUInt16BE(cursor.at);
    const record: DnsRecord = {
      name,
      type,
      class: message.readUInt16BE(cursor.at + 2),
      ttl: message.readUInt32BE(cursor.at + 4),
      length: message.readUInt16BE(cursor.at + 8),
    };
    const start = cursor.at + 10;
    need(message, start, record.length);
    const data = readRdata(message, type, start, record.length);
    if (data) record.data = data;
    records.push(record);
    cursor.at = start + record.length;
  }
  return records;
}

function readRdata(message: Buffer, type: number, start: number, length: number): DnsRdata | undefined {
  const end = start + length;
  switch (type) {
    case DNS_TYPE.A:
      if (length !== 4) throw new Malformed('bad-rdata');
      return { kind: 'address', address: message.subarray(start, end).join('.') };
    case DNS_TYPE.AAAA:
      if (length !== 16) throw new Malformed('bad-rdata');
      return { kind: 'address', address: ipaddr.fromByteArray([...message.subarray(start, end)]).toString() };
    case DNS_TYPE.NS:
    case DNS_TYPE.CNAME:
    case DNS_TYPE.PTR:
      return { kind: 'name', name: readNameWithin(message, start, end) };
    case DNS_TYPE.MX: {
      if (length < 3) throw new Malformed('bad-rdata');
      return { kind: 'mx', preference: message.readUInt16BE(start), exchange: readNameWithin(message, start + 2, end) };
    }
    case DNS_TYPE.TXT:
      return { kind: 'txt', texts: readStrings(message, start, end) };
    default:
      return undefined;
  }
}

/** A name inside RDATA: its uncompressed part must end within the RDATA. */
function readNameWithin(message: Buffer, start: number, end: number): string {
  const cursor = { at: start };
  let name: string;
  try {
    name = readName(message.subarray(0, end), cursor);
  } catch (error) {
    // The message went on; it is the RDATA that ended mid-name.
    throw error instanceof Malformed && error.reason === 'truncated' ? new Malformed('bad-rdata') : error;
  }
  if (cursor.at !== end) throw new Malformed('bad-rdata');
  return name;
}

function readStrings(message: Buffer, start: number, end: number): string[] {
  const texts: string[] = [];
  for (let at = start; at < end;) {
    const length = message[at]!;
    if (at + 1 + length > end) throw new Malformed('bad-rdata');
    texts.push(printable(message, at + 1, at + 1 + length, '"'));
    at += 1 + length;
  }
  return texts;
}

/**
 * Reads a possibly compressed name at `cursor.at` and moves the cursor past it.
 * A pointer must point before every byte this name has read so far, so each
 * jump lands strictly lower: no loop can last, and the jump count is bounded too.
 */
function readName(message: Buffer, cursor: { at: number }): string {
  const labels: string[] = [];
  let at = cursor.at;
  let lowest = at;
  let jumps = 0;
  let wireBytes = 1;
  for (;;) {
    need(message, at, 1);
    const length = message[at]!;
    if (length === 0) {
      if (jumps === 0) cursor.at = at + 1;
      return labels.length ? labels.join('.') : '.';
    }
    if (length >= 0xc0) {
      need(message, at, 2);
      const target = message.readUInt16BE(at) & 0x3fff;
      if (target >= at) throw new Malformed('pointer-forward');
      if (target >= lowest) throw new Malformed('pointer-loop');
      if (++jumps > MAX_POINTER_JUMPS) throw new Malformed('too-many-pointers');
      if (jumps === 1) cursor.at = at + 2;
      at = lowest = target;
      continue;
    }
    if (length > 63) throw new Malformed('label-too-long');
    need(message, at + 1, length);
    wireBytes += 1 + length;
    if (wireBytes > MAX_NAME_BYTES) throw new Malformed('name-too-long');
    labels.push(printable(message, at + 1, at + 1 + length, '.'));
    at += 1 + length;
  }
}
