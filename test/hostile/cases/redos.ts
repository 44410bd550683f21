/**
 * Lines built to blow up backtracking regex engines, each about 1 MB, with a
 * plain line of the same shape and length to measure them against.
 */

/** Length of every hostile line. */
export const MB = 1 << 20;

const fill = (unit: string, length: number) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length);

/** Ordinary words, the baseline's content. */
const plain = (length: number) => fill('lorem ipsum dolor sit amet consectetur ', length);

/** One hostile payload: a prefix that steers it into the recognisers, then the bait. */
export interface RedosCase {
  name: string;
  line: string;
  /** Same prefix, same length, ordinary words. */
  plain: string;
}

function redosCase(name: string, prefix: string, body: (length: number) => string): RedosCase {
  const length = MB - prefix.length;
  return { name, line: prefix + body(length), plain: prefix + plain(length) };
}

const SSHD = 'Mar  5 10:15:30 srv sshd[1]: ';
const APP = 'Mar  5 10:15:30 srv app[7]: error: ';

/** The hostile lines: bare, behind an sshd header, and behind an error line's header. */
export const REDOS_CASES: RedosCase[] = [
  redosCase('1 MB of one character', '', (n) => 'a'.repeat(n)),
  redosCase('nested-repetition bait: a run of a then !', '', (n) => 'a'.repeat(n - 1) + '!'),
  redosCase('1 MB of spaces', '', (n) => ' '.repeat(n - 1) + 'x'),
  redosCase('sshd: Failed password for + 1 MB of a', `${SSHD}Failed password for `, (n) => 'a'.repeat(n)),
  redosCase('sshd: Invalid user + spaces and no address', `${SSHD}Invalid user `, (n) => fill('a ', n)),
  redosCase('sshd: 1 MB of "from 1.2.3.4 " repeats', `${SSHD}Failed password for `, (n) => fill('from 1.2.3.4 ', n)),
  redosCase('sshd: 1 MB of "port 22 ssh2 " repeats', `${SSHD}Failed password for x from 1.2.3.4 `, (n) =>
    fill('port 22 ssh2 ', n),
  ),
  redosCase('postfix: unknown[ + 1 MB of [', 'Mar  5 10:15:30 srv postfix/smtpd[9]: warning: unknown[', (n) =>
    '['.repeat(n),
  ),
  redosCase(
    'dovecot: user=< + 1 MB of rip=',
    'Mar  5 10:15:30 srv dovecot: imap-login: Disconnected (auth failed, 1 attempts): user=<',
    (n) => fill('rip=1.2.3.', n),
  ),
  redosCase(
    'pam: rhost= + 1 MB of spaces and equals',
    `Mar  5 10:15:30 srv login[3]: pam_unix(login:auth): authentication failure; rhost=`,
    (n) => fill(' =', n),
  ),
  redosCase('deep brackets', '', (n) => '['.repeat(n / 2) + ']'.repeat(n / 2)),
  redosCase('deep parentheses and quotes', '', (n) => fill('("', n / 2) + fill(')"', n / 2)),
  redosCase('error line: 1 MB of path separators', APP, (n) => fill('/a', n)),
  redosCase('error line: 1 MB of digits and dots', APP, (n) => fill('1.', n)),
  redosCase('error line: 1 MB of "at " frames', APP, (n) => fill('at x.y(', n)),
  redosCase(
    'access log: 1 MB request path',
    '203.0.113.5 - - [05/Mar/2024:10:15:30 +0000] "GET /',
    (n) => fill('a/', n - 30) + ' HTTP/1.1" 404 1 "-" "x"',
  ),
  redosCase('JSON: 1 MB of one string value', '{"level":"error","msg":"', (n) => 'a'.repeat(n - 2) + '"}'),
];
