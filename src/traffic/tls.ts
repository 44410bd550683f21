/**
 * The TLS ClientHello at the start of a TCP flow to a server: the server name
 * the client asked for (SNI) and the protocols it offered (ALPN). Only the
 * bytes of the first payload are read; every length is checked against them.
 */
import { printable } from './printable';

export interface ClientHello {
  /** Version in the record header (0x0301 for most clients, whatever they negotiate). */
  recordVersion: number;
  /** legacy_version of the ClientHello (0x0303 for TLS 1.2 and 1.3). */
  clientVersion: number;
  /** The host_name of the server_name extension, if the client sent one. */
  serverName?: string;
  /** Protocols offered by application_layer_protocol_negotiation, in order. */
  alpn: string[];
  /** The payload ended inside the hello: extensions after that point were not seen. */
  partial: boolean;
}

export type ClientHelloMalformedReason = 'not-handshake' | 'not-client-hello' | 'truncated' | 'bad-length';

export type ClientHelloResult = { ok: true; hello: ClientHello } | { ok: false; reason: ClientHelloMalformedReason };

const CONTENT_HANDSHAKE = 22;
const HANDSHAKE_CLIENT_HELLO = 1;
const EXTENSION_SERVER_NAME = 0;
const EXTENSION_ALPN = 16;
const SERVER_NAME_HOST = 0;

const malformed = (reason: ClientHelloMalformedReason): ClientHelloResult => ({ ok: false, reason });

/** Parses a ClientHello from the first bytes a client sent on a TCP connection. */
export function parseClientHello(payload: Buffer): ClientHelloResult {
  if (payload.length < 5) return malformed('truncated');
  if (payload[0] !== CONTENT_HANDSHAKE || payload[1] !== 3) return malformed('not-handshake');
  const recordVersion = payload.readUInt16BE(1);
  // The hello may continue in later records or segments: read what this payload holds.
  const end = Math.min(payload.length, 5 + payload.readUInt16BE(3));
  if (end < 9) return malformed('truncated');
  if (payload[5] !== HANDSHAKE_CLIENT_HELLO) return malformed('not-client-hello');
  let at = 9;
  if (at + 34 > end) return malformed('truncated');
  const clientVersion = payload.readUInt16BE(at);
  at += 34; // version and random
  if (at + 1 > end) return malformed('truncated');
  at += 1 + payload[at]!; // session id
  if (at + 2 > end) return malformed('truncated');
  at += 2 + payload.readUInt16BE(at); // cipher suites
  if (at + 1 > end) return malformed('truncated');
  at += 1 + payload[at]!; // compression methods
  const complete = end === 5 + payload.readUInt16BE(3);
  const hello: ClientHello = { recordVersion, clientVersion, alpn: [], partial: !complete };
  if (at === end && complete) return { ok: true, hello }; // no extensions at all
  if (at + 2 > end) return malformed('truncated');
  const extensionsEnd = at + 2 + payload.readUInt16BE(at);
  if (complete && extensionsEnd > end) return malformed('bad-length');
  // A hello cut by the segment: walk the extensions it holds and say it is partial.
  for (at += 2; at < Math.min(extensionsEnd, end);) {
    if (at + 4 > end) break;
    const type = payload.readUInt16BE(at);
    const dataEnd = at + 4 + payload.readUInt16BE(at + 2);
    if (dataEnd > extensionsEnd) return malformed('bad-length');
    if (dataEnd > end) break;
    const read =
      type === EXTENSION_SERVER_NAME
        ? readServerName(payload, at + 4, dataEnd, hello)
        : type === EXTENSION_ALPN
          ? readAlpn(payload, at + 4, dataEnd, hello)
          : true;
    if (!read) return malformed('bad-length');
    at = dataEnd;
  }
  return { ok: true, hello };
}

/** server_name: a 2-byte list length, then entries of type (1), length (2), name. */
function readServerName(payload: Buffer, at: number, end: number, hello: ClientHello): boolean {
  if (at + 2 > end || at + 2 + payload.readUInt16BE(at) !== end) return false;
  for (at += 2; at < end;) {
    if (at + 3 > end) return false;
    const nameEnd = at + 3 + payload.readUInt16BE(at + 1);
    if (nameEnd > end) return false;
    if (payload[at] === SERVER_NAME_HOST && hello.serverName === undefined)
      hello.serverName = printable(payload, at + 3, nameEnd);
    at = nameEnd;
  }
  return true;
}

/** ALPN: a 2-byte list length, then protocol names each with a 1-byte length. */
function readAlpn(payload: Buffer, at: number, end: number, hello: ClientHello): boolean {
  if (at + 2 > end || at + 2 + payload.readUInt16BE(at) !== end) return false;
  for (at += 2; at < end;) {
    const nameEnd = at + 1 + payload[at]!;
    if (nameEnd > end) return false;
    hello.alpn.push(printable(payload, at + 1, nameEnd));
    at = nameEnd;
  }
  return true;
}
