/**
 * lighttpd's error log (server.errorlog): `2018-01-16 14:10:32: (mod_auth.c.525)
 * message`, the source file and line of the server that wrote it in
 * parentheses (1.4.60 and later print `mod_auth.c.828)` without the opening one).
 */
import { createEvent } from '../../core/event';
import { scanIso } from '../time';
import type { LogFormat } from './types';

/** Reads `(file.c.123) ` at `at`: the end of the reference, or -1. */
function sourceReferenceEnd(text: string, at: number): number {
  const start = text.charCodeAt(at) === 40 ? at + 1 : at;
  const close = text.indexOf(') ', start);
  if (close < 0 || close - start > 64) return -1;
  const reference = text.slice(start, close);
  const dot = reference.indexOf('.c.');
  return dot > 0 &&
    reference
      .slice(dot + 3)
      .split('')
      .every((c) => c >= '0' && c <= '9')
    ? close + 2
    : -1;
}

/** lighttpd's error log. */
export const lighttpdFormat: LogFormat = {
  name: 'lighttpd-error',
  accepts: (text) => text.charCodeAt(19) === 58 && text.charCodeAt(20) === 32,
  parse(line, ctx) {
    const text = line.text;
    const stamp = scanIso(text, 0, ctx.timezone);
    if (!stamp || stamp.length !== 19 || text.charCodeAt(19) !== 58 || text.charCodeAt(20) !== 32) return undefined;
    const end = sourceReferenceEnd(text, 21);
    if (end < 0) return undefined;
    return createEvent({
      source: line.source,
      line: line.line,
      raw: text,
      format: 'lighttpd-error',
      timestamp: stamp.time,
      program: 'lighttpd',
      message: text.slice(end),
      fields: { reference: text.slice(text.charCodeAt(21) === 40 ? 22 : 21, end - 2) },
    });
  },
};
