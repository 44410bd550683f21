import { recogniserCases } from './cases';

const S = (program: string, message: string) => `Mar  5 10:15:30 host ${program}: ${message}`;

recogniserCases('nginx error log (basic auth, TLS garbage, probes)', {
  matches: [
    {
      line: '2023/10/10 13:55:36 [error] 1#1: *5 user "a b": password mismatch, client: 203.0.113.5, server: x, request: "GET / HTTP/1.1", host: "x"',
      expect: { action: 'http.auth_failure', hostile: true, ip: '203.0.113.5', user: 'a b' },
    },
    {
      line: '2023/10/10 13:55:36 [error] 1#1: *5 user "t": password mismatch, client: 127.0.0.1, server: t, request: "GET / HTTP/1.1", host: "h"": was not found in "/etc/nginx/.htpasswd", client: 192.0.2.2, server: , request: "GET / HTTP/1.1", host: "h"',
      expect: { hostile: true, ip: '192.0.2.2' },
    },
    {
      line: '2020/11/25 14:42:16 [crit] 76952#76952: *2454307 SSL_do_handshake() failed (SSL: error:1408F0C6:SSL routines:ssl3_get_record:packet length too long) while SSL handshaking, client: 142.93.180.14, server: 0.0.0.0:443',
      expect: { action: 'conn.tls_failure', hostile: true, ip: '142.93.180.14' },
    },
    {
      line: S(
        'nginx[2833]',
        '2015/01/21 15:02:27 [error] 2833#0: *16813 "/var/www/site/roundcube/" is not found (2: No such file or directory), client: 5.7.9.2, server: localhost, request: "GET /roundcube/ HTTP/1.1", host: "1.2.3.4"',
      ),
      expect: { service: 'nginx', action: 'http.probe', hostile: true, ip: '5.7.9.2' },
    },
  ],
  misses: [
    {
      line: '2020/11/25 14:42:16 [crit] 1#1: *2 SSL_do_handshake() failed (SSL: error:1408F0C6:x) while SSL handshaking, client: 142.93.180.14, server: 0.0.0.0:443',
      mode: 'normal',
      action: 'conn.tls_failure',
    },
    {
      line: '2023/10/10 13:56:00 [error] 1#1: *7 open() "/srv/favicon.ico" failed (2: No such file or directory), client: 192.0.2.20, server: x, request: "GET /favicon.ico HTTP/1.1", host: "x"',
      action: 'http.not_found',
    },
    '2020/11/25 16:02:45 [error] 1#1: *5 connect() failed (111: Connection refused) while connecting to upstream, client: 5.126.32.148, server: x, request: "GET / HTTP/2.0", upstream: "http://127.0.0.1:3000/", host: "x"',
  ],
});

recogniserCases('Apache error log (auth and access control)', {
  matches: [
    {
      line: '[Sat Jul 20 21:39:11.978080 2013] [auth_basic:error] [pid 1:tid 2] [client 127.0.0.1:51390] AH01617: user username: authentication failure for "/basic/file": Password Mismatch',
      expect: { action: 'http.auth_failure', hostile: true, ip: '127.0.0.1', port: 51390, user: 'username' },
    },
    {
      line: '[Sat Jul 20 22:11:44.147674 2013] [authz_owner:error] [pid 1:tid 2] [client [2001:db8::80da:af6b:8b2c]:51548] AH01637: Authorization of user test-ipv6 to access /x failed, reason: file owner dan does not match',
      expect: { hostile: true, ip: '2001:db8::80da:af6b:8b2c', port: 51548, user: 'test-ipv6' },
    },
    {
      line: S(
        'httpd[22034]',
        '[authz_core:error] [pid 22034] [client 192.0.2.1:58585] AH01630: client denied by server configuration: /home/www/',
      ),
      expect: { service: 'apache', action: 'http.denied', hostile: true, ip: '192.0.2.1' },
    },
    {
      // `ErrorLog "|/usr/bin/logger -t apache2"`: the whole line, date included, inside the syslog message.
      line: S(
        'apache2[55]',
        '[Sun Nov 22 06:01:16.123456 2026] [auth_basic:error] [pid 55] [client 203.0.113.12:5555] AH01618: user admin not found: /admin',
      ),
      expect: { service: 'apache', action: 'http.auth_failure', hostile: true, ip: '203.0.113.12', user: 'admin' },
    },
    {
      line: '[Mon Nov 06 13:39:56.637868 2023] [auth_basic:error] [pid 3:tid 4] [remote 192.0.2.111:35924] AH01618: user whatever not found: /admin',
      expect: { hostile: true, ip: '192.0.2.111', user: 'whatever' },
    },
  ],
  misses: [
    {
      // a 404 whose path holds a forged `user root not found`: a plain not-found, counted against nobody
      line: '[Sat Jun 01 02:17:42 2013] [error] [client 192.168.33.1] File does not exist: /srv/http/site/[client 192.168.0.1] user root not found',
      action: 'http.not_found',
    },
    '[Sun Jul 28 21:16:37 2013] [error] [client 127.0.0.1] Digest: invalid nonce l19lg received - hash is not 6fda8b',
    // A bracketed date with no body after it is no error line.
    S('apache2[55]', '[Sun Nov 22 06:01:16.123456 2026]AH01618: user admin not found: /admin'),
    {
      line: '[Thu Oct 17 18:43:40.160521 2019] [evasive20:error] [pid 22589] [client 192.0.2.1:56175] client denied by server configuration: /path/index.php',
      mode: 'normal',
      action: 'http.denied',
    },
  ],
});

