/**
 * Mail daemons: postfix (smtpd, postscreen), dovecot, Exim and sendmail.
 * SASL and SMTP AUTH failures are authentication failures; rejects that say
 * the client is to blame, protocol violations and user probing count against
 * the client; connections that leave without sending mail count only in the
 * wider modes, as fail2ban's filters for these daemons count them
 * (docs/fail2ban-package-agreement.md).
 */
import RE2 from 're2';
import { CLIENT } from './network-auth';
import { type HostileMode, type RuleSpec, rules } from './types';

const DDOS: readonly HostileMode[] = ['ddos', 'aggressive'];

/** `name[address]` or postscreen's `[address]:port`, as postfix names an SMTP client. */
const SMTP_CLIENT = `${CLIENT}(?::(?P<port>\\d+))?`;

/**
 * What a postfix reject says when the client, not the mail, is the problem:
 * RBL hits, unknown or unqualified HELO/sender/client names, access-map matches,
 * probing for users (postconf(5) `*_reject_code`, access(5)).
 */
const ABUSIVE_REJECT =
  '(?:(?:<[^>]*>)?: )?(?:(?:Helo command|Sender address|Recipient address|Client host) rejected: )?(?:Service unavailable|(?:Client host|Command|Data command) rejected|Relay access denied|(?:Host|Domain) not found|need fully-qualified (?:hostname|address)|cannot find your (?:reverse )?hostname|match\\b|User unknown|[Uu]ndeliverable address)';

/** `QUEUEID: reject: CMD from client: 550 5.7.1 reason; from=<..> to=<..>` (smtpd_check.c, postscreen). */
const REJECT = `^(?:\\w+: )?(?:milter-)?reject: (?P<command>[A-Z-]+) from ${SMTP_CLIENT}: (?P<code>[45]\\d\\d)(?: (?P<dsn>[45]\\.\\d{1,3}\\.\\d{1,3}))? `;

/**
 * postfix (smtpd, postscreen, any instance). SASL failures are authentication
 * failures; rejects that say the client is abusive, protocol violations and
 * `too many errors` count in every mode; hang-ups and postscreen's pregreet and
 * limit violations only from `ddos`.
 */
