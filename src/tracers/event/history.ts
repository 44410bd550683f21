/**
 * What the event tracer remembers of one address: its bounded timeline and
 * the login evidence its chains are built from (failures with their root
 * cause, successes, fail2ban matches, bans and unbans).
 */
import type { LogEvent } from '../../core/event';
import { HeadTail, type Kept, NOTHING_KEPT, Ring } from './bounded';
import type { EventLimits } from './limits';
import { type TimedStep, stepMessage } from './step';

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
  if (event.action === 'auth.invalid_user' || UNKNOWN_USER.some((words) => message.includes(words))) {
    return 'invalid-user';
  }
  if (message.includes('publickey')) return 'bad-key';
  if (WRONG_SECRET.some((words) => message.includes(words))) return 'password';
  return 'other';
}

/** How daemons say the user does not exist (sshd, dovecot, PAM, Dropbear, MongoDB). */
const UNKNOWN_USER = [
  'invalid user',
  'Invalid user',
  'unknown user',
  'User not known',
  'nonexistent user',
  'UserNotFound',
];

/**
 * How they say the secret was wrong: passwords, and SMTP AUTH / SASL, MySQL
 * and MongoDB, whose failures are a wrong secret for an existing name.
 */
const WRONG_SECRET = [
  'password',
  'Password',
  'SASL',
  'Incorrect authentication data',
  'AUTH failure',
  'Access denied for user',
  'AuthenticationFailed',
];

/** fail2ban's jail: the parser's `fields.jail`, else the `[name]` the message starts with. */
function jailOf(event: LogEvent): string | undefined {
  const jail = event.fields?.jail;
  if (typeof jail === 'string') return jail;
  const open = event.message.indexOf('[');
  const close = event.message.indexOf(']', open);
  return open >= 0 && close > open && open < 4 ? event.message.slice(open + 1, close) : undefined;
}

/** How many failed logins an address's history counts per root cause. */
export interface FailureCauses {
  invalidUser: number;
  badKey: number;
  password: number;
  pam: number;
  maxAttempts: number;
  other: number;
}

function noCauses(): FailureCauses {
  return { invalidUser: 0, badKey: 0, password: 0, pam: 0, maxAttempts: 0, other: 0 };
}

const NO_CAUSES: Readonly<FailureCauses> = Object.freeze(noCauses());

const NO_USERS: readonly string[] = [];

/** Adds `user` to `users` unless it is there or the list is full (a list: most hold one name, a Set costs more). */
function addUser(users: string[], user: string): void {
  if (users.length < MAX_USERS && !users.includes(user)) users.push(user);
}

/**
 * The bounded history of one address (see the module comment); `add` takes
 * each of its events. Most addresses are seen once, so everything past the
 * first record is made on first use: the rest of the timeline on the second
 * event, each evidence list on its first item.
 */
export class IpHistory {
  /** The timeline's first record, then the first and last of the others (`eventTimelineHead` in all, `eventTimelineTail`). */
  private first: IpRecord | undefined;
  private later: HeadTail<IpRecord> | undefined;
  private failureList: Ring<IpRecord> | undefined;
  private successList: Ring<IpRecord> | undefined;
  private foundList: Ring<IpRecord> | undefined;
  private banList: Ring<IpRecord> | undefined;
  private causeCounts: FailureCauses | undefined;
  private userList: string[] | undefined;
  private invalidUserList: string[] | undefined;

  constructor(
    readonly ip: string,
    private readonly limits: EventLimits,
  ) {}

  /** Events recorded in all. */
  get total(): number {
    return (this.first ? 1 : 0) + (this.later?.total ?? 0);
  }

  /** The timeline: the records kept (the first ones and the last ones), in arrival order. */
  records(): IpRecord[] {
    if (!this.first) return [];
    return this.later ? [this.first, ...this.later.toArray()] : [this.first];
  }

  /** Failed logins (the most recent `eventAuthPerIp`). */
  get failures(): Kept<IpRecord> {
    return this.failureList ?? NOTHING_KEPT;
  }

  /** Successful logins (an eighth as many). */
  get successes(): Kept<IpRecord> {
    return this.successList ?? NOTHING_KEPT;
  }

  /** fail2ban matches (a quarter as many). */
  get found(): Kept<IpRecord> {
    return this.foundList ?? NOTHING_KEPT;
  }

  /** Bans (`ip.ban`, `ip.restore_ban`) and unbans, told apart by `action` (a quarter as many). */
  get bans(): Kept<IpRecord> {
    return this.banList ?? NOTHING_KEPT;
  }

  /** Root causes seen, including the lines that only explain a failure (PAM, `Invalid user`). */
  get causes(): Readonly<FailureCauses> {
    return this.causeCounts ?? NO_CAUSES;
  }

  /** Distinct users of the failed logins, in the order first seen (at most 64). */
  get users(): readonly string[] {
    return this.userList ?? NO_USERS;
  }

  /** Distinct invalid users of the failed logins, in the order first seen (at most 64). */
  get invalidUsers(): readonly string[] {
    return this.invalidUserList ?? NO_USERS;
  }

  /** Records one event about this address; `t` is its usable time (`timeOf`). */
  add(event: LogEvent, t: number | undefined): void {
    const action = event.action;
    const failure = action !== undefined && FAILURE_ACTIONS.has(action);
    const banning = action === 'ip.ban' || action === 'ip.restore_ban' || action === 'ip.unban';
    const record: IpRecord = {
      t,
      action: action ?? 'event',
      source: event.source,
      line: event.line,
      message: stepMessage(event),
      user: event.user,
      service: event.service,
      cause: failure ? causeOf(event) : undefined,
      jail: banning ? jailOf(event) : undefined,
    };
    if (!this.first) this.first = record;
    else (this.later ??= new HeadTail(this.limits.eventTimelineHead - 1, this.limits.eventTimelineTail)).push(record);
    const perIp = this.limits.eventAuthPerIp;
    if (failure) this.addFailure(event, record);
    else if (action === 'auth.success') (this.successList ??= new Ring(Math.max(1, perIp >> 3))).push(record);
    else if (action === 'ip.found') (this.foundList ??= new Ring(Math.max(1, perIp >> 2))).push(record);
    else if (banning) (this.banList ??= new Ring(Math.max(2, perIp >> 2))).push(record);
  }

  private addFailure(event: LogEvent, record: IpRecord): void {
    const user = event.user;
    const marker = isCauseMarker(event.message);
    const causes = (this.causeCounts ??= noCauses());
    if (marker === 'pam') {
      causes.pam++;
      return;
    }
    const cause = record.cause!;
    if (user !== undefined) {
      if (cause === 'invalid-user') addUser((this.invalidUserList ??= []), user);
      addUser((this.userList ??= []), user);
    }
    if (marker === 'invalid-user') return;
    switch (cause) {
      case 'invalid-user':
        causes.invalidUser++;
        break;
      case 'bad-key':
        causes.badKey++;
        break;
      case 'password':
        causes.password++;
        break;
      case 'max-attempts':
        causes.maxAttempts++;
        break;
      default:
        causes.other++;
    }
    (this.failureList ??= new Ring(this.limits.eventAuthPerIp)).push(record);
  }
}