recogniserCases('mail: postfix SASL and dovecot', {
  matches: [
    {
      line: S('postfix/submission/smtpd[999]', 'warning: unknown[198.51.100.61]: SASL PLAIN authentication failed: '),
      expect: { service: 'postfix', action: 'auth.failure', hostile: true, ip: '198.51.100.61' },
    },
    {
      line: S(
        'postfix/smtpd[999]',
        'NOQUEUE: reject: RCPT from unknown[198.51.100.64]: 554 5.7.1 <x@y>: Relay access denied; from=<a@b> to=<x@y> proto=ESMTP helo=<z>',
      ),
      expect: { action: 'mail.relay_denied', hostile: true, ip: '198.51.100.64' },
    },
    {
      line: S(
        'dovecot',
        'pop3-login: Aborted login (auth failed, 3 attempts in 12 secs): user=<eve>, method=PLAIN, rip=2001:db8::9, lip=2001:db8::1',
      ),
      expect: { action: 'auth.failure', hostile: true, ip: '2001:db8::9', user: 'eve' },
    },
    {
      line: S('dovecot', 'auth: passwd-file(dan,198.51.100.65): unknown user'),
      expect: { hostile: true, ip: '198.51.100.65', user: 'dan' },
    },
  ],
  misses: [
    S('postfix/smtpd[999]', 'connect from unknown[198.51.100.61]'),
    S('dovecot', 'imap-login: Login: user=<bob>, method=PLAIN, rip=198.51.100.62, lip=10.0.0.2'),
    {
      line: S('postfix/smtpd[999]', 'lost connection after AUTH from unknown[198.51.100.61]'),
      mode: 'normal',
      action: 'auth.preauth_disconnect',
    },
  ],
});

recogniserCases('ftp: vsftpd and proftpd', {
  matches: [
    {
      line: 'Tue Mar  5 10:15:30 2024 [pid 1200] [alice] FAIL LOGIN: Client "::ffff:203.0.113.70"',
      expect: {
        format: 'raw',
        service: 'vsftpd',
        action: 'auth.failure',
        hostile: true,
        ip: '203.0.113.70',
        user: 'alice',
      },
    },
    {
      line: S('proftpd[1300]', 'ftp1 (scanner.example.net[203.0.113.72]) - Maximum login attempts (3) exceeded'),
      expect: { hostile: true, ip: '203.0.113.72' },
    },
  ],
  misses: [{ line: S('vsftpd[1]', '[bob] OK LOGIN: Client "198.51.100.71"'), action: 'auth.success' }],
});

