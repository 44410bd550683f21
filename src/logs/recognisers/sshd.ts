/**
 * OpenSSH's sshd: every line shape fail2ban's sshd filter knows, in all its
 * modes, plus accepted logins and sessions. sshd reports some failures on a
 * line without the address (`Disconnecting: Too many authentication failures`,
 * `kex_exchange_identification: ...`): a bounded per-pid session table keeps the
 * address from the earlier lines of the same connection, and a failure seen
 * before the address is known counts on the first later line that names it.
 */
import type { LogEvent } from '../../core/event';
import { remoteOf } from './address';
import { type PidEntry, PidTable } from './pid-table';
import {
  digitsEnd,
  readAccepted,
  readAuthenticationError,
  readClose,
  readDisconnect,
  readFailed,
  readInvalidUser,
  readPamFailure,
  readPreauthClose,
  readSessionOpened,
} from './readers';
import { type Groups, type HostileMode, type Recognised, type RuleSpec, firstMatch, rules } from './types';

/**
 * What a rule does to the session of its pid: `fail` counts against the
 * address on the line; `fail-session` counts against the session's address
 * (or waits for it); `helper` only tells the address (and fires a waiting
 * failure); `accepted` is a login, suspicious when several users were tried;
 * `pam-failure` is a helper that counts once a second user name is tried.
 */
type Effect = 'fail' | 'fail-session' | 'helper' | 'accepted' | 'pam-failure' | 'failed-auth' | 'none';

interface SshdSpec extends RuleSpec {
  effect: Effect;
}

const DDOS: readonly HostileMode[] = ['ddos', 'aggressive'];
const EXTRA: readonly HostileMode[] = ['extra', 'aggressive'];
/** Lazy: the address may be followed by `:` (and IPv6 addresses hold colons). */
const HOST = '(?P<host>\\S+?)';
/** Greedy: the address ends at the next space. */
const HOST_WORD = '(?P<host>\\S+)';
const ON_PORT = '(?: port (?P<port>\\d+))?(?: on \\S+(?: port \\d+)?)?';
const SUFFIX = '\\s*(?: \\[preauth\\])?\\s*$';