export const POSTFIX_RULES = rules<RuleSpec>([
  {
    // The SASL server went away: our fault, not the client's.
    name: 'postfix-sasl-server-lost',
    prefilter: 'Connection lost to authentication server',
    pattern: `^warning: ${SMTP_CLIENT}: SASL (?P<mechanism>[\\w-]+) authentication failed: Connection lost to authentication server`,
    action: 'auth.failure',
    outcome: 'failure',
    hostileIn: [],
  },
  {
    // A client offering a mechanism we do not offer is misconfigured more often than hostile.
    name: 'postfix-sasl-bad-mechanism',
    prefilter: 'Invalid authentication mechanism',
    pattern: `^warning: ${SMTP_CLIENT}: SASL (?P<mechanism>[\\w-]+) authentication failed: Invalid authentication mechanism`,
    action: 'auth.failure',
    outcome: 'failure',
    hostileIn: ['aggressive'],
  },
  {
    name: 'postfix-sasl-failed',
    prefilter: 'authentication failed',
    pattern: `^warning: ${SMTP_CLIENT}: SASL (?P<mechanism>[\\w-]+) authentication failed(?::.*)?$`,
    action: 'auth.failure',
    outcome: 'failure',
  },
  {
    name: 'postfix-relay-denied',
    prefilter: 'Relay access denied',
    pattern: `${REJECT}.*Relay access denied`,
    action: 'mail.relay_denied',
    outcome: 'failure',
  },
  {
    name: 'postfix-reject-abusive',
    prefilter: 'reject: ',
    pattern: `${REJECT}${ABUSIVE_REJECT}`,
    action: 'mail.rejected',
    outcome: 'failure',
  },
  {
    // Greylisting, full mailboxes, policy deferrals: a refused message, not a hostile client.
    name: 'postfix-reject',
    prefilter: 'reject: ',
    pattern: `${REJECT}(?P<reason>.*?)(?:; from=<|$)`,
    action: 'mail.rejected',
    outcome: 'failure',
    hostileIn: [],
  },
  {
    name: 'postfix-protocol-violation',
    prefilter: ' after ',
    pattern: `^(?:improper command pipelining|too many errors) after (?P<command>[A-Z-]+) from ${SMTP_CLIENT}`,
    action: 'mail.protocol_violation',
    outcome: 'failure',
  },
  {
    name: 'postfix-lost-after-auth',
    prefilter: 'lost connection after AUTH',
    pattern: `^lost connection after AUTH from ${SMTP_CLIENT}`,
    action: 'auth.preauth_disconnect',
    outcome: 'failure',
    hostileIn: DDOS,
  },
  {
    // Losing a client mid-DATA is what slow links do.
    name: 'postfix-lost-in-data',
    prefilter: 'lost connection after ',
    pattern: `^lost connection after (?:DATA|BDAT|END-OF-MESSAGE)(?: \\(\\d+ bytes\\))? from ${SMTP_CLIENT}`,
    action: 'conn.reset',
    outcome: 'failure',
    hostileIn: [],
  },
  {
    name: 'postfix-lost-connection',
    prefilter: 'lost connection after ',
    pattern: `^lost connection after (?P<command>[A-Z-]+) from ${SMTP_CLIENT}`,
    action: 'auth.preauth_disconnect',
    outcome: 'failure',
    hostileIn: DDOS,
  },
  {
    // smtpd's per-session summary: `auth=0/3` is three failed AUTH commands and no success.
    name: 'postfix-disconnect-auth-failed',
    prefilter: ' auth=0/',
    pattern: `^disconnect from ${SMTP_CLIENT}(?: [\\w-]+=\\d+(?:/\\d+)?)* auth=0/[1-9]`,
    action: 'auth.preauth_disconnect',
    outcome: 'failure',
    hostileIn: DDOS,
  },
  {
    // postscreen: talking before the greeting, hanging up mid-test, exceeding command limits.
    name: 'postfix-postscreen-violation',
    prefilter: ' from [',
    pattern: `^(?:PREGREET \\d+ after \\S+|HANGUP after \\S+|COMMAND (?:TIME|COUNT|LENGTH) LIMIT) from ${SMTP_CLIENT}`,
    action: 'mail.protocol_violation',
    outcome: 'failure',
    hostileIn: DDOS,
  },
]);

/** dovecot's process prefix: `imap-login: `, `auth-worker(123): `, `Info: `, `conn unix:auth-worker (uid=97): auth-worker<55>: `. */
const DOVECOT_PREFIX =
  '^(?:dovecot: )?(?:[\\w-]+(?:\\([^)]*\\))?: )?(?:Info: )?(?:conn \\S+ \\([^)]*\\): [\\w-]+<\\d+>: )?';

/** The close reason up to the `(` of its detail; the reason may hold `read(size=1026) failed`. */
const DOVECOT_REASON =
  '(?:Aborted login|Login aborted|Disconnected|Remote closed connection|Client has quit the connection)\\b[^(]*(?:\\([^()]*\\)[^(]*)*?\\(';

/** After the detail: `): user=<u>, method=M, rip=ADDR, lip=...`. */
const DOVECOT_CLIENT = '\\):(?: user=<(?P<user>[^>]*)>,)?.*?\\brip=(?P<host>[^,\\s]+)';

/**
 * dovecot: its login processes (`Aborted login (auth failed, 3 attempts)`) and
 * its passdb lookups (`sql(user,rip): unknown user`), under syslog or in its
 * own log file. A client that connects and leaves without trying to log in
 * counts only in `aggressive`.
 */
