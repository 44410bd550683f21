/**
 * The MySQL and MariaDB error log (`log_error`, e.g. /var/log/mysql/error.log):
 * a stamp (see scanMysqlStamp), the thread id from 5.6 on, the level in
 * brackets and, from 8.0, the error code and subsystem:
 * `2019-01-03T08:50:04.634875Z 113 [Note] [MY-010926] [Server] Access denied ...`.
 * 5.5 and older write InnoDB's lines without a level (`130324  0:04:00  InnoDB: ...`).
 */
import RE2 from 're2';
import { createEvent } from '../../core/event';
import { scanMysqlStamp } from '../time';
import { type LogFormat, levelOf } from './types';

const AFTER_TIME = new RE2(
  '^ (?:(?P<thread>\\d+) )?\\[(?P<level>Note|Warning|ERROR|Error|System|Info|Debug)\\] (?:\\[(?P<code>MY-\\d+)\\] \\[(?P<subsystem>\\w+)\\] )?(?P<message>.*)$',
  's',
);

/** 5.5's level-less lines: `130324  0:04:00  InnoDB: ...`, `130324 00:04:00 mysqld_safe Starting ...`. */
const LEVELLESS = new RE2('^ {1,2}(?P<message>(?:InnoDB: |mysqld_safe ).*)$', 's');

/** MySQL's `[System]` marks lifecycle lines (startup, shutdown): notable, not a problem. */
const MYSQL_LEVELS: Readonly<Record<string, 'notice'>> = { System: 'notice' };

/** MySQL / MariaDB error log. */
export const mysqlFormat: LogFormat = {
  name: 'mysql',
  accepts(text) {
    const c = text.charCodeAt(0);
    return c >= 48 && c <= 57 && (text.includes('] ') || text.includes('InnoDB: ') || text.includes('mysqld_safe'));
  },
  parse(line, ctx) {
    const text = line.text;
    const stamp = scanMysqlStamp(text, ctx.timezone);
    if (!stamp) return undefined;
    const rest = text.slice(stamp.length);
    // 5.5's YYMMDD stamp is MySQL's own; after an ISO stamp only the thread id tells MySQL from `2024-... [ERROR]` of others.
    const yymmdd = text.charCodeAt(6) === 32;
    const g = AFTER_TIME.exec(rest)?.groups ?? (yymmdd ? LEVELLESS.exec(rest)?.groups : undefined);
    if (!g || (!yymmdd && g.thread === undefined)) return undefined;
    const fields: Record<string, unknown> = {};
    if (g.thread) fields.thread = Number(g.thread);
    if (g.code) fields.code = g.code;
    if (g.subsystem) fields.subsystem = g.subsystem;
    return createEvent({
      source: line.source,
      line: line.line,
      raw: text,
      format: 'mysql',
      timestamp: stamp.time,
      program: 'mysqld',
      pid: undefined,
      level: g.level === undefined ? undefined : (MYSQL_LEVELS[g.level] ?? levelOf(g.level)),
      message: g.message!,
      fields: g.thread || g.code ? fields : undefined,
    });
  },
};