/** The sshd table, in fail2ban's order (more specific shapes first). */
export const SSHD_RULES = rules<SshdSpec>([
  {
    name: 'failed-auth',
    prefilter: 'Failed ',
    pattern: '^Failed \\S+ for .',
    capture: false,
    read: readFailed,
    action: 'auth.failure',
    outcome: 'failure',
    effect: 'failed-auth',
  },
  {
    name: 'pam-auth-error',
    prefilter: 'uthentication ',
    pattern: `^[aA]uthentication (?:failure|error|failed) for (?P<user>.*) from ${HOST}(?: via \\S+)?${SUFFIX}`,
    read: readAuthenticationError,
    action: 'auth.failure',
    outcome: 'failure',
    effect: 'fail',
  },
  {
    name: 'pam-user-unknown',
    prefilter: 'User not known',
    pattern: `^User not known to the underlying authentication module for (?:illegal user |invalid user )?(?P<user>.*) from ${HOST}${SUFFIX}`,
    action: 'auth.invalid_user',
    outcome: 'failure',
    effect: 'fail',
  },
  {
    name: 'root-login-refused',
    prefilter: 'LOGIN REFUSED',
    pattern: `^(?P<user>ROOT) LOGIN REFUSED.* FROM ${HOST}(?: port (?P<port>\\d+))?${SUFFIX}`,
    action: 'auth.failure',
    outcome: 'failure',
    effect: 'fail',
  },
  {
    name: 'invalid-user',
    prefilter: 'user ',
    pattern: `^[iI](?:llegal|nvalid) user (?P<user>.*) from ${HOST}${ON_PORT}${SUFFIX}`,
    read: readInvalidUser,
    action: 'auth.invalid_user',
    outcome: 'failure',
    effect: 'fail',
  },
  {
    name: 'user-not-allowed',
    prefilter: ' not allowed because ',
    pattern:
      "^User (?P<user>.+) from (?P<host>\\S+) not allowed because (?:not listed in AllowUsers|listed in DenyUsers|not in any group|a group is listed in DenyGroups|none of user's groups are listed in AllowGroups)" +
      SUFFIX,
    action: 'auth.failure',
    outcome: 'failure',
    effect: 'fail',
  },
  {
    name: 'account-locked',
    prefilter: 'account is locked',
    pattern: `^User (?P<user>.+?) not allowed because account is locked${SUFFIX}`,
    action: 'auth.failure',
    outcome: 'failure',
    effect: 'fail-session',
    hostileIn: ['normal', 'ddos', 'extra', 'aggressive'],
  },
  {
    name: 'tcpwrappers-refused',
    prefilter: 'refused connect from ',
    pattern: '^refused connect from \\S+ \\((?P<host>[^)\\s]+)\\)',
    action: 'conn.refused',
    outcome: 'failure',
    effect: 'fail',
  },
  {
    name: 'disconnect-auth-fail',
    prefilter: 'Auth fail',
    pattern: `^Received disconnect from ${HOST}${ON_PORT}:\\s*3: .*: Auth fail${SUFFIX}`,
    action: 'auth.failure',
    outcome: 'failure',
    effect: 'fail',
  },
  {
    name: 'pam-unix-failure',
    prefilter: 'authentication failure;',
    pattern:
      '^(?:pam_unix\\(sshd:auth\\):\\s+)?authentication failure;(?:\\s+(?:logname|e?uid|tty)=\\S*){0,4}\\s+ruser=(?P<ruser>\\S*)\\s+rhost=(?P<host>\\S+)(?:\\s+user=(?P<user>\\S*))?' +
      SUFFIX,
    read: readPamFailure,
    action: 'auth.failure',
    outcome: 'failure',
    effect: 'pam-failure',
    hostileIn: ['normal', 'ddos', 'extra', 'aggressive'],
  },
  {
    name: 'max-attempts',
    prefilter: 'maximum authentication attempts exceeded',
    pattern: `^maximum authentication attempts exceeded for (?:invalid user )?(?P<user>.*) from ${HOST}${ON_PORT}(?: ssh\\d*)?${SUFFIX}`,
    action: 'auth.max_attempts',
    outcome: 'failure',
    effect: 'fail',
  },
  {
    name: 'change-of-user',
    prefilter: 'Change of username or service not allowed',
    pattern: `^Disconnecting (?:from )?(?:invalid|authenticating) user (?P<user>\\S+) ${HOST}${ON_PORT}:\\s*Change of username or service not allowed:`,
    action: 'auth.failure',
    outcome: 'failure',
    effect: 'fail',
  },
  {
    name: 'too-many-failures-counted',
    prefilter: 'Too many authentication failures',
    pattern: `^Disconnecting (?:from )?(?:invalid|authenticating) user (?P<user>.*?) ${HOST}${ON_PORT}: Too many authentication failures${SUFFIX}`,
    action: 'auth.max_attempts',
    outcome: 'failure',
    effect: 'helper',
  },
  {
    name: 'too-many-failures',
    prefilter: 'Too many authentication failures',
    pattern: `^Disconnecting: Too many authentication failures(?: for (?P<user>.+?))?${SUFFIX}`,
    action: 'auth.max_attempts',
    outcome: 'failure',
    effect: 'fail-session',
    hostileIn: ['normal', 'ddos', 'extra', 'aggressive'],
  },
  {
    name: 'no-auth-methods',
    prefilter: 'authentication methods available',
    pattern: `^Received disconnect from ${HOST}${ON_PORT}:\\s*14: No(?: supported)? authentication methods available`,
    action: 'auth.negotiation_failure',
    outcome: 'failure',
    effect: 'fail',
    hostileIn: EXTRA,
  },
  {
    name: 'disconnect-normal',
    prefilter: 'Received disconnect from ',
    pattern: `^Received disconnect from ${HOST}${ON_PORT}:\\s*\\d+:`,
    read: readDisconnect,
    action: 'session.close',
    outcome: 'unknown',
    effect: 'helper',
  },
  {
    name: 'no-identification',
    prefilter: 'Did not receive identification string',
    pattern: `^Did not receive identification string from ${HOST}${ON_PORT}${SUFFIX}`,
    action: 'auth.no_identification',
    outcome: 'failure',
    effect: 'fail',
    hostileIn: DDOS,
  },
  {
    name: 'kex-identification',
    prefilter: 'kex_exchange_identification: ',
    pattern:
      '^kex_exchange_identification: (?:read: )?(?:[Cc]lient sent invalid protocol identifier|[Cc]onnection (?:closed by remote host|reset by peer))',
    action: 'auth.protocol_error',
    outcome: 'failure',
    effect: 'fail-session',
    hostileIn: DDOS,
  },
  {
    name: 'bad-protocol-version',
    prefilter: 'Bad protocol version identification',
    pattern: `^Bad protocol version identification '.*' from ${HOST}${ON_PORT}\\s*$`,
    action: 'auth.protocol_error',
    outcome: 'failure',
    effect: 'fail',
    hostileIn: DDOS,
  },
  {
    name: 'ssh-audit-remote',
    prefilter: 'SSH: Server;Ltype:',
    pattern: '^SSH: Server;Ltype: (?:Authname|Version|Kex);Remote: (?P<host>\\S+?)-(?P<port>\\d+);[A-Z]\\w+:',
    action: 'conn.open',
    outcome: 'unknown',
    effect: 'helper',
  },
  {
    name: 'read-reset',
    prefilter: 'Read from socket failed: Connection reset by peer',
    pattern: `^Read from socket failed: Connection reset by peer${SUFFIX}`,
    action: 'conn.reset',
    outcome: 'failure',
    effect: 'fail-session',
    hostileIn: DDOS,
  },
  {
    name: 'banner-invalid',
    prefilter: 'banner exchange: Connection from',
    pattern: `^banner exchange: Connection from ${HOST}${ON_PORT}: invalid format`,
    action: 'auth.protocol_error',
    outcome: 'failure',
    effect: 'fail',
    hostileIn: DDOS,
  },
  {
    name: 'dispatch-corrupted',
    prefilter: 'ssh_dispatch_run_fatal: Connection from',
    pattern: `^ssh_dispatch_run_fatal: Connection from ${HOST}${ON_PORT}: (?:message authentication code incorrect|[Cc]onnection corrupted) \\[preauth\\]`,
    action: 'auth.protocol_error',
    outcome: 'failure',
    effect: 'fail',
    hostileIn: DDOS,
  },
  {
    name: 'preauth-timeout',
    prefilter: 'Timeout before authentication',
    pattern:
      '^Timeout before authentication for (?:connection from )?(?P<host>[^\\s,]+?)(?: port (?P<port>\\d+))?(?:[\\s,]|$)',
    action: 'conn.timeout',
    outcome: 'failure',
    effect: 'fail',
    hostileIn: DDOS,
  },
  {
    name: 'negotiate-with',
    prefilter: 'Unable to negotiate with ',
    pattern: `^Unable to negotiate with ${HOST}${ON_PORT}: no matching (?P<algorithm>.+?) found\\.`,
    action: 'auth.negotiation_failure',
    outcome: 'failure',
    effect: 'fail',
    hostileIn: EXTRA,
  },
  {
    name: 'negotiate-session',
    prefilter: 'Unable to negotiate a ',
    pattern: `^Unable to negotiate a (?P<algorithm>.+?)${SUFFIX}`,
    action: 'auth.negotiation_failure',
    outcome: 'failure',
    effect: 'fail-session',
    hostileIn: EXTRA,
  },
  {
    name: 'no-matching-algorithm',
    prefilter: 'no matching ',
    pattern: '^no matching (?P<algorithm>.+?) found:',
    action: 'auth.negotiation_failure',
    outcome: 'failure',
    effect: 'fail-session',
    hostileIn: EXTRA,
  },
  {
    name: 'preauth-user-disconnect',
    prefilter: ' user ',
    pattern: `^Disconnected from (?:invalid|authenticating) user (?P<user>.*?) ${HOST}${ON_PORT} \\[preauth\\]\\s*$`,
    action: 'auth.preauth_disconnect',
    outcome: 'failure',
    effect: 'fail',
    hostileIn: ['ddos', 'extra', 'aggressive'],
  },
  {
    name: 'preauth-close',
    prefilter: ' [preauth]',
    pattern: `^(?:Connection (?:closed|reset)|Disconnected) (?:by|from)(?: (?:invalid|authenticating) user (?P<user>.*?))? ${HOST}${ON_PORT} \\[preauth\\]\\s*$`,
    read: readPreauthClose,
    action: 'auth.preauth_disconnect',
    outcome: 'failure',
    effect: 'fail',
    hostileIn: DDOS,
  },
  {
    name: 'close',
    prefilter: ' by',
    pattern: `^(?:Connection (?:closed|reset)|Disconnected) (?:by|from)(?: (?:invalid|authenticating) user (?P<user>.*?))? ${HOST}${ON_PORT}\\s*$`,
    read: readClose,
    action: 'session.close',
    outcome: 'unknown',
    effect: 'helper',
  },
  {
    name: 'accepted',
    prefilter: 'Accepted ',
    pattern: `^Accepted (?P<method>\\S+) for (?P<user>\\S+) from ${HOST_WORD}${ON_PORT}(?: ssh\\d*)?(?::|\\s|$)`,
    read: readAccepted,
    action: 'auth.success',
    outcome: 'success',
    effect: 'accepted',
  },
  {
    name: 'connection-from',
    prefilter: 'Connection from ',
    pattern: `^Connection from ${HOST_WORD}${ON_PORT}(?:\\s|$)`,
    action: 'conn.open',
    outcome: 'unknown',
    effect: 'helper',
  },
  {
    name: 'session-opened',
    prefilter: 'session opened for user ',
    pattern: '^pam_unix\\(sshd:session\\): session opened for user (?P<user>[^\\s(]+)',
    read: (m) => {
      const opened = readSessionOpened(m);
      return opened?.service === 'sshd' ? { user: opened.user } : undefined;
    },
    action: 'session.open',
    outcome: 'success',
    effect: 'none',
  },
  {
    name: 'session-closed',
    prefilter: 'session closed for user ',
    pattern: '^pam_unix\\(sshd:session\\): session closed for user (?P<user>[^\\s(]+)',
    action: 'session.close',
    outcome: 'success',
    effect: 'none',
  },
]);