export const DOVECOT_RULES = rules<RuleSpec>([
  {
    name: 'dovecot-login-failed',
    prefilter: 'rip=',
    pattern: `${DOVECOT_PREFIX}${DOVECOT_REASON}(?:auth failed, \\d+ attempts?(?: in \\d+ secs?)?|tried to use (?:disabled|disallowed) \\S+ auth|proxy dest auth failed)${DOVECOT_CLIENT}`,
    action: 'auth.failure',
    outcome: 'failure',
  },
  {
    name: 'dovecot-no-login',
    prefilter: 'rip=',
    pattern: `${DOVECOT_PREFIX}${DOVECOT_REASON}(?:no auth attempts|disconnected before auth was ready|client didn't finish \\S+ auth)[^)]*${DOVECOT_CLIENT}`,
    action: 'auth.preauth_disconnect',
    outcome: 'failure',
    hostileIn: ['aggressive'],
  },
  {
    name: 'dovecot-passdb-failed',
    prefilter: '): ',
    pattern: `${DOVECOT_PREFIX}[a-z][a-z-]{1,14}\\((?P<user>[^,]*),(?P<host>[^,)]+)(?:,(?:<[^>]*>)?)?\\): (?:[Uu]nknown user|[Pp]assword mismatch|[Ii]nvalid credentials|Authentication failure|pam_authenticate\\(\\) failed: (?:User not known|Authentication failure|Permission denied))`,
    action: 'auth.failure',
    outcome: 'failure',
  },
]);

/** Exim's client: `H=name (helo) [address]:port I=[local]:25` (each part optional but the address). */
const EXIM_CLIENT =
  '(?:[^\\s\\[(]+ )?(?:\\([^)]*\\) )?\\[(?P<host>[^\\]]+)\\](?::(?P<port>\\d+))?(?: I=\\[[^\\]]*\\](?::\\d+)?)?';

/** Why Exim refuses a recipient or a sender when the client is to blame (unknown users, relaying, bad senders). */
const EXIM_ABUSE =
  '(?:relay not permitted|Sender verify failed|Unknown user|Unrouteable address|all relevant MX records point to non-existent hosts)';

/**
 * Exim (its mainlog, or syslog): failed SMTP AUTH, refused senders and
 * recipients, protocol violations, clients that never send mail and
 * connections an ACL dropped, as Exim's documentation words its log lines.
 */
