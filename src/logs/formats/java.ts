/**
 * Java logging (log4j, logback, Spring Boot, ZooKeeper, Hadoop):
 * `2025-01-02 03:04:05,123 ERROR [main] com.example.App - message`,
 * `2025-01-02T03:04:05.123+01:00 ERROR 1234 --- [main] c.e.App : message`,
 * `2015-07-29 17:41:44,747 - INFO  [thread:Class@774] - message`,
 * `081109 203615 148 INFO dfs.DataNode: message`, Tomcat's
 * `05-Mar-2024 10:15:30.120 SEVERE [main] org.apache.Class.method message`. A stack trace that follows
 * (`\tat ...`, `Caused by: ...`) is joined into the event.
 */
import RE2 from 're2';
import { createEvent } from '../../core/event';
import { scanDayMonthYear, scanIso, wallClock } from '../time';
import { type LogFormat, levelOf, pidOf } from './types';

const LEVEL = '(?P<level>TRACE|DEBUG|INFO|WARN|WARNING|ERROR|FATAL|SEVERE)';
const AFTER_TIME = [
  new RE2(
    `^\\s+${LEVEL}\\s+(?:(?P<pid>\\d+) --- )?(?:\\[[^\\]]*\\] )?\\[\\s*(?P<thread>[^\\]]*)\\]\\s+(?P<logger>\\S+)\\s*[-:] (?P<message>.*)$`,
    's',
  ),
  new RE2(`^ - ${LEVEL}\\s+\\[(?P<thread>.*?)\\] - (?P<message>.*)$`, 's'),
  new RE2(`^ \\[(?P<thread>[^\\]]*)\\] ${LEVEL}\\s+(?P<logger>\\S+)\\s*[-:] (?P<message>.*)$`, 's'),
];
/** Hadoop's `yyMMdd HHmmss pid LEVEL logger: message`. */
const HADOOP = new RE2(
  `^(?P<date>\\d{6}) (?P<time>\\d{6}) (?P<pid>\\d+) ${LEVEL} (?P<logger>[^\\s:]+): (?P<message>.*)$`,
  's',
);

/** Tomcat's JULI OneLineFormatter: `05-Mar-2024 10:15:30.120 SEVERE [thread] class.method message`. */
const TOMCAT = new RE2(
  '^ (?P<level>SEVERE|WARNING|INFO|CONFIG|FINE|FINER|FINEST) \\[(?P<thread>[^\\]]*)\\] (?P<logger>\\S+) (?P<message>.*)$',
  's',
);

/** java.util.logging's levels below INFO, which are debugging. */
const JUL_DEBUG = new Set(['CONFIG', 'FINER', 'FINEST']);

/** Java logging output. */
export const javaFormat: LogFormat = {
  name: 'java',
  continues: () => true,
  accepts(text) {
    const c = text.charCodeAt(0);
    return c >= 48 && c <= 57;
  },
  parse(line, ctx) {
    const text = line.text;
    const stamp = scanIso(text, 0, ctx.timezone);
    const tomcat = stamp ? undefined : scanDayMonthYear(text, ctx.timezone);
    let timestamp: number | undefined;
    let g: Record<string, string | undefined> | undefined;
    if (stamp) {
      timestamp = stamp.time;
      const after = text.slice(stamp.length);
      for (const layout of AFTER_TIME) {
        g = layout.exec(after)?.groups;
        if (g) break;
      }
    } else if (tomcat) {
      timestamp = tomcat.time;
      g = TOMCAT.exec(text.slice(tomcat.length))?.groups;
    } else {
      g = HADOOP.exec(text)?.groups;
      if (g) {
        const d = g.date!;
        const t = g.time!;
        timestamp = wallClock(
          ctx.timezone,
          2000 + Number(d.slice(0, 2)),
          Number(d.slice(2, 4)) - 1,
          Number(d.slice(4, 6)),
          Number(t.slice(0, 2)),
          Number(t.slice(2, 4)),
          Number(t.slice(4, 6)),
        );
      }
    }
    if (!g) return undefined;
    const fields: Record<string, unknown> = {};
    if (g.logger) fields.logger = g.logger;
    if (g.thread) fields.thread = g.thread;
    return createEvent({
      source: line.source,
      line: line.line,
      raw: text,
      format: 'java',
      timestamp,
      program: tomcat ? 'tomcat' : undefined,
      pid: pidOf(g.pid),
      level: JUL_DEBUG.has(g.level!) ? 'debug' : levelOf(g.level),
      message: g.message!,
      fields,
    });
  },
};