/** What follows ` from ` in a Failed line: `HOST[ port N][ on ADDR[ port N]][ sshN]`, and where the rest starts. */
function readFrom(text: string, at: number): { host: string; port?: string; end: number } | undefined {
  let i = at + 6; // ' from '
  let end = text.indexOf(' ', i);
  if (end < 0) end = text.length;
  if (end === i) return undefined;
  const host = text.slice(i, end);
  i = end;
  let port: string | undefined;
  if (text.startsWith(' port ', i)) {
    const k = digitsEnd(text, i + 6);
    if (k > i + 6) {
      port = text.slice(i + 6, k);
      i = k;
    }
  }
  if (text.startsWith(' on ', i)) {
    let k = text.indexOf(' ', i + 4);
    if (k < 0) k = text.length;
    i = k;
    if (text.startsWith(' port ', i)) i = digitsEnd(text, i + 6);
  }
  if (text.startsWith(' ssh', i)) {
    const k = digitsEnd(text, i + 4);
    if (k === text.length || text.charCodeAt(k) === 58 || text.charCodeAt(k) === 32) i = k;
  }
  return { host, port, end: i };
}

/**
 * Finds user and host in the tail of `Failed <method> for ...`, as
 * fail2ban does: the user name of an invalid user is the client's text and may
 * contain ` from <address>`, and so may the auth info after `: `. A user name
 * without spaces followed by the address and `: ` is taken first; otherwise the
 * address is the last ` from ` with no other ` from ` after it. A hand-written
 * scanner: this runs on the most frequent sshd line.
 */
