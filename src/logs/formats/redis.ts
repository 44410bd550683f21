/**
 * Redis's log file (`logfile` in redis.conf): `1234:M 05 Mar 2024 10:15:30.123
 * # message` (server.c `serverLogRaw`): pid, role (M master, S replica, C a
 * child saving the RDB or AOF, X sentinel), time, and a mark for the level:
 * `.` debug, `-` verbose, `*` notice, `#` warning.
 */
import { type Level, createEvent } from '../../core/event';
import { scanRedisStamp } from '../time';
import { type LogFormat, pidOf } from './types';

const MARKS: Readonly<Record<string, Level>> = { '.': 'debug', '-': 'info', '*': 'notice', '#': 'warning' };
const ROLES = 'MSCX';

/** Redis log files. */
export const redisFormat: LogFormat = {
  name: 'redis',
  accepts(text) {
    const colon = text.indexOf(':');
    return colon > 0 && colon <= 10 && ROLES.includes(text[colon + 1] ?? '_') && text.charCodeAt(colon + 2) === 32;
  },
  parse(line, ctx) {
    const text = line.text;
    const colon = text.indexOf(':');
    if (colon <= 0 || colon > 10) return undefined;
    const pid = pidOf(text.slice(0, colon));
    const role = text[colon + 1];
    if (pid === undefined || role === undefined || !ROLES.includes(role) || text.charCodeAt(colon + 2) !== 32) {
      return undefined;
    }
    const stamp = scanRedisStamp(text, colon + 3, ctx.timezone);
    if (!stamp) return undefined;
    const at = colon + 3 + stamp.length;
    const level = MARKS[text[at + 1] ?? ''];
    if (text.charCodeAt(at) !== 32 || level === undefined || text.charCodeAt(at + 2) !== 32) return undefined;
    return createEvent({
      source: line.source,
      line: line.line,
      raw: text,
      format: 'redis',
      timestamp: stamp.time,
      program: 'redis-server',
      pid,
      level,
      message: text.slice(at + 3),
      fields: { role },
    });
  },
};
