/**
 * Network daemons other than mail (./mail.ts): FTP (vsftpd, proftpd),
 * Dropbear SSH, BIND, PostgreSQL, MySQL and MongoDB. Each names the client address;
 * authentication failures, and the abuse each daemon reports, count against
 * it as fail2ban's filters for these daemons count them
 * (docs/fail2ban-package-agreement.md).
 */
import RE2 from 're2';
import { type RuleSpec, rules } from './types';

/** `name[address]`, as postfix and proftpd name a client. */
export const CLIENT = '(?P<rdns>[^\\[\\s]*)\\[(?P<host>[^\\]]+)\\]';

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

/** proftpd, under syslog (`server (client[addr]) - message`) and in its own SystemLog (`(client[addr]): message`). */
export const PROFTPD_RULES = rules<RuleSpec>([
  {
    name: 'proftpd-login-failed',
    prefilter: '])',
    pattern: `^\\S+ \\(${CLIENT}\\)(?: - |: )+(?:USER (?P<user>.*?)(?: \\(Login failed\\):|: no such user found)|Maximum login attempts \\(\\d+\\) exceeded|SECURITY VIOLATION: [Rr]oot login attempted)`,
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
    pattern: "Access denied for user '(?P<user>[^']*)'@'(?P<host>[^']+)' \\(using password: (?:YES|NO)\\)\\s*$",
    action: 'auth.failure',
    outcome: 'failure',
  },
]);

/** `ADDR:PORT` as Dropbear and mongod write a client: IPv6 unbracketed, the port after the last colon. */
const HOST_PORT = '(?P<host>\\S+?):(?P<port>\\d+)';

/** Dropbear's client, at the end of its lines. */
const DROPBEAR_CLIENT = `from ${HOST_PORT}\\s*$`;

/** Dropbear, the small SSH server of routers and containers (svr-auth.c, svr-authpasswd.c). */
export const DROPBEAR_RULES = rules<RuleSpec>([
  {
    name: 'dropbear-bad-password',
    prefilter: 'assword attempt for ',
    pattern: `^[Bb]ad (?:PAM )?password attempt for '(?P<user>.*)' ${DROPBEAR_CLIENT}`,
    action: 'auth.failure',
    outcome: 'failure',
  },
  {
    name: 'dropbear-invalid-user',
    prefilter: 'ogin attempt for nonexistent user',
    pattern: `^[Ll]ogin attempt for nonexistent user(?: '(?P<user>.*)')? ${DROPBEAR_CLIENT}`,
    action: 'auth.invalid_user',
    outcome: 'failure',
  },
  {
    name: 'dropbear-max-tries',
    prefilter: 'Max auth tries reached',
    pattern: `^Exit before auth(?: \\(user '(?P<user>.*)', \\d+ fails\\))?: Max auth tries reached - user '(?P<user2>.*)' ${DROPBEAR_CLIENT}`,
    action: 'auth.max_attempts',
    outcome: 'failure',
  },
  {
    name: 'dropbear-auth-succeeded',
    prefilter: 'auth succeeded for ',
    pattern: `^(?:Password|Pubkey|PAM password) auth succeeded for '(?P<user>.*)'.* ${DROPBEAR_CLIENT}`,
    action: 'auth.success',
    outcome: 'success',
  },
]);

/**
 * BIND (named): queries, zone transfers and updates its ACLs refused
 * (`allow-query`, `allow-transfer`, `allow-update`): open-resolver abuse and
 * zone enumeration. `client @0x7f.. 192.0.2.1#53 (name): view v: query (cache) 'x/A/IN' denied`.
 */
export const NAMED_RULES = rules<RuleSpec>([
  {
    name: 'named-denied',
    prefilter: 'client ',
    pattern:
      "^client (?:@0x[0-9a-fA-F]+ )?(?P<host>[^#\\s]+)#(?P<port>\\d+)(?: \\([^)]*\\))?: (?:view [^:]+: )?(?:query(?: \\(cache\\))? '[^']*' denied|zone transfer '[^']*' denied|bad zone transfer request: '[^']*': non-authoritative zone|update '[^']*' denied)",
    action: 'dns.denied',
    outcome: 'failure',
  },
]);

/**
 * mongod's text log (3.0 to 4.2) names the client of a failed authentication;
 * 2.x does not (`Failed to authenticate root@admin with mechanism ...`): its
 * client is on the connection's `end connection` line, which the recogniser
 * joins by context (`conn12`).
 */
export const MONGODB_RULES = rules<RuleSpec>([
  {
    name: 'mongodb-auth-failed',
    prefilter: 'authentication failed for ',
    pattern: `^(?P<mechanism>[\\w-]+) authentication failed for (?P<user>\\S+) on (?P<db>\\S+) from client ${HOST_PORT} `,
    action: 'auth.failure',
    outcome: 'failure',
  },
  {
    name: 'mongodb-failed-to-authenticate',
    prefilter: 'Failed to authenticate ',
    pattern: `^Failed to authenticate (?P<user>\\S+?)@(?P<db>\\S+) from client ${HOST_PORT} with mechanism`,
    action: 'auth.failure',
    outcome: 'failure',
  },
]);

/** 2.x: `Failed to authenticate root@admin with mechanism MONGODB-CR: ...` (no client). */
export const MONGODB_FAILED_UNNAMED = new RE2('^Failed to authenticate (?P<user>\\S+) with mechanism ');

/** `end connection 1.2.3.4:5678 (0 connections now open)`. */
export const MONGODB_END_CONNECTION = new RE2(`^end connection ${HOST_PORT} `);

/** xinetd refusing a connection by its access rules (`only_from`, libwrap). */
export const XINETD_RULES = rules<RuleSpec>([
  {
    name: 'xinetd-fail',
    prefilter: 'FAIL: ',
    pattern: '^FAIL: \\S+ (?:address|libwrap|time|service_limit|per_source_limit) from=(?P<host>\\S+)$',
    action: 'conn.blocked',
    outcome: 'failure',
  },
]);

/** Pure-FTPd: `(?@203.0.113.5) [WARNING] Authentication failed for user [bob]`. */
export const PUREFTPD_RULES = rules<RuleSpec>([
  {
    name: 'pure-ftpd-auth-failed',
    prefilter: 'Authentication failed for user [',
    pattern: '^\\([^@]*@(?P<host>[^)]+)\\) \\[WARNING\\] Authentication failed for user \\[(?P<user>.*)\\]$',
    action: 'auth.failure',
    outcome: 'failure',
  },
]);

/** Webmin's own login failures. */
export const WEBMIN_RULES = rules<RuleSpec>([
  {
    name: 'webmin-login-failed',
    prefilter: ' login as ',
    pattern: '^(?P<kind>Invalid|Non-existent) login as (?P<user>.+) from (?P<host>\\S+)\\s*$',
    action: 'auth.failure',
    outcome: 'failure',
  },
]);
