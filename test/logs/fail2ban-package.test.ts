/**
 * fail2ban's own annotated sample logs, as Debian's fail2ban package ships
 * them (fail2ban/tests/files/logs; .ci/run installs the package): for every
 * service we recognise beyond the shared corpora, each line fail2ban's filter
 * must match is hostile to us with the same address, and each it must not
 * match is not.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { compare } from './agreement';
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
  ['dovecot', 'dovecot login processes and passdb lookups, syslog, its own log and multilog (TAI64N)'],
  ['postfix', 'postfix smtpd and postscreen: rejects, SASL, protocol violations'],
  ['proftpd', 'proftpd under syslog and its own SystemLog'],
  ['vsftpd', 'vsftpd and its PAM lines'],
  ['mysqld-auth', 'MySQL and MariaDB error logs, 5.1 to 8.0'],
  ['pam-generic', 'pam_unix in every spelling, rhost injection'],
  ['selinux-ssh', 'auditd records of sshd'],
  ['dropbear', 'Dropbear SSH'],
  ['nginx-limit-req', 'nginx limit_req rejections'],
  ['nginx-bad-request', 'nginx 400s for what is no HTTP request'],
  ['apache-noscript', 'Apache and PHP-FPM scripts that do not exist'],
  ['apache-botsearch', 'Apache 404s for exploit paths'],
  ['apache-nohome', 'Apache user-directory guesses'],
  ['apache-overflows', 'Apache requests no HTTP client sends'],
  ['apache-modsecurity', 'ModSecurity hits'],
  ['apache-shellshock', 'Shellshock attempts'],
];

/**
 * Lines one fail2ban filter must not match that another matches: we are one
 * net, the union of fail2ban's filters. Keyed `file:line`.
 */
const OTHER_FILTER: Readonly<Record<string, string>> = {
  'apache-botsearch:40': 'a PHP script that does not exist: apache-noscript matches it',
  'apache-botsearch:43': 'client denied by server configuration: apache-auth matches it',
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
    it.each(FILES)('agrees on every annotated line of %s (%s), or another filter matches it', (file) => {
      const comparisons = compare(file, join(logs, file));
      expect(comparisons.length).toBeGreaterThan(0);
      const disagreements = comparisons
        .filter((c) => !c.agrees && !OTHER_FILTER[`${file}:${c.lineno}`])
        .map(
          (c) =>
            `${c.lineno} (${c.mode}) expected ${JSON.stringify(c.expected)} got ${JSON.stringify(c.got)}: ${c.line}`,
        );
      expect(disagreements).toEqual([]);
    });
  });
}