export const EXIM_RULES = rules<RuleSpec>([
  {
    name: 'exim-auth-failed',
    prefilter: 'authenticator failed for ',
    pattern: `^(?P<driver>[\\w-]+) authenticator failed for ${EXIM_CLIENT}: 535 Incorrect authentication data(?: \\(set_id=(?P<user>[^)]*)\\))?`,
    action: 'auth.failure',
    outcome: 'failure',
  },
  {
    name: 'exim-sender-verify-failed',
    prefilter: 'sender verify fail for ',
    pattern: `^H=${EXIM_CLIENT}(?: F=\\S+)? sender verify fail for <[^>]*>: ${EXIM_ABUSE}`,
    action: 'mail.rejected',
    outcome: 'failure',
  },
  {
    name: 'exim-relay-denied',
    prefilter: 'relay not permitted',
    pattern: `^H=${EXIM_CLIENT}(?: [UP]=\\S+)*(?: F=\\S+)? rejected RCPT \\S+: relay not permitted`,
    action: 'mail.relay_denied',
    outcome: 'failure',
  },
  {
    name: 'exim-rcpt-rejected-abusive',
    prefilter: ' rejected RCPT ',
    pattern: `^H=${EXIM_CLIENT}(?: [UP]=\\S+)*(?: F=\\S+)? rejected RCPT \\S+: ${EXIM_ABUSE}`,
    action: 'mail.rejected',
    outcome: 'failure',
  },
  {
    // Greylisting, quotas, content checks: a refused message, not a hostile client.
    name: 'exim-rcpt-rejected',
    prefilter: ' rejected RCPT ',
    pattern: `^H=${EXIM_CLIENT}(?: [UP]=\\S+)*(?: F=\\S+)? rejected RCPT \\S+: (?P<reason>.*)`,
    action: 'mail.rejected',
    outcome: 'failure',
    hostileIn: [],
  },
  {
    // The command is the client's text and may hold `H=[...]`: the greedy quote ends at the last `" H=`.
    name: 'exim-synchronization-error',
    prefilter: 'SMTP protocol synchronization error',
    pattern: `^SMTP protocol synchronization error \\([^)]*\\): rejected (?:connection from |".*" )H=${EXIM_CLIENT}`,
    action: 'mail.protocol_violation',
    outcome: 'failure',
  },
  {
    name: 'exim-too-many-errors',
    prefilter: 'SMTP call from ',
    pattern: `^SMTP call from ${EXIM_CLIENT} dropped: too many (?:nonmail commands|syntax or protocol errors|unrecognized commands)`,
    action: 'mail.protocol_violation',
    outcome: 'failure',
  },
  {
    name: 'exim-auth-not-advertised',
    prefilter: 'AUTH command used when not advertised',
    pattern: `^SMTP protocol error in ".*" H=${EXIM_CLIENT} AUTH command used when not advertised`,
    action: 'mail.protocol_violation',
    outcome: 'failure',
  },
  {
    name: 'exim-no-mail',
    prefilter: 'no MAIL in SMTP connection from ',
    pattern: `^no MAIL in SMTP connection from ${EXIM_CLIENT} D=`,
    action: 'auth.preauth_disconnect',
    outcome: 'failure',
  },
  {
    name: 'exim-dropped-by-acl',
    prefilter: 'closed by DROP in ACL',
    pattern: `^(?:[\\w-]+ )?SMTP connection from ${EXIM_CLIENT} closed by DROP in ACL`,
    action: 'mail.rejected',
    outcome: 'failure',
  },
  {
    name: 'exim-no-reverse-dns',
    prefilter: 'no host name found for IP address ',
    pattern: '^no host name found for IP address (?P<host>\\S+)$',
    action: 'mail.rejected',
    outcome: 'failure',
    hostileIn: ['aggressive'],
  },
  {
    name: 'exim-no-forward-dns',
    prefilter: 'no IP address found for host ',
    pattern: '^no IP address found for host \\S+ \\(during SMTP connection from \\[(?P<host>[^\\]]+)\\]\\)$',
    action: 'mail.rejected',
    outcome: 'failure',
    hostileIn: ['aggressive'],
  },
]);

/** sendmail's client: `name [address] (may be forged)`, the name optional, IPv6 as `[IPv6:...]`. */
const SENDMAIL_CLIENT = '(?:\\S+ )?\\[(?:IPv6:)?(?P<host>[^\\]]+)\\](?: \\(may be forged\\))?';

/**
 * sendmail (sm-mta): failed SMTP AUTH and AUTH floods, rulesets rejecting
 * the client (check_rcpt, check_mail, check_relay), user probing with EXPN
 * and VRFY, pre-greeting traffic, and (from `extra`) connections that never
 * sent mail. Each line starts with the queue id when it has one.
 */
