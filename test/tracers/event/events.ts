/** Builds the events of the event tracer's tests: one day (2026-03-14), times as `HH:MM:SS[.mmm]`. */
import { createEvent, type LogEvent, type LogEventInit } from '../../../src/core/event';

export const DAY = '2026-03-14';

let line = 0;

export type Spec = Partial<Omit<LogEventInit, 'timestamp'>> & { at?: string; status?: number };

/** A LogEvent at `at` on the test day; `status` goes to fields.status (HTTP). */
export function ev(spec: Spec): LogEvent {
  const { at, status, fields, ...rest } = spec;
  line++;
  return createEvent({
    source: 'test.log',
    line,
    raw: rest.message ?? `line ${line}`,
    timestamp: at === undefined ? undefined : Date.parse(`${DAY}T${at}Z`),
    fields: status === undefined ? fields : { ...fields, status },
    ...rest,
  });
}

export function iso(at: string): string {
  return new Date(Date.parse(`${DAY}T${at}Z`)).toISOString();
}

/** An sshd failed password from `ip` for `user`. */
export function failed(at: string, ip: string, user = 'root', invalid = false): LogEvent {
  return ev({
    at,
    ip,
    user,
    service: 'ssh',
    program: 'sshd',
    action: 'auth.failure',
    outcome: 'failure',
    hostile: true,
    message: `Failed password for ${invalid ? 'invalid user ' : ''}${user} from ${ip} port 40112 ssh2`,
  });
}

export function f2b(at: string, ip: string, what: 'Ban' | 'Unban' | 'Found', jail = 'sshd'): LogEvent {
  return ev({
    at,
    ip,
    service: 'fail2ban',
    program: 'fail2ban.actions',
    action: what === 'Ban' ? 'ip.ban' : what === 'Unban' ? 'ip.unban' : 'ip.found',
    hostile: what !== 'Unban',
    fields: { jail },
    message: `[${jail}] ${what} ${ip}`,
  });
}

export function accepted(at: string, ip: string, user: string): LogEvent {
  return ev({
    at,
    ip,
    user,
    service: 'ssh',
    program: 'sshd',
    action: 'auth.success',
    outcome: 'success',
    message: `Accepted password for ${user} from ${ip} port 51514 ssh2`,
  });
}
