/**
 * fail2ban's own annotated sample logs, as Debian's fail2ban package ships
 * them (fail2ban/tests/files/logs; .ci/run installs the package): for every
 * service we recognise beyond the shared corpora, each line fail2ban's filter
 * must match is hostile to us with the same address, and each it must not
 * match is not.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Comparison, compare } from './agreement';
import { haveCorpora } from '../helpers/corpora';

/** Where Debian's package puts them; elsewhere, where the Python that fail2ban runs on finds them. */
const DEBIAN_LOGS = '/usr/lib/python3/dist-packages/fail2ban/tests/files/logs';

/** Where the installed package keeps its sample logs, or undefined. */
function packageLogs(): string | undefined {
  if (existsSync(DEBIAN_LOGS)) return DEBIAN_LOGS;
  for (const python of ['/usr/bin/python3', 'python3']) {
    try {
      const tests = execFileSync(python, ['-c', 'import os, fail2ban.tests as t; print(os.path.dirname(t.__file__))'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim();
      const logs = join(tests, 'files', 'logs');
      if (existsSync(logs)) return logs;
    } catch {
      // not this interpreter
    }
  }
  return undefined;
}

/** Sample file: the services it holds. */
const FILES: readonly (readonly [string, string])[] = [
  ['sshd-journal', "sshd's lines as the journal gives them (no date)"],
  ['dovecot', 'dovecot login processes and passdb lookups, syslog, its own log and multilog (TAI64N)'],
  ['postfix', 'postfix smtpd and postscreen: rejects, SASL, protocol violations'],
  ['exim', "Exim's mainlog and syslog: failed AUTH, refused senders and recipients, protocol abuse"],
  ['proftpd', 'proftpd under syslog and its own SystemLog'],
  ['vsftpd', 'vsftpd and its PAM lines'],
  ['mysqld-auth', 'MySQL and MariaDB error logs, 5.1 to 8.0'],
  ['mongodb-auth', "mongod 2.x's failures, joined to their connection's client"],
  ['pam-generic', 'pam_unix in every spelling, rhost injection'],
  ['selinux-ssh', 'auditd records of sshd'],
  ['dropbear', 'Dropbear SSH'],
  ['nginx-limit-req', 'nginx limit_req rejections'],
  ['lighttpd-auth', "lighttpd's failed basic and digest logins"],
  ['haproxy-http-auth', "HAProxy's HTTP log read like an access log"],
  ['grafana', "Grafana's failed logins (logfmt)"],
  ['traefik-auth', 'access-log 401s: a named user is a failed login, a bare challenge is not'],
  ['nginx-bad-request', 'nginx 400s for what is no HTTP request'],
  ['apache-noscript', 'Apache and PHP-FPM scripts that do not exist'],
  ['apache-botsearch', 'Apache 404s for exploit paths'],
  ['apache-nohome', 'Apache user-directory guesses'],
  ['apache-overflows', 'Apache requests no HTTP client sends'],
  ['apache-modsecurity', 'ModSecurity hits'],
  ['apache-shellshock', 'Shellshock attempts'],
  ['recidive', "fail2ban's own bans, in its log and through syslog"],
  ['cyrus-imap', 'Cyrus IMAP/POP3 bad logins'],
  ['courier-auth', 'Courier IMAP/POP3 failed logins'],
  ['courier-smtp', 'Courier ESMTP: failed AUTH, unknown recipients'],
  ['xinetd-fail', 'xinetd refusals'],
  ['pure-ftpd', 'Pure-FTPd failed logins'],
  ['webmin-auth', 'Webmin failed logins'],
  ['sendmail-auth', 'sendmail AUTH failures and AUTH floods'],
  ['sendmail-reject', 'sendmail rulesets, user probes, unknown recipients joined to their client'],
  ['named-refused', "BIND's refused queries, transfers and updates, in syslog and its own channel files"],
];

/** Files that test a filter of another name. */
const FILTER_OF: Readonly<Record<string, string>> = { 'sshd-journal': 'sshd' };

/**
 * Disagreements and why: lines one fail2ban filter must not match that another
 * matches (we are one net, the union of fail2ban's filters), and addresses we
 * write canonically. Keyed `file:line`.
 */
const JUSTIFIED: Readonly<Record<string, string>> = {
  'apache-botsearch:40': 'a PHP script that does not exist: apache-noscript matches it',
  'apache-botsearch:43': 'client denied by server configuration: apache-auth matches it',
  'recidive:8':
    "the recidive jail's own ban: fail2ban's recidive filter skips it so as not to ban on its own bans; to us it is a ban like any other",
  'traefik-auth:9':
    "fail2ban's traefik ddos mode watches only 401s without a user; our ddos mode is the default's failed logins and more",
  'traefik-auth:23':
    'a 401 without a user is the challenge every browser meets before it sends credentials: fail2ban counts it in its opt-in ddos mode, we never do (it would blacklist an office behind one address)',
  'haproxy-http-auth:4':
    'a 401 HAProxy answered itself (`<NOSRV>`) without a user: the challenge before credentials, or wrong ones; HAProxy does not say which, and we count only failures that name a user',
  'haproxy-http-auth:6':
    'a 401 HAProxy answered itself (`<NOSRV>`) without a user: the challenge before credentials, or wrong ones; HAProxy does not say which, and we count only failures that name a user',
  'haproxy-http-auth:8':
    'a 401 HAProxy answered itself (`<NOSRV>`) without a user: the challenge before credentials, or wrong ones; HAProxy does not say which, and we count only failures that name a user',
  'sendmail-reject:114':
    'the same address: we write IPv6 in lower case (RFC 5952), fail2ban as the log does (`2001:DB8::1`)',
};

const logs = haveCorpora ? packageLogs() : undefined;

if (logs === undefined) {
  describe("fail2ban's packaged sample logs", () => {
    it('needs python3 with the fail2ban package and the shared corpora (failjson.py); absent here', () => {
      console.warn("skipped: fail2ban's packaged sample logs need `apt-get install fail2ban` and ../shared/corpora");
    });
  });
} else {
  describe("fail2ban's packaged sample logs", () => {
    const byFile = new Map<string, Comparison[]>();

    beforeAll(() => {
      for (const [file] of FILES) byFile.set(file, compare(file, join(logs, file), FILTER_OF[file]));
      if (process.env.LOGSLEUTH_WRITE_AGREEMENT === '1') {
        writeFileSync(join(__dirname, '..', '..', 'docs', 'fail2ban-package-agreement.md'), report(byFile));
      }
    });

    it.each(FILES)('agrees on every annotated line of %s (%s), or the difference is explained', (file) => {
      const comparisons = byFile.get(file)!;
      expect(comparisons.length).toBeGreaterThan(0);
      const disagreements = comparisons
        .filter((c) => !c.agrees && !JUSTIFIED[`${file}:${c.lineno}`])
        .map(
          (c) =>
            `${c.lineno} (${c.mode}) expected ${JSON.stringify(c.expected)} got ${JSON.stringify(c.got)}: ${c.line}`,
        );
      expect(disagreements).toEqual([]);
    });
  });
}

/** docs/fail2ban-package-agreement.md. */
function report(byFile: ReadonlyMap<string, Comparison[]>): string {
  const out = [
    "# Agreement with fail2ban's packaged sample logs",
    '',
    '_Generated by `LOGSLEUTH_WRITE_AGREEMENT=1 npx jest test/logs/fail2ban-package.test.ts`; the test fails on any',
    'disagreement not listed below._',
    '',
    "The sample logs Debian's `fail2ban` package ships (`fail2ban/tests/files/logs`) for the services",
    '[fail2ban-agreement.md](fail2ban-agreement.md) does not cover, compared the same way. Filters narrower than',
    "fail2ban's default mode (postfix's `auth`, `rbl`, `errors`) only say which lines must match: their",
    'non-matches are not compared.',
    '',
    '| file | what it holds | comparisons (line × mode) | agree |',
    '|---|---|---:|---:|',
  ];
  let total = 0;
  let agree = 0;
  for (const [file, what] of FILES) {
    const comparisons = byFile.get(file)!;
    const agreeing = comparisons.filter((c) => c.agrees).length;
    total += comparisons.length;
    agree += agreeing;
    out.push(`| ${file} | ${what} | ${comparisons.length} | ${agreeing} |`);
  }
  out.push(`| **all** | | **${total}** | **${agree}** |`, '', '## Disagreements', '');
  const bad = [...byFile.entries()].flatMap(([file, cs]) => cs.filter((c) => !c.agrees).map((c) => ({ file, c })));
  if (bad.length === 0) out.push('None.');
  for (const { file, c } of bad) {
    out.push(`- \`${file}:${c.lineno}\` (${c.mode}): ${JUSTIFIED[`${file}:${c.lineno}`] ?? 'unexplained'}.`);
  }
  return out.join('\n') + '\n';
}