export const SENDMAIL_RULES = rules<RuleSpec>([
  {
    // The relay is the last one: a user name may hold `relay=[...]`.
    name: 'sendmail-auth-failed',
    prefilter: 'AUTH failure (',
    pattern: `^(?:\\w+: )?AUTH failure \\([^)]*\\): (?:.*?, user=(?P<user>[^,]*),)?.*relay=${SENDMAIL_CLIENT}$`,
    action: 'auth.failure',
    outcome: 'failure',
  },
  {
    name: 'sendmail-auth-flood',
    prefilter: 'possible SMTP attack: command=',
    pattern: `^(?:\\w+: )?${SENDMAIL_CLIENT}: possible SMTP attack: command=AUTH, count=\\d+`,
    action: 'auth.max_attempts',
    outcome: 'failure',
  },
  {
    name: 'sendmail-ruleset-reject',
    prefilter: ', reject=',
    pattern: `^(?:\\w+: )?ruleset=check_(?:rcpt|mail|relay), arg1=.*, relay=${SENDMAIL_CLIENT}, reject=(?P<code>[45]\\d\\d) `,
    action: 'mail.rejected',
    outcome: 'failure',
  },
  {
    name: 'sendmail-pregreeting',
    prefilter: 'due to pre-greeting traffic',
    pattern: `^(?:\\w+: )?rejecting commands from +${SENDMAIL_CLIENT} due to pre-greeting traffic`,
    action: 'mail.protocol_violation',
    outcome: 'failure',
  },
  {
    name: 'sendmail-user-probe',
    prefilter: ' [rejected]',
    pattern: `^(?:\\w+: )?${SENDMAIL_CLIENT}: (?:EXPN|VRFY|expn|vrfy) \\S+ \\[rejected\\]`,
    action: 'mail.rejected',
    outcome: 'failure',
  },
  {
    name: 'sendmail-no-mail',
    prefilter: 'did not issue MAIL/EXPN/VRFY/ETRN',
    pattern: `^(?:\\w+: )?${SENDMAIL_CLIENT} did not issue MAIL/EXPN/VRFY/ETRN during connection to `,
    action: 'auth.preauth_disconnect',
    outcome: 'failure',
    hostileIn: ['extra', 'aggressive'],
  },
]);

/** `QID: <user@domain>... No such user here`: a recipient that does not exist. */
export const SENDMAIL_NO_SUCH_USER = new RE2('^(?P<queue>\\w+): <[^>]*>\\.\\.\\. No such user here$');

/** `QID: from=<...>, ..., relay=client`: the envelope line that names the client of a queue id. */
export const SENDMAIL_FROM = new RE2(`^(?P<queue>\\w+): from=<[^>]*>, .*relay=${SENDMAIL_CLIENT}$`);

/** Cyrus IMAP/POP3 (`cyrus/imap`, `imapd`): `badlogin: name [address] MECH [SASL(-13): ...]`. */
export const CYRUS_RULES = rules<RuleSpec>([
  {
    name: 'cyrus-badlogin',
    prefilter: 'badlogin: ',
    pattern:
      '^badlogin: (?:[^\\s\\[]*\\s?)\\[(?P<host>[^\\]]+)\\] (?P<mechanism>\\S+) (?:(?P<user>[^\\s\\[]+) )?\\[?SASL\\(-13\\): (?:authentication failure|user not found)',
    action: 'auth.failure',
    outcome: 'failure',
  },
]);

/** Courier's IMAP/POP3 logins and its ESMTP daemon (`relay=::ffff:1.2.3.4`). */
export const COURIER_RULES = rules<RuleSpec>([
  {
    name: 'courier-login-failed',
    prefilter: 'LOGIN FAILED, ',
    pattern: '^LOGIN FAILED, (?:user=(?P<user>[^,]*), )?(?:method=\\S+, )?ip=\\[(?P<host>[^\\]]+)\\]',
    action: 'auth.failure',
    outcome: 'failure',
  },
  {
    name: 'courier-smtp-auth-failed',
    prefilter: '535 Authentication failed',
    pattern: '^error,relay=(?P<host>[^,]+),(?:port=(?P<port>\\d+),)?msg="535 Authentication failed\\.",cmd:',
    action: 'auth.failure',
    outcome: 'failure',
  },
  {
    name: 'courier-smtp-unknown-user',
    prefilter: 'error,relay=',
    pattern:
      '^error,relay=(?P<host>[^,]+),(?:port=\\d+,)?(?:ident=[^,]*,)?from=<[^>]*>,to=<[^>]*>: 550 User (?:<[^>]*> )?unknown',
    action: 'mail.rejected',
    outcome: 'failure',
  },
]);
