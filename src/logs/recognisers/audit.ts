/**
 * What an audit record means, from its type and `res` (see
 * src/logs/formats/audit.ts for the fields): PAM's records of logins
 * (USER_AUTH, USER_ACCT, USER_ERR, USER_LOGIN), sudo's commands (USER_CMD)
 * and systemd's service starts and stops (SERVICE_START, SERVICE_STOP).
 *
 * A failed USER_AUTH, USER_ACCT or USER_ERR with a remote `addr` counts against
 * it in every mode (fail2ban's selinux-ssh filter counts the same records).
 * USER_LOGIN repeats the outcome of the attempts before it, so it is a session
 * that did not open and never counts twice.
 */
import { remoteOf } from './address';
import type { Recognised } from './types';

/** What an audit record says, and the unit it is about (SERVICE_*). */
export interface AuditMeaning {
  recognised: Recognised;
  managedUnit?: string;
}

/** systemd's unit type suffixes. */
const UNIT_TYPES = [
  '.service',
  '.socket',
  '.target',
  '.timer',
  '.mount',
  '.automount',
  '.path',
  '.scope',
  '.slice',
  '.swap',
  '.device',
];

/** `acct` values that name nobody (`(unknown user)` is sshd's invalid user). */
const NO_USER = new Set(['?', '(unknown)', '(unknown user)', '(invalid user)']);

function remote(fields: Record<string, unknown>): { ip?: string; domain?: string } {
  const addr = fields.addr;
  if (typeof addr !== 'string' || addr === '?' || addr === '') return {};
  return remoteOf(addr);
}

function userOf(fields: Record<string, unknown>): string | undefined {
  const acct = fields.acct;
  return typeof acct === 'string' && !NO_USER.has(acct) ? acct : undefined;
}

/** The meaning of an audit event, or undefined for records that are context (SYSCALL, PATH, CWD, ...). */
export function recogniseAudit(fields: Record<string, unknown>): AuditMeaning | undefined {
  const type = fields.auditType;
  const failed = fields.res === 'failed' || fields.res === '0';
  switch (type) {
    case 'USER_AUTH':
    case 'USER_ACCT':
    case 'USER_ERR': {
      const where = remote(fields);
      const user = userOf(fields);
      if (!failed) {
        if (type !== 'USER_AUTH') return undefined; // USER_ACCT success is the same login again
        return { recognised: { action: 'auth.success', outcome: 'success', hostile: false, ...where, user } };
      }
      const invalid = fields.acct === '(invalid user)' || fields.acct === '(unknown user)';
      return {
        recognised: {
          action: invalid ? 'auth.invalid_user' : 'auth.failure',
          outcome: 'failure',
          hostile: where.ip !== undefined || where.domain !== undefined,
          ...where,
          user,
        },
      };
    }
    case 'USER_LOGIN':
      return {
        recognised: {
          action: 'session.open',
          outcome: failed ? 'failure' : 'success',
          hostile: false,
          ...remote(fields),
          user: userOf(fields),
        },
      };
    case 'USER_END':
      return { recognised: { action: 'session.close', outcome: 'success', hostile: false, user: userOf(fields) } };
    case 'USER_CMD':
      return {
        recognised: {
          action: failed ? 'sudo.failure' : 'sudo.command',
          outcome: failed ? 'failure' : 'success',
          hostile: false,
        },
      };
    case 'SERVICE_START':
    case 'SERVICE_STOP': {
      const unit = fields.unit;
      if (typeof unit !== 'string' || unit === '') return undefined;
      // systemd writes a service without its `.service` suffix (`php8.2-fpm`), other units with theirs.
      const managedUnit = UNIT_TYPES.some((type) => unit.endsWith(type)) ? unit : `${unit}.service`;
      if (failed) return { recognised: { action: 'unit.failed', outcome: 'failure', hostile: false }, managedUnit };
      const action = type === 'SERVICE_START' ? 'unit.started' : 'unit.stopped';
      return { recognised: { action, outcome: 'success', hostile: false }, managedUnit };
    }
    default:
      return undefined;
  }
}
