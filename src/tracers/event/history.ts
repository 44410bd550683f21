/**
 * What the event tracer remembers of one address: its bounded timeline and
 * the login evidence its chains are built from (failures with their root
 * cause, successes, fail2ban matches, bans and unbans).
 */
import type { LogEvent } from '../../core/event';
import { HeadTail, Ring } from './bounded';
import type { EventLimits } from './limits';
import { type TimedStep, stepMessage, timeOf } from './step';

/** Why a login failed, as far as the log says. */
export type FailureCause = 'invalid-user' | 'bad-key' | 'password' | 'max-attempts' | 'other';

/**
 * One event of an address, as its history keeps it: a step plus what the
 * login chains need. One object per event, shared by the timeline and the
 * evidence lists.
 */
export interface IpRecord extends TimedStep {
  user: string | undefined;
  service: string | undefined;
  /** For a failed login: why it failed. */
  cause: FailureCause | undefined;
  /** For a fail2ban event: the jail. */
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

/** The bounded history of one address (see the module comment); `add` takes each of its events. */
export class IpHistory {
  readonly timeline: HeadTail<IpRecord>;
  readonly failures: Ring<IpRecord>;
  readonly successes: Ring<IpRecord>;
  readonly found: Ring<IpRecord>;
  /** Bans (`ip.ban`, `ip.restore_ban`) and unbans, told apart by `action`. */
  readonly bans: Ring<IpRecord>;
  /** Root causes seen, including the lines that only explain a failure (PAM, `Invalid user`). */
  readonly causes = { invalidUser: 0, badKey: 0, password: 0, pam: 0, maxAttempts: 0, other: 0 };
  readonly users = new Set<string>();
  readonly invalidUsers = new Set<string>();

  constructor(
    readonly ip: string,
    limits: EventLimits,
  ) {
    this.timeline = new HeadTail(limits.eventTimelineHead, limits.eventTimelineTail);
    this.failures = new Ring(limits.eventAuthPerIp);
    this.successes = new Ring(Math.max(1, limits.eventAuthPerIp >> 3));
    this.found = new Ring(Math.max(1, limits.eventAuthPerIp >> 2));
    this.bans = new Ring(Math.max(2, limits.eventAuthPerIp >> 2));
  }

  /** Records one event about this address. */
  add(event: LogEvent): void {
    const action = event.action;
    const failure = action !== undefined && FAILURE_ACTIONS.has(action);
    const banning = action === 'ip.ban' || action === 'ip.restore_ban' || action === 'ip.unban';
    const record: IpRecord = {
      t: timeOf(event),
      action: action ?? 'event',
      source: event.source,
      line: event.line,
      message: stepMessage(event),
      user: event.user,
      service: event.service,
      cause: failure ? causeOf(event) : undefined,
      jail: banning ? jailOf(event) : undefined,
    };
    this.timeline.push(record);
    if (failure) this.addFailure(event, record);
    else if (action === 'auth.success') this.successes.push(record);
    else if (action === 'ip.found') this.found.push(record);
    else if (banning) this.bans.push(record);
  }

  private addFailure(event: LogEvent, record: IpRecord): void {
    const user = event.user;
    const marker = isCauseMarker(event.message);
    if (marker === 'pam') {
      this.causes.pam++;
      return;
    }
    const cause = record.cause!;
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
    this.failures.push(record);
  }
}
