/**
 * Network daemons' authentication failures: postfix SASL, dovecot, vsftpd,
 * proftpd, PostgreSQL and MySQL. Each names the client address, and a failure
 * counts against it (as fail2ban's postfix, dovecot, vsftpd and proftpd
 * filters do).
 */
import { type HostileMode, type RuleSpec, rules } from './types';

const DDOS: readonly HostileMode[] = ['ddos', 'aggressive'];
const CLIENT = '(?P<rdns>[^\\[\\s]*)\\[(?P<host>[^\\]]+)\\]';

/** postfix (smtpd and friends). */
export const POSTFIX_RULES = rules<RuleSpec>([
  {
    name: 'postfix-sasl-failed',
    prefilter: 'authentication failed',
    pattern: `^warning: ${CLIENT}: SASL (?P<mechanism>[\\w-]+) authentication failed(?::.*)?$`,
    action: 'auth.failure',
    outcome: 'failure',
  },
  {
    name: 'postfix-relay-denied',
    prefilter: 'Relay access denied',
    pattern: `^(?:\\w+: )?NOQUEUE: reject: RCPT from ${CLIENT}: 554 5\\.7\\.1 .*Relay access denied`,
    action: 'mail.relay_denied',
    outcome: 'failure',
  },
  {
    name: 'postfix-lost-after-auth',
    prefilter: 'lost connection after AUTH',
    pattern: `^lost connection after AUTH from ${CLIENT}`,
    action: 'auth.preauth_disconnect',
    outcome: 'failure',
    hostileIn: DDOS,
  },
]);

/** dovecot (its login processes and auth workers). */
export const DOVECOT_RULES = rules<RuleSpec>([
  {
    name: 'dovecot-login-failed',
    prefilter: 'auth failed',
    pattern:
      '^(?:\\w+-login: )?(?:Info: )?(?:Aborted login|Disconnected|Login aborted)[^(]*\\((?:auth failed, \\d+ attempts?(?: in \\d+ secs?)?|tried to use (?:disabled|disallowed) \\w+ auth)\\)[^:]*: (?:user=<(?P<user>[^>]*)>,)?.*?\\brip=(?P<host>[^,\\s]+)',
    action: 'auth.failure',
    outcome: 'failure',
  },
  {
    name: 'dovecot-auth-worker',
    prefilter: 'auth',
    pattern:
      '^auth(?:-worker)?(?:\\(\\d+\\))?: (?:Info: )?(?:conn [^:]+: )?(?:pam|passwd-file|sql|ldap|shadow|passwd|bsdauth)\\((?P<user>[^,]*),(?P<host>[^,)]+)(?:,<[^>]*>)?\\): (?:unknown user|[Pp]assword mismatch|pam_authenticate\\(\\) failed|invalid credentials|Authentication failure)',
    action: 'auth.failure',
    outcome: 'failure',
  },
]);

/**
 * vsftpd (its own log and syslog). The user name is free text (it may hold
 * `] FAIL LOGIN: Client "x"`): the client is the last one, at the end of the
 * line or before vsftpd's own `, "reason"`, as fail2ban anchors it.
 */
export const VSFTPD_RULES = rules<RuleSpec>([
  {
    name: 'vsftpd-fail-login',
    prefilter: 'FAIL LOGIN: Client "',
    pattern:
      '^(?:\\w{3} \\w{3} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d \\d{4} )?(?:\\[pid \\d+\\] )?\\[(?P<user>.*)\\] FAIL LOGIN: Client "(?P<host>[^"]+)"(?:\\s*$|,)',
    action: 'auth.failure',
    outcome: 'failure',
  },
  {
    name: 'vsftpd-ok-login',
    prefilter: 'OK LOGIN: Client "',
    pattern:
      '^(?:\\w{3} \\w{3} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d \\d{4} )?(?:\\[pid \\d+\\] )?\\[(?P<user>.*)\\] OK LOGIN: Client "(?P<host>[^"]+)"(?:\\s*$|,)',
    action: 'auth.success',
    outcome: 'success',
  },
]);

/** proftpd. */
export const PROFTPD_RULES = rules<RuleSpec>([
  {
    name: 'proftpd-login-failed',
    prefilter: ' - ',
    pattern: `^\\S+ \\(${CLIENT}\\)(?: - )+(?:USER (?P<user>\\S+)(?: \\(Login failed\\):|: no such user found)|Maximum login attempts \\(\\d+\\) exceeded|SECURITY VIOLATION: [Rr]oot login attempted)`,
    action: 'auth.failure',
    outcome: 'failure',
  },
]);

/** PostgreSQL (address from the log line prefix) and MySQL. */
export const DATABASE_RULES = rules<RuleSpec>([
  {
    name: 'postgres-password-failed',
    prefilter: 'authentication failed for user "',
    pattern: '^(?:password|md5|scram-sha-256) authentication failed for user "(?P<user>.*)"',
    action: 'auth.failure',
    outcome: 'failure',
  },
  {
    name: 'postgres-no-hba',
    prefilter: 'no pg_hba.conf entry for host "',
    pattern: '^no pg_hba\\.conf entry for host "(?P<host>[^"]+)", user "(?P<user>[^"]*)"',
    action: 'auth.failure',
    outcome: 'failure',
  },
  {
    name: 'mysql-access-denied',
    prefilter: 'Access denied for user ',
    pattern: "Access denied for user '(?P<user>[^']*)'@'(?P<host>[^']+)' \\(using password: (?:YES|NO)\\)",
    action: 'auth.failure',
    outcome: 'failure',
  },
]);