recogniserCases('sudo, su and pam_unix', {
  matches: [
    {
      line: S('sudo', '   bob : user NOT in sudoers ; TTY=pts/2 ; PWD=/home/bob ; USER=root ; COMMAND=/bin/sh'),
      expect: { action: 'sudo.failure', outcome: 'failure', hostile: false, user: 'bob' },
    },
    {
      line: S('sudo', 'alice : TTY=pts/0 ; PWD=/ ; USER=root ; COMMAND=/usr/bin/id'),
      expect: { action: 'sudo.command', outcome: 'success', user: 'alice' },
    },
    {
      line: S('su[4500]', '(to root) alice on pts/0'),
      expect: { service: 'su', action: 'session.open', user: 'alice' },
    },
    {
      line: S(
        'sudo',
        'pam_unix(sudo:auth): authentication failure; logname=alice uid=1000 euid=0 tty=/dev/pts/0 ruser=alice rhost=  user=alice',
      ),
      expect: { action: 'auth.failure', hostile: false, user: 'alice', ip: undefined },
    },
    {
      line: S(
        'login[77]',
        'pam_unix(login:auth): authentication failure; logname= uid=0 euid=0 tty=/dev/tty1 ruser= rhost=203.0.113.80  user=root',
      ),
      expect: { action: 'auth.failure', hostile: true, ip: '203.0.113.80', user: 'root' },
    },
  ],
  misses: [S('CRON[4200]', 'pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)')].map((line) => ({
    line,
    action: 'session.open',
  })),
});

recogniserCases('kernel and disks', {
  matches: [
    {
      line: S('kernel', '[ 12.3] Memory cgroup out of memory: Killed process 4242 (node) total-vm:1kB'),
      expect: { action: 'oom.kill', hostile: false },
    },
    {
      line: S('kernel', 'Out of memory: Kill process 1234 (mysqld) score 900 or sacrifice child'),
      expect: { action: 'oom.kill' },
    },
    {
      line: S('postgres[2]', 'could not write to file "base/1/2": No space left on device'),
      expect: { action: 'disk.full', outcome: 'failure' },
    },
    {
      line: S(
        'kernel',
        '[1175018.432370] [UFW BLOCK] IN=eth0 OUT= MAC=52:54:00:12:34:56:52:54:00:65:43:21:08:00 SRC=77.191.57.54 DST=203.0.113.7 LEN=44 TOS=0x00 PREC=0x00 TTL=147 ID=34642 PROTO=TCP SPT=7171 DPT=8080 WINDOW=1024 RES=0x00 SYN URGP=0',
      ),
      expect: {
        service: 'kernel',
        action: 'conn.blocked',
        outcome: 'failure',
        hostile: false,
        ip: '77.191.57.54',
        port: 7171,
      },
    },
    {
      line: S(
        'kernel',
        '[UFW ALLOW] IN=eth0 OUT= SRC=198.51.100.4 DST=203.0.113.7 LEN=60 TOS=0x00 PREC=0x00 TTL=52 ID=7 DF PROTO=TCP SPT=51000 DPT=443 WINDOW=64240 RES=0x00 SYN URGP=0',
      ),
      expect: { action: 'conn.allowed', outcome: 'success', ip: '198.51.100.4' },
    },
  ],
  misses: [
    S('kernel', '[ 1.0] EXT4-fs (sda1): mounted filesystem with ordered data mode'),
    {
      line: '203.0.113.5 - - [05/Mar/2024:10:15:30 +0000] "GET /No space left on device HTTP/1.1" 404 0 "-" "x"',
      action: 'http.request',
    },
    {
      line: '203.0.113.5 - - [05/Mar/2024:10:15:30 +0000] "GET /pam_unix(sshd:auth):authentication failure; rhost=1.2.3.4 HTTP/1.1" 404 0 "-" "x"',
      action: 'http.request',
    },
  ],
});

recogniserCases('databases', {
  matches: [
    {
      line: S(
        'mysqld[3]',
        "2024-03-05T10:15:30.000000Z 8 [Note] Access denied for user 'root'@'203.0.113.90' (using password: YES)",
      ),
      expect: { service: 'mysql', action: 'auth.failure', hostile: true, ip: '203.0.113.90', user: 'root' },
    },
    {
      line: '2024-03-05 10:15:32.000 UTC [2402] FATAL:  no pg_hba.conf entry for host "203.0.113.91", user "x", database "y", SSL off',
      expect: { action: 'auth.failure', hostile: true, ip: '203.0.113.91', user: 'x' },
    },
  ],
  misses: [
    {
      line: '2024-03-05 10:15:32.000 UTC [2402] FATAL:  password authentication failed for user "app"',
      action: 'auth.failure',
    },
  ],
});

const SMTPD = 'postfix/smtpd[999]';

