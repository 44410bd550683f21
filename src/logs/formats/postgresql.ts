/**
 * PostgreSQL server logs with the default `log_line_prefix` ('%m [%p] ') and
 * the usual custom ones ('%t [%p]: [%l-1] user=%u,db=%d,app=%a,client=%h ',
 * '%m [%p] %q%u@%d '). `log_error_verbosity = verbose` adds the SQLSTATE
 * (`ERROR:  42P01: relation ... does not exist`), kept in `fields.sqlstate`.
 * Tab-indented continuation lines of a statement join the event.
 */
import RE2 from 're2';
import { createEvent } from '../../core/event';
import { scanIso } from '../time';
import { type LogFormat, levelOf, pidOf } from './types';

const AFTER_TIME = new RE2(
  '^ \\[(?P<pid>\\d+)\\]:? (?:\\[(?P<lineno>\\d+)-\\d+\\] )?(?:user=(?P<user>[^,\\s]*),db=(?P<db>[^,\\s]*)(?:,app=(?P<app>[^,]*?))?(?:,client=(?P<client>[^\\s,]*))? |(?P<user2>[^@\\s\\[]+)@(?P<db2>\\S+) )?(?P<level>LOG|ERROR|FATAL|PANIC|WARNING|NOTICE|INFO|DEBUG[1-5]?|STATEMENT|DETAIL|HINT|CONTEXT|QUERY|LOCATION):  (?:(?P<sqlstate>[0-9A-Z]{5}): )?(?P<message>.*)$',
  's',
);

/** PostgreSQL server logs. */
export const postgresqlFormat: LogFormat = {
  name: 'postgresql',
  continues: (text) => text.charCodeAt(0) === 9,
  accepts: (text) => text.includes(' [') && text.includes(':  '),
  parse(line, ctx) {
    const text = line.text;
    const stamp = scanIso(text, 0, ctx.timezone);
    if (!stamp) return undefined;
    const g = AFTER_TIME.exec(text.slice(stamp.length))?.groups;
    if (!g) return undefined;
    const fields: Record<string, unknown> = { severity: g.level };
    const db = g.db ?? g.db2;
    if (db && db !== '[unknown]') fields.database = db;
    if (g.app) fields.application = g.app;
    if (g.sqlstate) fields.sqlstate = g.sqlstate;
    if (g.client && g.client !== '[local]') fields.client = g.client;
    const user = g.user ?? g.user2;
    return createEvent({
      source: line.source,
      line: line.line,
      raw: text,
      format: 'postgresql',
      timestamp: stamp.time,
      program: 'postgres',
      pid: pidOf(g.pid),
      level: levelOf(g.level),
      user: user && user !== '[unknown]' ? user : undefined,
      message: g.message!,
      fields,
    });
  },
};