export function splitFailedTail(
  tail: string,
): { user: string; host: string; port?: string; invalid: boolean } | undefined {
  const invalid = tail.startsWith('invalid user ');
  const start = invalid ? 13 : 0;
  const space = tail.indexOf(' from ', start);
  let m: ReturnType<typeof readFrom>;
  let readAt = -1;
  if (space >= 0 && tail.indexOf(' ', start) === space) {
    m = readFrom(tail, space);
    readAt = space;
    if (m && tail.startsWith(': ', m.end))
      return { user: tail.slice(start, space), host: m.host, port: m.port, invalid };
  }
  // Whole tail as user text (`[^:]+` or an invalid user's free text), address the last ` from `.
  const last = tail.lastIndexOf(' from ');
  if (last < 0) return undefined;
  if (last !== readAt) m = readFrom(tail, last);
  if (!m || tail.includes(' from ', m.end)) return undefined;
  let user = tail.slice(0, last);
  const isInvalid = user.startsWith('invalid user ');
  if (isInvalid) user = user.slice(13);
  else if (user.includes(':')) return undefined;
  return { user, host: m.host, port: m.port, invalid: isInvalid };
}

/** The Failed tail split at a known invalid user name, or undefined when the tail does not start with it. */
function knownUserTail(tail: string, user: string): ReturnType<typeof splitFailedTail> {
  const head = `invalid user ${user}`;
  if (!tail.startsWith(head) || !tail.startsWith(' from ', head.length)) return undefined;
  const m = readFrom(tail, head.length);
  return m && { user, host: m.host, port: m.port, invalid: true };
}

