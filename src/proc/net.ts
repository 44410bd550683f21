/**
 * /proc/net/{tcp,tcp6,udp,udp6}: the sockets of this network namespace.
 *
 * A line reads `sl local rem st tx:rx tr:when retrnsmt uid timeout inode ...`,
 * addresses as `HEXADDR:HEXPORT` (see address.ts for the byte order).
 */
import { join } from 'node:path';
import { HOST_LITTLE_ENDIAN, decodeHexAddress, parseHex } from './address';
import { type ReadResult, readText } from './read';
import { decimal, fields } from './text';

/** The four socket tables. */
export type NetProtocol = 'tcp' | 'tcp6' | 'udp' | 'udp6';

export const NET_PROTOCOLS: readonly NetProtocol[] = ['tcp', 'tcp6', 'udp', 'udp6'];

/** TCP states by the kernel's number (include/net/tcp_states.h), under the kernel's names. */
export const TCP_STATES: Readonly<Record<number, string>> = {
  0x01: 'ESTABLISHED',
  0x02: 'SYN_SENT',
  0x03: 'SYN_RECV',
  0x04: 'FIN_WAIT1',
  0x05: 'FIN_WAIT2',
  0x06: 'TIME_WAIT',
  0x07: 'CLOSE',
  0x08: 'CLOSE_WAIT',
  0x09: 'LAST_ACK',
  0x0a: 'LISTEN',
  0x0b: 'CLOSING',
  0x0c: 'NEW_SYN_RECV',
};

/**
 * UDP sockets reuse the TCP numbers: 07 (TCP_CLOSE) is an unconnected socket,
 * bound and receiving, which `ss` shows as UNCONN; we do the same, since
 * "CLOSE" would read as "not in use". 01 is a connected UDP socket (ESTABLISHED).
 */
export function stateName(protocol: NetProtocol, code: number): string {
  if ((protocol === 'udp' || protocol === 'udp6') && code === 0x07) return 'UNCONN';
  return TCP_STATES[code] ?? `UNKNOWN_${code.toString(16).toUpperCase().padStart(2, '0')}`;
}

/** One row of a /proc/net socket table. */
export interface NetSocket {
  protocol: NetProtocol;
  localAddress: string;
  localPort: number;
  remoteAddress: string;
  remotePort: number;
  /** Kernel state name (UNCONN for unconnected UDP). */
  state: string;
  txQueue: number;
  rxQueue: number;
  uid: number;
  /** 0 for sockets without an inode (TIME_WAIT, request sockets). */
  inode: number;
}

function splitEndpoint(field: string): [string, number] | undefined {
  const colon = field.indexOf(':');
  if (colon < 0) return undefined;
  const address = decodeHexAddress(field.slice(0, colon), HOST_LITTLE_ENDIAN);
  const port = parseHex(field.slice(colon + 1));
  if (address === undefined || port === undefined || port > 0xffff) return undefined;
  return [address, port];
}

/** Parses one data line of a socket table; undefined when it is malformed. */
export function parseNetLine(protocol: NetProtocol, line: string): NetSocket | undefined {
  const f = fields(line);
  if (f.length < 10 || !f[0]!.endsWith(':')) return undefined;
  const wantDigits = protocol.endsWith('6') ? 32 : 8;
  if (f[1]!.indexOf(':') !== wantDigits || f[2]!.indexOf(':') !== wantDigits) return undefined;
  const local = splitEndpoint(f[1]!);
  const remote = splitEndpoint(f[2]!);
  const state = f[3]!.length === 2 ? parseHex(f[3]!) : undefined;
  const queues = f[4]!.split(':');
  const tx = queues.length === 2 ? parseHex(queues[0]!) : undefined;
  const rx = queues.length === 2 ? parseHex(queues[1]!) : undefined;
  const uid = decimal(f[7]);
  const inode = decimal(f[9]);
  if (!local || !remote || state === undefined || tx === undefined || rx === undefined) return undefined;
  if (uid === undefined || inode === undefined) return undefined;
  return {
    protocol,
    localAddress: local[0],
    localPort: local[1],
    remoteAddress: remote[0],
    remotePort: remote[1],
    state: stateName(protocol, state),
    txQueue: tx,
    rxQueue: rx,
    uid,
    inode,
  };
}

/** Parses a whole socket table (header line first); malformed lines are counted. */
export function parseNetTable(protocol: NetProtocol, text: string): ReadResult<NetSocket> {
  const items: NetSocket[] = [];
  let skipped = 0;
  const lines = text.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const socket = parseNetLine(protocol, line);
    if (socket) items.push(socket);
    else skipped++;
  }
  return { items, skipped };
}

/**
 * Reads the socket tables under `procRoot/net` (all four unless named). A
 * missing table (no IPv6 in this kernel) is not a skip; it has no sockets.
 */
export function readNetSockets(
  procRoot: string,
  protocols: readonly NetProtocol[] = NET_PROTOCOLS,
): ReadResult<NetSocket> {
  const items: NetSocket[] = [];
  let skipped = 0;
  for (const protocol of protocols) {
    const text = readText(join(procRoot, 'net', protocol), 'seq-table');
    if (text === undefined) continue;
    const table = parseNetTable(protocol, text);
    for (const socket of table.items) items.push(socket);
    skipped += table.skipped;
  }
  return { items, skipped };
}
