/**
 * What the event tracer remembers of one address: its bounded timeline and
 * the login evidence its chains are built from (failures with their root
 * cause, successes, fail2ban matches, bans and unbans).
 */
import type { LogEvent } from '../../core/event';
import { HeadTail, Ring } from './bounded';
import type { EventLimits } from './limits';
import { type TimedStep, toStep } from './step';

/** Why a login failed, as far as the log says. */
export type FailureCause = 'invalid-user' | 'bad-key' | 'password' | 'max-attempts' | 'other';

export interface LoginFailure extends TimedStep {
  cause: FailureCause;
  user: string | undefined;
  service: string | undefined;
}

export interface BanRecord extends TimedStep {
  kind: 'ban' | 'unban';
  jail: string | undefined;
}

/** Most distinct user names remembered per address. */
const MAX_USERS = 64;

/** Actions that are a failed login (an attempt rejected). */
const FAILURE_ACTIONS = new Set(['auth.failure', 'auth.invalid_user', 'auth.max_attempts', 'http.auth_failure']);

/**
 * Lines that only explain a failure counted on another line of the same
 * attempt (sshd's `Invalid user` before `Failed password for invalid user`,
 * PAM's `authentication failure` before `Failed password`).
 */
function isCauseMarker(message: string): 'invalid-user' | 'pam' | undefined {
  if (message.startsWith('Invalid user') || message.startsWith('Illegal user')) return 'invalid-user';
  if (message.startsWith('pam_')) return 'pam';
  return undefined;
}

function causeOf(event: LogEvent): FailureCause {
  if (event.action === 'auth.max_attempts') return 'max-attempts';
  const message = event.message;
  if (event.action === 'auth.invalid_user' || message.includes('invalid user') || message.includes('Invalid user')) {
    return 'invalid-user';
  }
  if (message.includes('publickey')) return 'bad-key';
  if (message.includes('password') || message.includes('Password')) return 'password';
  return 'other';
}

/** fail2ban's jail: the parser's `fields.jail`, else the `[name]` the message starts with. */
function jailOf(event: LogEvent): string | undefined {
  const jail = event.fields?.jail;
  if (typeof jail === 'string') return jail;
  const open = event.message.indexOf('[');
  const close = event.message.indexOf(']', open);
  return open >= 0 && close > open && open < 4 ? event.message.slice(open + 1, close) : undefined;
}

export class IpHistory {
  readonly timeline: HeadTail<TimedStep>;
  readonly failures: Ring<LoginFailure>;
  readonly successes: Ring<TimedStep & { user: string | undefined; service: string | undefined }>;
  readonly found: Ring<TimedStep>;
  readonly bans: Ring<BanRecord>;
  /** Root causes seen, including the lines that only explain a failure (PAM, `Invalid user`). */
  readonly causes = { invalidUser: 0, badKey: 0, password: 0, pam: 0, maxAttempts: 0, other: 0 };
  readonly users = new Set<string>();
  readonly invalidUsers = new Set<string>();
  readonly services = new Set<string>();
  first: number | undefined;
  last: number | undefined;

  constructor(
    readonly ip: string,
    limits: EventLimits,
  ) {
    this.timeline = new HeadTail(limits.eventTimelineHead, limits.eventTimelineTail);
    this.failures = new Ring(limits.eventAuthPerIp);
    this.successes = new Ring(Math.max(1, limits.eventAuthPerIp >> 3));
    this.found = new Ring(limits.eventAuthPerIp);
    this.bans = new Ring(Math.max(2, limits.eventAuthPerIp >> 2));
  }

  /** Records one event about this address. */
  add(event: LogEvent): void {
    const t = event.timestamp;
    if (t !== undefined) {
      if (this.first === undefined || t < this.first) this.first = t;
      if (this.last === undefined || t > this.last) this.last = t;
    }
    const step = toStep(event);
    this.timeline.push(step);
    if (event.service !== undefined && this.services.size < MAX_USERS) this.services.add(event.service);
    const action = event.action;
    if (action === undefined) return;
    if (FAILURE_ACTIONS.has(action)) this.addFailure(event, step);
    else if (action === 'auth.success') {
      this.successes.push({ ...step, user: event.user, service: event.service });
    } else if (action === 'ip.found') this.found.push(step);
    else if (action === 'ip.ban' || action === 'ip.restore_ban')
      this.bans.push({ ...step, kind: 'ban', jail: jailOf(event) });
    else if (action === 'ip.unban') this.bans.push({ ...step, kind: 'unban', jail: jailOf(event) });
  }

  private addFailure(event: LogEvent, step: TimedStep): void {
    const user = event.user;
    const marker = isCauseMarker(event.message);
    if (marker === 'pam') {
      this.causes.pam++;
      return;
    }
    const cause = causeOf(event);
    if (cause === 'invalid-user' && user !== undefined && this.invalidUsers.size < MAX_USERS) {
      this.invalidUsers.add(user);
    }
    if (user !== undefined && this.users.size < MAX_USERS) this.users.add(user);
    if (marker === 'invalid-user') return;
    switch (cause) {
      case 'invalid-user':
        this.causes.invalidUser++;
        break;
      case 'bad-key':
        this.causes.badKey++;
        break;
      case 'password':
        this.causes.password++;
        break;
      case 'max-attempts':
        this.causes.maxAttempts++;
        break;
      default:
        this.causes.other++;
    }
    this.failures.push({ ...step, cause, user, service: event.service });
  }
}