/**
 * A connection's lines this far apart belong to different connections that
 * reused the pid: sshd drops an unauthenticated connection after
 * LoginGraceTime (2 minutes by default), and fail2ban forgets its
 * per-connection state after 5 minutes.
 */
const SESSION_IDLE_MS = 5 * 60_000;

/** Most user names remembered per connection (enough to tell one from several). */
const MAX_USERS = 16;

interface Session extends PidEntry<Session> {
  ip?: string;
  domain?: string;
  /**
   * The user names tried, each once, at most {@link MAX_USERS}: most
   * connections try one, held as the string itself (no array per connection).
   */
  users: string | string[] | undefined;
  /** A failure was reported before the address was known. */
  pending: boolean;
  /** The name of `Invalid user NAME from ...` (unambiguous: nothing follows the port there). */
  invalidUser?: string;
  /** Time of the connection's last line (epoch ms), when lines carry one. */
  last?: number;
}

/** Whether the connection tried another user name than `user`. */
function triedOther(session: Session, user: string): boolean {
  const users = session.users;
  if (users === undefined) return false;
  return typeof users === 'string' ? users !== user : !users.includes(user);
}

function addUser(session: Session, user: string): void {
  const users = session.users;
  if (users === undefined) session.users = user;
  else if (typeof users === 'string') {
    if (users !== user) session.users = [users, user];
  } else if (users.length < MAX_USERS && !users.includes(user)) users.push(user);
}

/** Strips sshd's optional `error: `, `fatal: `, `error: PAM: `, Solaris `[ID n facility.level] ` and relayed `kernel:[uptime]` prefixes. */
export function sshdContent(message: string): string {
  let m = message;
  if (m.charCodeAt(0) === 91 && m.startsWith('[ID ')) {
    const close = m.indexOf('] ');
    if (close > 0) m = m.slice(close + 2);
  }
  // Some relays prefix the kernel's uptime stamp: `kernel:[  970.699396]: ` or `kernel: [  970.699397] `.
  if (m.startsWith('kernel:')) {
    const close = m.indexOf(']');
    if (close > 0 && close < 32) m = m.slice(m.charCodeAt(close + 1) === 58 ? close + 3 : close + 2);
  }
  if (m.startsWith('error: ')) m = m.slice(7);
  else if (m.startsWith('fatal: ')) m = m.slice(7);
  if (m.startsWith('PAM: ')) m = m.slice(5);
  return m;
}

/** Which sshd process wrote a line (an event has these fields). */
export type SshdProcess = Pick<LogEvent, 'source' | 'host' | 'pid'>;

/** Recognises sshd messages, with the per-pid session table. */
export class SshdRecogniser {
  private readonly sessions: PidTable<Session>;

  /**
   * @param mode which line shapes count as hostile (fail2ban's filter modes)
   * @param maxSessions most concurrent sshd pids remembered
   */
  constructor(
    private readonly mode: HostileMode,
    maxSessions = 10_000,
  ) {
    this.sessions = new PidTable(maxSessions);
  }