recogniserCases('postfix: rejects, protocol violations, postscreen', {
  matches: [
    {
      line: S(
        SMTPD,
        'NOQUEUE: reject: RCPT from unknown[203.0.113.20]: 450 4.7.25 Client host rejected: cannot find your hostname, [203.0.113.20]; from=<a@b> to=<c@d> proto=ESMTP helo=<x>',
      ),
      expect: { action: 'mail.rejected', outcome: 'failure', hostile: true, ip: '203.0.113.20' },
    },
    {
      line: S(
        'postfix-in/smtpd[9]',
        '1D8CC1CA0A7F: milter-reject: END-OF-MESSAGE from m.example[203.0.113.21]: 550 5.7.1 Command rejected; from=<a@b> to=<c@d>',
      ),
      expect: { service: 'postfix', action: 'mail.rejected', hostile: true, ip: '203.0.113.21' },
    },
    {
      line: S(SMTPD, 'improper command pipelining after EHLO from unknown[203.0.113.22]: QUIT'),
      expect: { action: 'mail.protocol_violation', hostile: true, ip: '203.0.113.22' },
    },
    {
      line: S('postfix/postscreen[7]', 'PREGREET 14 after 0.08 from [203.0.113.23]:59415: EHLO ylmf-pc\\r\\n'),
      expect: { action: 'mail.protocol_violation', hostile: true, ip: '203.0.113.23', port: 59415 },
    },
    {
      line: S(SMTPD, 'warning: unknown[203.0.113.24]:55729: SASL LOGIN authentication failed: authentication failure'),
      expect: { action: 'auth.failure', hostile: true, ip: '203.0.113.24', port: 55729 },
    },
    {
      line: S(SMTPD, 'disconnect from unknown[203.0.113.25] ehlo=1 auth=0/1 rset=1 quit=1 commands=3/4'),
      expect: { action: 'auth.preauth_disconnect', hostile: true, ip: '203.0.113.25' },
    },
  ],
  misses: [
    {
      // greylisting defers a message; the client did nothing wrong
      line: S(
        SMTPD,
        'NOQUEUE: reject: RCPT from mx.example[203.0.113.30]: 450 4.2.0 <c@d>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/; from=<a@b> to=<c@d> proto=ESMTP helo=<mx.example>',
      ),
      action: 'mail.rejected',
    },
    {
      line: S(SMTPD, 'lost connection after DATA (0 bytes) from mx.example[203.0.113.31]'),
      action: 'conn.reset',
    },
    {
      line: S(
        SMTPD,
        'warning: unknown[203.0.113.32]: SASL LOGIN authentication failed: Connection lost to authentication server',
      ),
      action: 'auth.failure',
    },
    { line: S(SMTPD, 'disconnect from unknown[203.0.113.33] ehlo=1 auth=1 quit=1 commands=3'), mode: 'ddos' },
    {
      line: S(SMTPD, 'lost connection after CONNECT from unknown[203.0.113.34]'),
      mode: 'normal',
      action: 'auth.preauth_disconnect',
    },
  ],
});

recogniserCases('dovecot: login processes and passdb lookups', {
  matches: [
    {
      line: S(
        'dovecot',
        'imap-login: Disconnected: Connection closed: read(size=1003) failed: Connection reset by peer (auth failed, 1 attempts in 0 secs): user=<bob>, rip=203.0.113.40, lip=10.0.0.1, TLS',
      ),
      expect: { service: 'dovecot', action: 'auth.failure', hostile: true, ip: '203.0.113.40', user: 'bob' },
    },
    {
      line: S(
        'auth-worker(80180)',
        'Info: conn unix:auth-worker (uid=143): auth-worker<13247>: sql(support,203.0.113.41,<Yx7+W8>): Password mismatch',
      ),
      expect: { service: 'dovecot', action: 'auth.failure', hostile: true, ip: '203.0.113.41', user: 'support' },
    },
    {
      line: '2024-03-05 10:15:30 auth: Info: ldap(dog,203.0.113.42,): invalid credentials',
      expect: { service: 'dovecot', action: 'auth.failure', hostile: true, ip: '203.0.113.42', user: 'dog' },
    },
    {
      line: S(
        'dovecot',
        'pop3-login: Disconnected (no auth attempts in 0 secs): user=<>, rip=203.0.113.43, lip=10.0.0.1',
      ),
      expect: { action: 'auth.preauth_disconnect', hostile: true, ip: '203.0.113.43' },
    },
  ],
  misses: [
    {
      line: S(
        'dovecot',
        'pop3-login: Disconnected (no auth attempts in 0 secs): user=<>, rip=203.0.113.44, lip=10.0.0.1',
      ),
      mode: 'normal',
      action: 'auth.preauth_disconnect',
    },
    S('auth', 'not dovecot: sql(a,203.0.113.45): unknown user'),
  ],
});

