/**
 * Python `logging` and the servers built on it (Django, gunicorn, Celery):
 * `2025-01-02 03:04:05,123 - name - ERROR - message`,
 * `2025-01-02 03:04:05,123 ERROR name: message`, Django's
 * `[02/Jan/2025 03:04:05] "GET / HTTP/1.1" 500 12` and
 * `ERROR 2025-01-02 03:04:05,123 module 1234 5678 message`, gunicorn's
 * `[2025-01-02 03:04:05 +0000] [1234] [ERROR] message`. A traceback that
 * follows is joined into the event (the pipeline appends every line this
 * format does not read).
 */
import RE2 from 're2';
import { createEvent } from '../../core/event';
import { scanIso } from '../time';
import { scannable } from './access-scan';
import { LEVEL_WORDS, scanLevelFirst, scanLevelLayout } from './python-scan';
import { type LogFormat, levelOf, pidOf } from './types';

/** A layout: its anchored pattern, the texts a match starts with, and a scanner yielding its groups, if any. */
interface Layout {
  leads: readonly string[];
  pattern: RE2;
  scan?: (after: string) => Record<string, string | undefined> | undefined;
}

const LEVEL = `(?P<level>${LEVEL_WORDS.join('|')})`;

/** `LEVEL [name] message` after the stamp (Django's default): the reference for {@link scanLevelLayout}. */
export const LEVEL_LAYOUT = new RE2(
  `^\\]? \\[?${LEVEL}\\]?(?:/(?P<process>\\S+))? (?:\\[(?P<name>[^\\]\\s]+)\\] |(?P<name2>[\\w.]+): )?(?P<message>.*)$`,
  's',
);

/**
 * After the timestamp: the layouts Python programs commonly configure, each
 * with the texts one of which its match must start with (checked before the
 * pattern runs: most lines fit only one layout).
 */
const AFTER_TIME: readonly Layout[] = [
  { leads: [' - '], pattern: new RE2(`^ - (?P<name>\\S+) - ${LEVEL} - (?P<message>.*)$`, 's') },
  { leads: [' [', '] ['], pattern: new RE2(`^\\]? \\[(?P<pid>\\d+)\\] \\[${LEVEL}\\] (?P<message>.*)$`, 's') },
  { leads: [' ', '] '], pattern: LEVEL_LAYOUT, scan: scanLevelLayout },
  { leads: [' - '], pattern: new RE2(`^ - ${LEVEL}\\s+(?P<message>.*)$`, 's') },
];
/** Django's verbose layout, level first: the reference for {@link scanLevelFirst}. */
export const LEVEL_FIRST = new RE2(`^${LEVEL} (?P<rest>.*)$`, 's');
const DJANGO_VERBOSE: readonly Layout[] = [
  { leads: [' '], pattern: new RE2('^ (?P<name>\\S+) (?P<pid>\\d+) (?P<thread>\\d+) (?P<message>.*)$', 's') },
];

/** Python logging output. */
export const pythonFormat: LogFormat = {
  name: 'python',
  continues: () => true,
  accepts(text) {
    const c = text.charCodeAt(0);
    return (c >= 48 && c <= 57) || c === 91 || (c >= 65 && c <= 90);
  },
  parse(line, ctx) {
    const text = line.text;
    let at = text.charCodeAt(0) === 91 ? 1 : 0;
    let level: string | undefined;
    let layouts = AFTER_TIME;
    if (at === 0 && text.charCodeAt(0) >= 65) {
      level = scanLevelFirst(text);
      if (level === undefined) return undefined;
      at = level.length + 1;
      layouts = DJANGO_VERBOSE;
    }
    const stamp = scanIso(text, at, ctx.timezone);
    if (!stamp) return undefined;
    const after = text.slice(at + stamp.length);
    for (const layout of layouts) {
      if (!layout.leads.some((lead) => after.startsWith(lead))) continue;
      const g = layout.scan && scannable(after) ? layout.scan(after) : layout.pattern.exec(after)?.groups;
      if (!g) continue;
      // `[time] [pid] [LEVEL]` is gunicorn's own layout.
      const gunicorn = layout === AFTER_TIME[1];
      const name = g.name ?? g.name2;
      return createEvent({
        source: line.source,
        line: line.line,
        raw: text,
        format: 'python',
        timestamp: stamp.time,
        program: gunicorn ? 'gunicorn' : undefined,
        pid: pidOf(g.pid),
        level: levelOf(g.level ?? level),
        message: g.message!,
        fields: name ? { logger: name } : undefined,
      });
    }
    return undefined;
  },
};
