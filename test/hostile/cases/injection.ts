/**
 * Injected addresses: lines whose attacker-written parts (user names, paths,
 * URLs, free text) hold the bait 6.6.6.6; the real source, when the line has
 * one, is 203.0.113.10. Shared by the test and docs/hostile-input.md.
 */

export const BAIT = '6.6.6.6';
export const REAL = '203.0.113.10';
const S = (program: string, message: string) => `Mar  5 10:15:30 srv ${program}: ${message}`;

/**
 * `ip: undefined` on a line that has a real source: the recogniser refuses the
 * ambiguous line (as fail2ban's filter does) rather than guess.
 */
export interface InjectionCase {
  /** What the attacker controls in the line. */
  name: string;
  line: string;
  /** The source the event must carry: the real client, or none for local programs. */
  ip: string | undefined;
  /** Whether the line is hostile (the real source is the attacker). */
  hostile: boolean;
}

/** One or more lines per recogniser family. */
export const INJECTION_CASES: InjectionCase[] = [
  // sshd, every shape that names a user or echoes client text
  {
    name: 'sshd: invalid user named like an address',
    line: S('sshd[1]', `Failed password for invalid user ${BAIT} from ${REAL} port 22 ssh2`),
    ip: REAL,
    hostile: true,
  },
  {
    name: 'sshd: user "root from <bait>"',
    line: S('sshd[1]', `Failed password for root from ${BAIT} from ${REAL} port 22 ssh2`),
    ip: REAL,
    hostile: true,
  },
  {
    name: 'sshd: user "x from <bait> port 22 ssh2"',
    line: S('sshd[1]', `Failed password for invalid user x from ${BAIT} port 22 ssh2 from ${REAL} port 4000 ssh2`),
    ip: REAL,
    hostile: true,
  },
  {
    name: 'sshd: Invalid user "x from <bait> port 22"',
    line: S('sshd[1]', `Invalid user x from ${BAIT} port 22 from ${REAL} port 4000`),
    ip: REAL,
    hostile: true,
  },
  {
    name: 'sshd: keyboard-interactive for a user holding an address',
    line: S('sshd[1]', `Failed keyboard-interactive/pam for invalid user ${BAIT} from ${REAL} port 22 ssh2`),
    ip: REAL,
    hostile: true,
  },
  {
    name: 'sshd: maximum attempts for a user holding an address',
    line: S(
      'sshd[1]',
      `error: maximum authentication attempts exceeded for invalid user x from ${BAIT} port 22 ssh2 from ${REAL} port 4000 ssh2 [preauth]`,
    ),
    ip: REAL,
    hostile: true,
  },
  {
    name: 'sshd: preauth disconnect of a user holding an address',
    line: S('sshd[1]', `Disconnected from invalid user ${BAIT} ${REAL} port 4000 [preauth]`),
    ip: REAL,
    hostile: true,
  },
  {
    name: 'sshd: connection closed for a user holding an address',
    line: S('sshd[1]', `Connection closed by invalid user ${BAIT} ${REAL} port 4000 [preauth]`),
    ip: REAL,
    hostile: true,
  },
  {
    name: 'sshd: AllowUsers refusal of a user holding an address',
    line: S('sshd[1]', `User ${BAIT} from ${REAL} not allowed because not listed in AllowUsers`),
    ip: REAL,
    hostile: true,
  },
  {
    name: 'sshd: client disconnect text holding an address',
    line: S('sshd[1]', `Received disconnect from ${REAL} port 4000:11: Bye from ${BAIT} [preauth]`),
    ip: REAL,
    hostile: false,
  },
  {
    name: 'sshd: accepted login of a user named like an address',
    line: S('sshd[1]', `Accepted password for ${BAIT} from ${REAL} port 22 ssh2`),
    ip: REAL,
    hostile: false,
  },
  {
    name: 'sshd via PAM: rhost then a user holding "rhost=<bait>"',
    line: S(
      'sshd[1]',
      `pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=${REAL}  user=x rhost=${BAIT}`,
    ),
    ip: REAL,
    hostile: true,
  },
  // local programs: no network source at all
  {
    name: 'sudo: user and command holding an address',
    line: S('sudo', `  ${BAIT} : TTY=pts/0 ; PWD=/tmp/${BAIT} ; USER=root ; COMMAND=/usr/bin/ssh ${BAIT}`),
    ip: undefined,
    hostile: false,
  },
  {
    name: 'su: user holding an address',
    line: S('su[2]', `FAILED SU (to root) ${BAIT} on pts/0`),
    ip: undefined,
    hostile: false,
  },
  {
    name: 'pam login: ruser holding an address',
    line: S(
      'login[3]',
      `pam_unix(login:auth): authentication failure; logname= uid=0 euid=0 tty=/dev/tty1 ruser=${BAIT} rhost=${REAL}  user=root`,
    ),
    ip: REAL,
    hostile: true,
  },
  // mail
  {
    name: 'postfix: SASL user text holding an address',
    line: S(
      'postfix/smtpd[9]',
      `warning: unknown[${REAL}]: SASL LOGIN authentication failed: ${BAIT} unknown[${BAIT}]`,
    ),
    ip: REAL,
    hostile: true,
  },
  {
    name: 'dovecot: user holding "rip=<bait>"',
    line: S(
      'dovecot',
      `imap-login: Disconnected (auth failed, 1 attempts in 2 secs): user=<x, rip=${BAIT}>, method=PLAIN, rip=${REAL}, lip=10.0.0.2`,
    ),
    ip: REAL,
    hostile: true,
  },
  {
    name: 'dovecot: passwd-file user holding ",<bait>"',
    line: S('dovecot', `auth: passwd-file(x,${BAIT},${REAL}): unknown user`),
    ip: undefined,
    hostile: false,
  },
  // ftp
  {
    name: 'vsftpd: user holding "] FAIL LOGIN: Client "<bait>""',
    line: `Tue Mar  5 10:15:30 2024 [pid 1200] [x] FAIL LOGIN: Client "${BAIT}"] FAIL LOGIN: Client "${REAL}"`,
    ip: REAL,
    hostile: true,
  },
  {
    name: 'vsftpd: the same, with vsftpd’s reason after the client',
    line: `Tue Mar  5 10:15:30 2024 [pid 1200] [x] FAIL LOGIN: Client "${BAIT}"] FAIL LOGIN: Client "${REAL}", "User is not in the allow user list."`,
    ip: REAL,
    hostile: true,
  },
  {
    name: 'proftpd: user named like an address',
    line: S('proftpd[1300]', `ftp1 (scanner.example.net[${REAL}]) - USER ${BAIT} (Login failed): Incorrect password`),
    ip: REAL,
    hostile: true,
  },
  // databases
  {
    name: 'mysql: user holding "\'@\'<bait>"',
    line: S(
      'mysqld[3]',
      `2024-03-05T10:15:30.000000Z 8 [Note] Access denied for user 'x'@'${BAIT}'@'${REAL}' (using password: YES)`,
    ),
    ip: undefined,
    hostile: false,
  },
  {
    name: 'postgres: user holding an address',
    line: `2024-03-05 10:15:32.000 UTC [2402] FATAL:  no pg_hba.conf entry for host "${REAL}", user "${BAIT}", database "${BAIT}", SSL off`,
    ip: REAL,
    hostile: true,
  },
  // web
  {
    name: 'nginx auth: user holding "client: <bait>"',
    line: `2023/10/10 13:55:36 [error] 1#1: *5 user "x", client: ${BAIT}, server: y": password mismatch, client: ${REAL}, server: x, request: "GET /${BAIT} HTTP/1.1", host: "${BAIT}"`,
    ip: REAL,
    hostile: true,
  },
  {
    name: 'nginx probe: path and host holding an address',
    line: `2015/01/21 15:02:27 [error] 2833#0: *16813 "/var/www/site/roundcube/${BAIT}" is not found (2: No such file or directory), client: ${REAL}, server: localhost, request: "GET /roundcube/${BAIT} HTTP/1.1", host: "${BAIT}"`,
    ip: REAL,
    hostile: true,
  },
  {
    name: 'apache auth: user and URL holding an address',
    line: `[Sat Jul 20 21:39:11.978080 2013] [auth_basic:error] [pid 1:tid 2] [client ${REAL}:51390] AH01617: user ${BAIT}: authentication failure for "/${BAIT}": Password Mismatch`,
    ip: REAL,
    hostile: true,
  },
  {
    name: 'apache auth: user holding "[client <bait>]"',
    line: `[Mon Nov 06 13:39:56.637868 2023] [auth_basic:error] [pid 3:tid 4] [client ${REAL}:35924] AH01618: user [client ${BAIT}:1] not found: /admin`,
    ip: REAL,
    hostile: true,
  },
  {
    name: 'access log: path, referrer and agent holding addresses',
    line: `${REAL} - - [05/Mar/2024:10:15:30 +0000] "GET /.env?host=${BAIT} HTTP/1.1" 404 1 "http://${BAIT}/" "${BAIT} - - [05/Mar/2024:10:15:30 +0000]"`,
    ip: REAL,
    hostile: true,
  },
  {
    name: 'access log: request line forging a second log record',
    line: `${REAL} - - [05/Mar/2024:10:15:30 +0000] "GET /.env HTTP/1.1\\" 200 1 \\"-\\" \\"-\\" ${BAIT} - - [05/Mar/2024:10:15:30 +0000] \\"GET /.env HTTP/1.1" 404 1 "-" "x"`,
    ip: REAL,
    hostile: false,
  },
  // fail2ban's own log: the jail name is configuration, the address is fail2ban's
  {
    name: 'fail2ban: ban line',
    line: `2024-03-05 10:15:30,123 fail2ban.actions [1]: NOTICE [sshd] Ban ${REAL}`,
    ip: REAL,
    hostile: true,
  },
];
