/**
 * Severity: a score from 0 (noise) to 100 (the host is in trouble) for one
 * event, from its level, its action and its content. The score of an event is
 * the highest of the three tables below (plus a floor for hostile events);
 * what only a sequence reveals (a success after failures) is a chain's
 * severity, not an event's.
 *
 * | level   | score |   | action                | score |   | content (substring)        | score |
 * |---------|-------|---|-----------------------|-------|---|----------------------------|-------|
 * | emerg   | 100   |   | oom.kill              | 90    |   | `Kernel panic`             | 100   |
 * | alert   | 90    |   | disk.full             | 85    |   | `PANIC:`                   | 95    |
 * | crit    | 80    |   | conn.refused          | 60    |   | `Out of memory`            | 90    |
 * | error   | 60    |   | conn.timeout          | 55    |   | `No space left on device`  | 85    |
 * | warning | 40    |   | sudo.failure          | 55    |   | `segfault`                 | 75    |
 * | notice  | 25    |   | auth.max_attempts     | 50    |   | `too many clients`         | 70    |
 * | info    | 10    |   | ip.ban                | 50    |   | `too many connections`     | 70    |
 * | debug   | 0     |   | auth.invalid_user     | 45    |   | `deadlock detected`        | 65    |
 * | (none)  | 10    |   | http.probe            | 45    |   | `Traceback`                | 60    |
 *                         | auth.failure          | 40    |   | `I/O error`                | 80    |
 *                         | http.auth_failure     | 40    |   | `Read-only file system`    | 80    |
 *                         | ip.restore_ban        | 40    |
 *                         | conn.reset            | 40    |
 *                         | error                 | 60    |
 *                         | sudo.command          | 30    |
 *                         | auth.no_identification, auth.negotiation_failure, auth.protocol_error | 30 |
 *                         | ip.unban, auth.preauth_disconnect, ip.found | 20 |
 *                         | auth.success          | 15    |
 *                         | session.open / close  | 10    |
 *
 * HTTP answers score by status: 5xx 50, 4xx 20, others 5. Hostile events
 * score at least 35. Content is searched in the message only (the first line
 * of a multi-line record, plus the raw text for `Traceback`), with `includes`:
 * no pattern runs here.
 */
import type { Level, LogEvent } from '../../core/event';
import { httpStatus } from './failure';

/** Score of each level. */
export const LEVEL_SCORES: Readonly<Record<Level, number>> = {
  emerg: 100,
  alert: 90,
  crit: 80,
  error: 60,
  warning: 40,
  notice: 25,
  info: 10,
  debug: 0,
};

/** Score of each action of the vocabulary (actions not listed add nothing). */
export const ACTION_SCORES: Readonly<Record<string, number>> = {
  'oom.kill': 90,
  'disk.full': 85,
  'conn.refused': 60,
  'unit.failed': 60,
  'conn.timeout': 55,
  'sudo.failure': 55,
  'auth.max_attempts': 50,
  'ip.ban': 50,
  'auth.invalid_user': 45,
  'http.exploit': 70,
  'http.waf_block': 50,
  'http.probe': 45,
  'auth.failure': 40,
  'http.auth_failure': 40,
  'mail.relay_denied': 40,
  'http.rate_limited': 35,
  'http.bad_request': 35,
  'dns.denied': 35,
  'mail.protocol_violation': 30,
  'mail.rejected': 25,
  'ip.restore_ban': 40,
  'conn.reset': 40,
  error: 60,
  'sudo.command': 30,
  'auth.no_identification': 30,
  'auth.negotiation_failure': 30,
  'auth.protocol_error': 30,
  'ip.unban': 20,
  'unit.restart': 20,
  'ip.found': 20,
  'auth.preauth_disconnect': 20,
  'auth.success': 15,
  'session.open': 10,
  'session.close': 10,
};

/** Substrings of a message that mark trouble whatever the level says, with their score. */
export const CONTENT_SCORES: readonly (readonly [string, number])[] = [
  ['Kernel panic', 100],
  ['PANIC:', 95],
  ['Out of memory', 90],
  ['No space left on device', 85],
  ['I/O error', 80],
  ['Read-only file system', 80],
  ['segfault', 75],
  ['too many clients', 70],
  ['too many connections', 70],
  ['deadlock detected', 65],
];

/** The lowest score of an event that counts against a remote address. */
export const HOSTILE_FLOOR = 35;

/** The unknown-level score: as much as `info`. */
const NO_LEVEL = 10;

/** The severity of one event, 0-100 (see the tables above). */
export function severity(event: LogEvent): number {
  let score = event.level === undefined ? NO_LEVEL : LEVEL_SCORES[event.level];
  const action = event.action === undefined ? undefined : ACTION_SCORES[event.action];
  if (action !== undefined && action > score) score = action;
  const status = httpStatus(event);
  if (status !== undefined) {
    const http = status >= 500 ? 50 : status >= 400 ? 20 : 5;
    if (http > score) score = http;
  }
  const message = event.message;
  for (const [needle, points] of CONTENT_SCORES) {
    if (points > score && message.includes(needle)) score = points;
  }
  if (score < 60 && event.raw.length !== message.length && event.raw.includes('Traceback')) score = 60;
  if (event.hostile && score < HOSTILE_FLOOR) score = HOSTILE_FLOOR;
  return score;
}

/** Named bands of the score, for statistics: low < 30 <= medium < 60 <= high < 80 <= critical. */
export type SeverityBand = 'low' | 'medium' | 'high' | 'critical';

/** The band of a severity score. */
export function severityBand(score: number): SeverityBand {
  return score >= 80 ? 'critical' : score >= 60 ? 'high' : score >= 30 ? 'medium' : 'low';
}
