/**
 * logfmt: a line of `key=value` pairs, values bare or "quoted" with backslash
 * escapes, as Go services write them (Grafana, Prometheus, Loki, Alertmanager,
 * dockerd, containerd): `t=2020-10-19T17:44:33+0200 lvl=eror msg="Invalid
 * username or password" logger=context remote_addr=203.0.113.5`. The time,
 * level and message keys are read under their usual names; the other pairs go
 * to `fields` (bounded). A line is logfmt only when it is pairs from start to
 * end and names a time or a level and a message.
 */
import { createEvent } from '../../core/event';
import { parseTimestamp } from '../time';
import { type LogFormat, levelOf } from './types';

/** Pairs kept per line; a longer line keeps its first ones (time, level and message are read first anyway). */
const MAX_PAIRS = 64;

const TIME_KEYS = ['t', 'ts', 'time', 'timestamp'];
const LEVEL_KEYS = ['level', 'lvl', 'severity'];
const MESSAGE_KEYS = ['msg', 'message'];

/** Go loggers' short level names (log15's `eror`, `dbug`, `crit`). */
const SHORT_LEVELS: Readonly<Record<string, string>> = { eror: 'error', dbug: 'debug', trce: 'trace', warn: 'warning' };

function isKeyChar(c: number): boolean {
  return (
    (c >= 48 && c <= 57) ||
    (c >= 65 && c <= 90) ||
    (c >= 97 && c <= 122) ||
    c === 95 ||
    c === 46 ||
    c === 45 ||
    c === 47
  );
}

/** The pairs of a logfmt line, or undefined when the line is not only pairs. */
export function readLogfmt(text: string): Map<string, string> | undefined {
  const pairs = new Map<string, string>();
  let i = 0;
  const n = text.length;
  while (i < n) {
    const keyStart = i;
    while (i < n && isKeyChar(text.charCodeAt(i))) i++;
    if (i === keyStart || text.charCodeAt(i) !== 61) return undefined;
    const key = text.slice(keyStart, i);
    i++;
    let value: string;
    if (text.charCodeAt(i) === 34) {
      let out = '';
      let j = i + 1;
      let from = j;
      for (; j < n && text.charCodeAt(j) !== 34; j++) {
        if (text.charCodeAt(j) === 92 && j + 1 < n) {
          out += text.slice(from, j);
          const escaped = text[j + 1]!;
          out += escaped === 'n' ? '\n' : escaped === 't' ? '\t' : escaped;
          j++;
          from = j + 1;
        }
      }
      if (j >= n) return undefined; // unterminated quote
      value = out + text.slice(from, j);
      i = j + 1;
    } else {
      const end = text.indexOf(' ', i);
      value = text.slice(i, end < 0 ? n : end);
      if (value.includes('"')) return undefined;
      i = end < 0 ? n : end;
    }
    if (pairs.size < MAX_PAIRS && !pairs.has(key)) pairs.set(key, value);
    if (i < n && text.charCodeAt(i) !== 32) return undefined;
    while (i < n && text.charCodeAt(i) === 32) i++;
  }
  return pairs;
}

function firstOf(pairs: Map<string, string>, keys: readonly string[]): string | undefined {
  for (const key of keys) {
    const value = pairs.get(key);
    if (value !== undefined && value !== '') return value;
  }
  return undefined;
}

/** logfmt lines. */
export const logfmtFormat: LogFormat = {
  name: 'logfmt',
  accepts(text) {
    const eq = text.indexOf('=');
    return eq > 0 && eq < 32 && text.charCodeAt(0) !== 32;
  },
  parse(line, ctx) {
    const text = line.text;
    const pairs = readLogfmt(text);
    if (!pairs || pairs.size < 3) return undefined;
    const time = firstOf(pairs, TIME_KEYS);
    const levelWord = firstOf(pairs, LEVEL_KEYS);
    const message = firstOf(pairs, MESSAGE_KEYS);
    if (time === undefined && (levelWord === undefined || message === undefined)) return undefined;
    const fields: Record<string, unknown> = {};
    for (const [key, value] of pairs) {
      if (TIME_KEYS.includes(key) || LEVEL_KEYS.includes(key) || MESSAGE_KEYS.includes(key) || key === '__proto__') {
        continue;
      }
      fields[key] = value;
    }
    const lower = levelWord?.toLowerCase();
    return createEvent({
      source: line.source,
      line: line.line,
      raw: text,
      format: 'logfmt',
      timestamp: time === undefined ? undefined : parseTimestamp(time, { timezone: ctx.timezone }),
      level: lower === undefined ? undefined : levelOf(SHORT_LEVELS[lower] ?? lower),
      message: message ?? '',
      fields,
    });
  },
};