recogniserCases('dropbear and PAM in every spelling', {
  matches: [
    {
      line: S('dropbear[4092]', "Bad password attempt for 'root' from 203.0.113.50:5543"),
      expect: {
        service: 'dropbear',
        action: 'auth.failure',
        hostile: true,
        ip: '203.0.113.50',
        port: 5543,
        user: 'root',
      },
    },
    {
      line: S('dropbear[1252]', 'Login attempt for nonexistent user from ::ffff:203.0.113.51:60495'),
      expect: { action: 'auth.invalid_user', hostile: true, ip: '203.0.113.51', port: 60495 },
    },
    {
      line: S(
        'dropbear[1335]',
        "Exit before auth (user 'root', 10 fails): Max auth tries reached - user 'root' from 2001:db8::5:22",
      ),
      expect: { action: 'auth.max_attempts', hostile: true, ip: '2001:db8::5', port: 22, user: 'root' },
    },
    {
      line: S(
        'proftpd',
        '(pam_unix) authentication failure; logname= uid=0 euid=0 tty= ruser= rhost=203.0.113.52  user=mark',
      ),
      expect: { action: 'auth.failure', hostile: true, ip: '203.0.113.52', user: 'mark' },
    },
    {
      // a user name holding ` rhost=`: PAM's own rhost is the one before `user=`
      line: S(
        'login',
        'pam_sss(login:auth): authentication failure; logname= uid=0 euid=0 tty=x ruser= rhost=203.0.113.53 user=t rhost=192.0.2.1',
      ),
      expect: { ip: '203.0.113.53', user: 't rhost=192.0.2.1' },
    },
  ],
  misses: [
    {
      line: S('dropbear[1]', "Password auth succeeded for 'alice' from 203.0.113.54:5000"),
      action: 'auth.success',
    },
  ],
});

recogniserCases('web: rate limits, bad requests, WAF and Shellshock', {
  matches: [
    {
      line: '2024/03/05 10:15:30 [error] 9#9: *1 limiting requests, excess: 20.5 by zone "login", client: 203.0.113.70, server: s, request: "POST /login HTTP/1.1", host: "h"',
      expect: { service: 'nginx', action: 'http.rate_limited', hostile: true, ip: '203.0.113.70' },
    },
    {
      line: '203.0.113.71 - - [05/Mar/2024:10:15:30 +0000] "\\x16\\x03\\x01\\x02\\x00\\x01" 400 157 "-" "-"',
      expect: { action: 'http.bad_request', hostile: true, ip: '203.0.113.71' },
    },
    {
      line: '203.0.113.72 - - [05/Mar/2024:10:15:30 +0000] "CONNECT www.example.com:443 HTTP/1.1" 400 157 "-" "-"',
      expect: { action: 'http.bad_request', hostile: true, ip: '203.0.113.72' },
    },
    {
      line: '[Tue Mar 05 10:15:30.123456 2024] [:error] [pid 1] [client 203.0.113.73:5000] [client 203.0.113.73] ModSecurity: Access denied with code 403 (phase 2). [id "942100"] [msg "SQL Injection Attack Detected via libinjection"]',
      expect: { service: 'apache', action: 'http.waf_block', hostile: true, ip: '203.0.113.73' },
    },
    {
      line: '[Tue Mar 05 10:15:30.123456 2024] [cgi:error] [pid 1] [client 203.0.113.74:5000] AH01215: /bin/bash: warning: HTTP_USER_AGENT: ignoring function definition attempt',
      expect: { action: 'http.exploit', hostile: true, ip: '203.0.113.74' },
    },
    {
      line: '[Tue Mar 05 10:15:30.123456 2024] [core:error] [pid 1] [client 203.0.113.75:5000] AH00126: Invalid URI in request GET /../../etc/passwd HTTP/1.1',
      expect: { action: 'http.protocol_error', hostile: true, ip: '203.0.113.75' },
    },
  ],
  misses: [
    {
      // an API answering 400 to a well-formed request is validating input
      line: '203.0.113.76 - - [05/Mar/2024:10:15:30 +0000] "POST /api/orders HTTP/1.1" 400 57 "-" "curl/8.5.0"',
      action: 'http.request',
    },
    {
      line: '2024/03/05 10:15:30 [error] 9#9: *1 limiting connections by zone "perip", client: 203.0.113.77, server: s, request: "GET / HTTP/1.1", host: "h"',
      mode: 'normal',
      action: 'http.rate_limited',
    },
    {
      line: '[Tue Mar 05 10:15:30 2024] [error] [client 203.0.113.78] File does not exist: /var/www/html/favicon.ico',
      action: 'http.not_found',
    },
  ],
});

