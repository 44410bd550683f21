/**
 * Local privilege and login programs: sudo, su and PAM's pam_unix (for every
 * service that uses it). A PAM failure counts against an address only when
 * PAM names a remote host (`rhost=`); sudo and su failures are local.
 */
import { readSessionOpened, readSudoCommand, readSudoRefused, readUserUnknown } from './readers';
import { type RuleSpec, rules } from './types';

/** sudo's own lines: `alice : [reason ; ]TTY=pts/0 ; PWD=/ ; USER=root ; COMMAND=/bin/ls`. */
export const SUDO_RULES = rules<RuleSpec>([
  {
    name: 'sudo-refused',
    prefilter: ' ; USER=',
    pattern:
      '^\\s*(?P<user>\\S+) : (?P<reason>(?:\\d+ incorrect password attempts?|user NOT in sudoers|user NOT authorized on host|command not allowed|a password is required|[^;=]*?)) ; (?:TTY=(?P<tty>\\S+) ; )?PWD=(?P<pwd>.*?) ; USER=(?P<runas>\\S+) ;(?: .*?;)? COMMAND=(?P<command>.*)$',
    read: readSudoRefused,
    action: 'sudo.failure',
    outcome: 'failure',
    hostileIn: [],
  },
  {
    name: 'sudo-command',
    prefilter: ' ; USER=',
    pattern:
      '^\\s*(?P<user>\\S+) : (?:TTY=(?P<tty>\\S+) ; )?PWD=(?P<pwd>.*?) ; USER=(?P<runas>\\S+) ;(?: .*?;)? COMMAND=(?P<command>.*)$',
    read: readSudoCommand,
    action: 'sudo.command',
    outcome: 'success',
  },
]);

/** su (util-linux and shadow). */
export const SU_RULES = rules<RuleSpec>([
  {
    name: 'su-failed',
    prefilter: 'FAILED ',
    pattern:
      '^FAILED (?:SU|su) (?:\\(to (?P<target>\\S+)\\) (?P<user>\\S+) on (?P<tty>\\S+)|for (?P<target2>\\S+) by (?P<user2>\\S+))',
    action: 'sudo.failure',
    outcome: 'failure',
    hostileIn: [],
  },
  {
    name: 'su-success',
    prefilter: 'to ',
    pattern:
      '^(?:\\(to (?P<target>\\S+)\\) (?P<user>\\S+) on (?P<tty>\\S+)|Successful su for (?P<target2>\\S+) by (?P<user2>\\S+))$',
    action: 'session.open',
    outcome: 'success',
  },
]);

/** pam_unix, whatever service logs it. */
export const PAM_RULES = rules<RuleSpec>([
  {
    name: 'pam-auth-failure',
    prefilter: 'authentication failure;',
    // `pam_unix(sshd:auth):`, older `(pam_unix)` and `pam_unix:`, and other modules (pam_sss, pam_ldap).
    // Anchored at the end: a user name may hold ` rhost=...`; PAM writes the real rhost right before `user=`.
    pattern:
      '^\\(?(?P<module>pam_\\w+)(?:\\((?:(?P<service>[^:)]+):)?auth\\))?\\)?:?\\s+authentication failure;(?:\\s+(?:logname|e?uid|tty)=\\S*){0,4}\\s+ruser=(?P<ruser>.*?)\\s+rhost=(?P<host>\\S*)(?:\\s+user=(?P<user>.*?))?\\s*$',
    action: 'auth.failure',
    outcome: 'failure',
  },
  {
    name: 'pam-user-unknown',
    prefilter: 'user unknown',
    pattern: '^pam_unix\\((?P<service>[^:)]+):auth\\): check pass; user unknown',
    capture: false, // no group the event takes
    read: readUserUnknown,
    action: 'auth.invalid_user',
    outcome: 'failure',
  },
  {
    name: 'pam-session-opened',
    prefilter: 'session opened for user ',
    pattern: '^pam_unix\\((?P<service>[^:)]+):session\\): session opened for user (?P<user>[^\\s(]+)',
    read: readSessionOpened,
    action: 'session.open',
    outcome: 'success',
  },
  {
    name: 'pam-session-closed',
    prefilter: 'session closed for user ',
    pattern: '^pam_unix\\((?P<service>[^:)]+):session\\): session closed for user (?P<user>[^\\s(]+)',
    action: 'session.close',
    outcome: 'success',
  },
]);