  /**
   * What `message` means; `origin` identifies the sshd process (source, host
   * and pid; no session when the line has no pid).
   */
  recognise(message: string, origin: SshdProcess, time?: number): Recognised | undefined {
    const content = sshdContent(message);
    const found = firstMatch(SSHD_RULES, content);
    if (!found) return undefined;
    const existing = origin.pid === undefined ? undefined : this.live(origin, origin.pid, time);
    const { rule } = found;
    let groups: Groups = found.groups;
    let effect = rule.effect;
    let action = rule.action;
    if (effect === 'failed-auth') {
      // `Failed <method> for <tail>` (the rule only tested the shape).
      const methodEnd = content.indexOf(' ', 7);
      const tail = content.slice(methodEnd + 5);
      // The connection already named its invalid user: that name, however it reads, is the user.
      const known = existing?.invalidUser;
      const split = (known !== undefined && knownUserTail(tail, known)) || splitFailedTail(tail);
      if (!split) return undefined;
      groups = { host: split.host, port: split.port, user: split.user };
      // A valid user's failed public key is routine (several keys tried); it only names the address.
      effect = content.startsWith('publickey ', 7) && !split.invalid ? 'helper' : 'fail';
      if (split.invalid) action = 'auth.invalid_user';
    }
    const remote = remoteOf(groups.host);
    const user = groups.user !== undefined && groups.user !== '' ? groups.user : groups.ruser || groups.user;
    const port = groups.port === undefined ? undefined : Number(groups.port);
    const counts = rule.hostileIn.includes(this.mode);
    const session = origin.pid === undefined ? undefined : (existing ?? this.create(origin, origin.pid, effect));
    if (session && time !== undefined) session.last = time;
    if (session && (remote.ip || remote.domain)) {
      session.ip = remote.ip;
      session.domain = remote.domain;
    }
    if (session && rule.name === 'invalid-user' && user !== undefined) session.invalidUser = user;
    const result: Recognised = {
      action,
      outcome: rule.outcome,
      hostile: false,
      ip: remote.ip,
      domain: remote.domain,
      port,
      user,
    };
    switch (effect) {
      case 'fail':
        // Every user name a connection tries counts (a later login with another name is guessing).
        if (session && user !== undefined) addUser(session, user);
        if (counts) {
          result.hostile = remote.ip !== undefined || remote.domain !== undefined;
          if (result.hostile && session) session.pending = false;
        } else if (session?.pending && (remote.ip || remote.domain)) {
          // Not a failure in this mode, but it names the address a waiting failure needs.
          session.pending = false;
          result.hostile = true;
        }
        break;
      case 'fail-session':
        if (!counts) break;
        if (session?.ip || session?.domain) {
          result.ip = session.ip;
          result.domain = session.domain;
          result.hostile = true;
        } else if (session) session.pending = true;
        break;
      case 'helper':
      case 'pam-failure':
      case 'accepted': {
        if (session?.pending && (remote.ip || remote.domain)) {
          session.pending = false;
          result.hostile = true;
        }
        if (effect !== 'helper' && session && user !== undefined) {
          const tried = triedOther(session, user);
          addUser(session, user);
          // Trying another user name in one connection is guessing, even when it ends in a login.
          if (tried && (remote.ip || remote.domain)) result.hostile = true;
        }
        if (effect === 'helper' && user !== undefined && session) addUser(session, user);
        break;
      }
      case 'none':
        break;
    }
    if (origin.pid !== undefined && (rule.name === 'close' || rule.name === 'preauth-close')) {
      // The connection is over: what it tried is settled.
      this.sessions.delete(origin.source, origin.host ?? '', origin.pid);
    }
    return result;
  }

  /** The session of a process, unless it went quiet for longer than a connection can stay unauthenticated. */
  private live(origin: SshdProcess, pid: number, time: number | undefined): Session | undefined {
    // Recency does not matter here: the table forgets the session created longest ago.
    const session = this.sessions.get(origin.source, origin.host ?? '', pid);
    if (session && time !== undefined && session.last !== undefined && time - session.last >= SESSION_IDLE_MS) {
      this.sessions.delete(origin.source, origin.host ?? '', pid); // a reused pid: a new connection
      return undefined;
    }
    return session;
  }

  private create(origin: SshdProcess, pid: number, effect: Effect): Session {
    // Every field from the start: one object shape, no property store grown later.
    const session: Session = {
      ip: undefined,
      domain: undefined,
      users: undefined,
      pending: false,
      invalidUser: undefined,
      last: undefined,
      scope: undefined,
      pid: undefined,
      older: undefined,
      newer: undefined,
    };
    if (effect !== 'none') this.sessions.set(origin.source, origin.host ?? '', pid, session);
    return session;
  }
}
