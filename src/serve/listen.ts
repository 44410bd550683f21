/**
 * The `--listen` address and what it implies: a loopback address serves this
 * host only; any other needs a bearer token (the server refuses to start
 * without one).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';

export interface ListenAddress {
  host: string;
  port: number;
}

/** Whether `text` is one or more ASCII digits (no regex: the text comes from outside). */
export function isDigits(text: string): boolean {
  return text.length > 0 && [...text].every((c) => c >= '0' && c <= '9');
}

/** Parses `HOST:PORT`, `[IPV6]:PORT` or `PORT`; throws a one-line error for anything else. */
export function parseListen(text: string): ListenAddress {
  let host = '127.0.0.1';
  let portText = text;
  if (text.startsWith('[')) {
    const end = text.indexOf(']:');
    if (end < 0) throw new Error(`--listen: expected [ADDRESS]:PORT, not '${text}'`);
    host = text.slice(1, end);
    portText = text.slice(end + 2);
  } else if (text.includes(':')) {
    const colon = text.lastIndexOf(':');
    host = text.slice(0, colon);
    portText = text.slice(colon + 1);
  }
  const port = Number(portText);
  if (!isDigits(portText) || portText.length > 5 || port > 65535)
    throw new Error(`--listen: not a port: '${portText}'`);
  if (host !== 'localhost' && isIP(host) === 0) throw new Error(`--listen: not an IP address: '${host}'`);
  return { host, port };
}

/** Whether `host` is this machine only (127.0.0.0/8, ::1, localhost). */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
}

/** Compares a presented bearer token with the expected one in constant time (digests of equal length). */
export function tokenMatches(presented: string | undefined, expected: string): boolean {
  if (presented === undefined) return false;
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** The token of an `Authorization: Bearer <token>` header. */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined || !header.startsWith('Bearer ')) return undefined;
  return header.slice('Bearer '.length).trim();
}
