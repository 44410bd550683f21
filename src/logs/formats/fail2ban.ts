/**
 * fail2ban's own log: `2025-01-02 03:04:05,123 fail2ban.actions [1234]:
 * NOTICE  [sshd] Ban 1.2.3.4` (0.8 wrote no pid: `fail2ban.actions: WARNING`). The jail goes to `fields.jail`; what the
 * message means (Found, Ban, Unban, Restore Ban) is the fail2ban recogniser's.
 */
import RE2 from 're2';
import { type LogEvent, createEvent } from '../../core/event';
import { scanIso } from '../time';
import { type LogFormat, levelOf, pidOf } from './types';

/** After the logger: `NOTICE  [sshd] Ban 1.2.3.4`. */
const BODY = '(?P<level>[A-Z]+)\\s+(?:\\[(?P<jail>[^\\]]+)\\] )?(?P<message>.*)$';

const AFTER_TIME = new RE2(`^ (?P<logger>fail2ban(?:\\.[\\w.-]+)?)(?:\\s*\\[(?P<pid>\\d+)\\])?: ${BODY}`, 's');

/** fail2ban through syslog: tagged with its logger (`fail2ban.actions[1]: NOTICE ...`) or as fail2ban-server with the logger inside. */
const IN_SYSLOG = new RE2(`^(?:fail2ban(?:\\.[\\w.-]+)?\\s*(?:\\[\\d+\\])?: )?${BODY}`, 's');

/** The level, jail and message of a fail2ban line that came through syslog, or undefined. */
export function readSyslogFail2ban(
  message: string,
): { level: LogEvent['level']; jail: string | undefined; message: string } | undefined {
  const g = IN_SYSLOG.exec(message)?.groups;
  const level = levelOf(g?.level);
  return g && level ? { level, jail: g.jail, message: g.message! } : undefined;
}

/** fail2ban.log. */
export const fail2banFormat: LogFormat = {
  name: 'fail2ban',
  accepts: (text) => text.includes(' fail2ban'),
  parse(line, ctx) {
    const text = line.text;
    const stamp = scanIso(text, 0, ctx.timezone);
    if (!stamp) return undefined;
    const g = AFTER_TIME.exec(text.slice(stamp.length))?.groups;
    if (!g) return undefined;
    const fields: Record<string, unknown> = { logger: g.logger };
    if (g.jail) fields.jail = g.jail;
    return createEvent({
      source: line.source,
      line: line.line,
      raw: text,
      format: 'fail2ban',
      timestamp: stamp.time,
      program: 'fail2ban',
      pid: pidOf(g.pid),
      level: levelOf(g.level),
      message: g.message!,
      fields,
    });
  },
};
