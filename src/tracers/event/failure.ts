/**
 * What counts as a failure of the host's own services (as opposed to an
 * attacker's or a user's failed attempt): the evidence of outages and their effects.
 */
import type { LogEvent } from '../../core/event';
import { serviceOfName } from '../../logs/services';

/** The HTTP status of an event from a web server, when its parser gave one. */
export function httpStatus(event: LogEvent): number | undefined {
  const status = event.fields?.status;
  if (typeof status === 'number') return status;
  if (typeof status === 'string' && status.length === 3) {
    const n = Number(status);
    return Number.isInteger(n) ? n : undefined;
  }
  return undefined;
}

/**
 * Action families that record what a person or a peer did (a wrong password, a refused sudo, a packet a
 * firewall refused), not a service failing.
 */
const PERSON_ACTIONS = [
  'auth.',
  'sudo.',
  'session.',
  'ip.',
  'http.auth_failure',
  'http.probe',
  'conn.blocked',
  'conn.allowed',
  'conn.logged',
];

/**
 * A failure of a service: an HTTP 5xx answer; for other events an error (or
 * worse) level or a failed outcome. Hostile events and what people did (failed
 * logins, refused sudo, bans, packets a firewall refused) are left out: they
 * are not the host failing.
 */
export function isServiceFailure(event: LogEvent): boolean {
  if (event.hostile) return false;
  const status = httpStatus(event);
  if (status !== undefined) return status >= 500;
  const action = event.action;
  if (action !== undefined && PERSON_ACTIONS.some((prefix) => action.startsWith(prefix))) return false;
  const level = event.level;
  return level === 'error' || level === 'crit' || level === 'alert' || level === 'emerg' || event.outcome === 'failure';
}

/**
 * The service a systemd unit line (`unit.*` action) is about: `postgresql@15-main.service`
 * is postgresql's, an unknown `myapp.service` is `myapp`'s; undefined for other events
 * and for job lines that give only a description.
 */
export function unitSubject(event: LogEvent): string | undefined {
  const action = event.action;
  if (action === undefined || !action.startsWith('unit.')) return undefined;
  const unit = event.fields?.managedUnit;
  if (typeof unit !== 'string') return undefined;
  return serviceOfName(unit) ?? unit.slice(0, unit.length - '.service'.length);
}

/** The unit a `unit.failed` line names and how it failed, in systemd's words. */
export function unitFailure(event: LogEvent): { unit: string; how: string | undefined } {
  const f = event.fields ?? {};
  const how =
    typeof f.result === 'string'
      ? f.result
      : typeof f.exitCode === 'string' && typeof f.exitStatus === 'string'
        ? `${f.exitCode}, status=${f.exitStatus}`
        : undefined;
  return { unit: String(f.managedUnit), how };
}
