/**
 * The HTTP/1 request line and Host header from the first payload a client
 * sends on a TCP flow. Reads at most the first {@link MAX_HTTP_HEAD} bytes and
 * checks every byte against the grammar (RFC 9112) instead of trusting it.
 */
import { printable } from './printable';

/** Bytes of a payload looked at: a request head longer than this is not a request we list. */
export const MAX_HTTP_HEAD = 8 * 1024;

export interface HttpRequestHead {
  method: string;
  target: string;
  /** "HTTP/1.1", "HTTP/1.0". */
  version: string;
  /** The Host header's value, trimmed, if it came within the bytes read. */
  host?: string;
  /** The header block did not end within the bytes read: a Host after them was not seen. */
  partial: boolean;
}

export type HttpMalformedReason = 'not-http' | 'truncated';

export type HttpResult = { ok: true; request: HttpRequestHead } | { ok: false; reason: HttpMalformedReason };

const SP = 0x20;
const CR = 0x0d;
const LF = 0x0a;
/** RFC 9110 tchar: the bytes a method may hold, besides letters and digits. */
const TCHAR_PUNCTUATION = "!#$%&'*+-.^_`|~";
const MAX_METHOD = 32;

const malformed = (reason: HttpMalformedReason): HttpResult => ({ ok: false, reason });

function isTchar(byte: number): boolean {
  return (
    (byte >= 0x30 && byte <= 0x39) ||
    (byte >= 0x41 && byte <= 0x5a) ||
    (byte >= 0x61 && byte <= 0x7a) ||
    TCHAR_PUNCTUATION.includes(String.fromCharCode(byte))
  );
}

/** Parses the request head at the start of a client's first TCP payload. */
export function parseHttpRequest(payload: Buffer): HttpResult {
  const end = Math.min(payload.length, MAX_HTTP_HEAD);
  let at = 0;
  while (at < end && at <= MAX_METHOD && isTchar(payload[at]!)) at++;
  if (at === end) return at > 0 && at <= MAX_METHOD ? malformed('truncated') : malformed('not-http');
  if (at === 0 || at > MAX_METHOD || payload[at] !== SP) return malformed('not-http');
  const method = payload.toString('latin1', 0, at);
  const targetStart = ++at;
  while (at < end && payload[at]! > SP && payload[at]! < 0x7f) at++;
  if (at === end) return malformed('truncated');
  if (at === targetStart || payload[at] !== SP) return malformed('not-http');
  const target = payload.toString('latin1', targetStart, at);
  const versionStart = at + 1;
  if (versionStart + 8 > end) return malformed('truncated');
  if (!isVersion(payload, versionStart)) return malformed('not-http');
  const version = payload.toString('latin1', versionStart, versionStart + 8);
  const lineEnd = endOfLine(payload, versionStart + 8, end);
  if (lineEnd === undefined) return malformed(versionStart + 9 >= end ? 'truncated' : 'not-http');
  return { ok: true, request: { method, target, version, ...readHost(payload, lineEnd, end) } };
}

/** "HTTP/" digit "." digit */
function isVersion(payload: Buffer, at: number): boolean {
  const digit = (byte: number) => byte >= 0x30 && byte <= 0x39;
  return (
    payload.toString('latin1', at, at + 5) === 'HTTP/' &&
    digit(payload[at + 5]!) &&
    payload[at + 6] === 0x2e &&
    digit(payload[at + 7]!)
  );
}

/** Where the next line starts if a CRLF (or a bare LF) ends this one at `at`. */
function endOfLine(payload: Buffer, at: number, end: number): number | undefined {
  if (at < end && payload[at] === LF) return at + 1;
  if (at + 1 < end && payload[at] === CR && payload[at + 1] === LF) return at + 2;
  return undefined;
}

/** Walks header lines to the empty one, keeping the first Host value. */
function readHost(payload: Buffer, at: number, end: number): { host?: string; partial: boolean } {
  let host: string | undefined;
  while (at < end) {
    const lineEnd = payload.indexOf(LF, at);
    if (lineEnd === -1 || lineEnd >= end) break;
    const contentEnd = lineEnd > at && payload[lineEnd - 1] === CR ? lineEnd - 1 : lineEnd;
    if (contentEnd === at) return host === undefined ? { partial: false } : { host, partial: false };
    if (host === undefined && contentEnd - at > 5 && payload.toString('latin1', at, at + 5).toLowerCase() === 'host:') {
      let start = at + 5;
      let stop = contentEnd;
      while (start < stop && (payload[start] === SP || payload[start] === 0x09)) start++;
      while (stop > start && (payload[stop - 1] === SP || payload[stop - 1] === 0x09)) stop--;
      host = printable(payload, start, stop);
    }
    at = lineEnd + 1;
  }
  return host === undefined ? { partial: true } : { host, partial: true };
}