recogniserCases('sendmail: unknown recipients joined to their client by queue id', {
  matches: [
    {
      context: [S('sm-mta[26254]', 'rA37ZTSC026254: <nobody@example.com>... No such user here')],
      line: S(
        'sm-mta[26254]',
        'rA37ZTSC026254: from=<x@spam.example>, size=0, class=0, nrcpts=0, proto=ESMTP, daemon=MTA, relay=dsl.example [203.0.113.95]',
      ),
      expect: { service: 'sendmail', action: 'mail.rejected', hostile: true, ip: '203.0.113.95' },
    },
  ],
  misses: [
    {
      // another queue id's unknown recipient says nothing of this client
      context: [S('sm-mta[26254]', 'rA37ZTSC026254: <nobody@example.com>... No such user here')],
      line: S(
        'sm-mta[26254]',
        'rA37ZTSC026255: from=<a@example.org>, size=812, class=0, nrcpts=1, proto=ESMTP, daemon=MTA, relay=mx.example.org [198.51.100.96]',
      ),
    },
  ],
});

recogniserCases('access-log 401s', {
  matches: [
    {
      line: '203.0.113.110 - admin [05/Mar/2024:10:15:30 +0000] "GET /admin/ HTTP/1.1" 401 17 "-" "curl/8.5.0"',
      mode: 'normal',
      expect: { action: 'http.auth_failure', hostile: true, ip: '203.0.113.110', user: 'admin' },
    },
  ],
  misses: [
    {
      // the challenge a browser meets before it sends credentials, in any mode
      line: '203.0.113.112 - - [05/Mar/2024:10:15:30 +0000] "GET /admin/ HTTP/1.1" 401 17 "-" "Mozilla/5.0"',
      action: 'http.request',
    },
  ],
});

recogniserCases("HAProxy's HTTP log", {
  matches: [
    {
      line: S(
        'haproxy[760]',
        '203.0.113.140:58444 [05/Mar/2024:10:15:30.439] www~ app/app1 0/0/1/3/4 404 312 - - ---- 3/3/0/0/0 0/0 "GET /wp-login.php HTTP/1.1"',
      ),
      expect: { service: 'haproxy', action: 'http.probe', hostile: true, ip: '203.0.113.140' },
    },
    {
      line: S(
        'haproxy[760]',
        '2001:db8::1234:58430 [05/Mar/2024:10:15:31.608] www~ www/<NOSRV> -1/-1/-1/-1/0 400 187 - - PR-- 1/1/0/0/0 0/0 "<BADREQ>"',
      ),
      expect: { action: 'http.bad_request', hostile: true, ip: '2001:db8::1234' },
    },
    {
      line: S(
        'haproxy[760]',
        '198.51.100.141:40001 [05/Mar/2024:10:15:32.001] www~ app/app2 0/0/0/12/12 200 5120 - - ---- 2/2/0/0/0 0/0 {shop.example|Mozilla/5.0} "GET /cart HTTP/1.1"',
      ),
      expect: { action: 'http.request', hostile: false, ip: '198.51.100.141' },
    },
  ],
  misses: [
    {
      // HAProxy's own auth challenge: no user, so no failed login
      line: S(
        'haproxy[760]',
        '203.0.113.142:58430 [05/Mar/2024:10:15:33.608] main main/<NOSRV> -1/-1/-1/-1/0 401 248 - - PR-- 0/0/0/0/0 0/0 "GET / HTTP/1.1"',
      ),
      action: 'http.request',
    },
    S('haproxy[760]', 'Proxy www started.'),
  ],
});
