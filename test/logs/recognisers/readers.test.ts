import fc from 'fast-check';
import {
  readAccepted,
  readAuthenticationError,
  readClose,
  readDisconnect,
  readFailed,
  readInvalidUser,
  readPamFailure,
  readPreauthClose,
  readSessionOpened,
  readUserUnknown,
  readSudoCommand,
  readSudoRefused,
} from '../../../src/logs/recognisers/readers';
import { PAM_RULES, SUDO_RULES } from '../../../src/logs/recognisers/local-auth';
import { SSHD_RULES } from '../../../src/logs/recognisers/sshd';
import { type Groups, type Rule, firstMatch } from '../../../src/logs/recognisers/types';

/** The row named `name` of `table`. */
const row = (table: readonly Rule[], name: string) => table.find((r) => r.name === name)!;

/** What the row's pattern gives: its groups (`{}` for a test-only row), or undefined. */
function byRe2(rule: Rule, message: string): Groups | undefined {
  if (rule.capture === false) return rule.pattern.test(message) ? {} : undefined;
  const groups = rule.pattern.exec(message)?.groups;
  return groups ? { ...groups } : undefined;
}

/** The table as it reads without its hand-written readers. */
const withoutReaders = (table: readonly Rule[]) => table.map((r) => ({ ...r, read: undefined }));

const READERS: [string, readonly Rule[], (m: string) => Groups | null | undefined][] = [
  ['failed-auth', SSHD_RULES, readFailed],
  ['invalid-user', SSHD_RULES, readInvalidUser],
  ['preauth-close', SSHD_RULES, readPreauthClose],
  ['close', SSHD_RULES, readClose],
  ['disconnect-normal', SSHD_RULES, readDisconnect],
  ['pam-auth-error', SSHD_RULES, readAuthenticationError],
  ['pam-unix-failure', SSHD_RULES, readPamFailure],
  ['accepted', SSHD_RULES, readAccepted],
  ['session-opened', SSHD_RULES, row(SSHD_RULES, 'session-opened').read!],
  ['pam-session-opened', PAM_RULES, readSessionOpened],
  ['pam-user-unknown', PAM_RULES, readUserUnknown],
  ['sudo-refused', SUDO_RULES, readSudoRefused],
  ['sudo-command', SUDO_RULES, readSudoCommand],
];

const HEADS = [
  'Connection reset by ',
  'Disconnected from invalid user ',
  'illegal user ',
  'Failed password for ',
  'Failed publickey for invalid user ',
  'Invalid user ',
  'invalid user ',
  'input_userauth_request: invalid user ',
  'Authentication failure for ',
  'authentication error for ',
  'Connection closed by ',
  'Received disconnect from ',
  'Accepted publickey for ',
  'pam_unix(sshd:session): session opened for user ',
  'pam_unix(cron:session): session opened for user ',
  'pam_unix(sshd:auth): check pass; user unknown',
];

// Messages assembled from the pieces the patterns care about: every choice they leave open is exercised.
const piece = fc.constantFrom(
  ' ',
  'root',
  'x y',
  ' from ',
  '203.0.113.9',
  '2001:db8::1',
  ' port ',
  '22',
  '4',
  ':',
  '11: Bye Bye',
  '3',
  '14',
  ' ssh2',
  ': RSA SHA256:x',
  ' [preauth]',
  ' on ',
  'invalid user ',
  '(uid=0)',
  '(',
  ')',
  'é',
  '\t',
  '\n',
  '\r',
  '',
);
const tail = fc.array(piece, { maxLength: 12 }).map((parts) => parts.join(''));
// Mostly well-formed fields, so that most messages match and the optional parts are decided by what follows.
const mostly = (good: string, ...others: string[]) =>
  fc.oneof({ weight: 3, arbitrary: fc.constant(good) }, fc.constantFrom(good, ...others));
const word = fc.oneof({ weight: 5, arbitrary: fc.constantFrom('root', 'deploy', 'a', '') }, tail);
const host = mostly('203.0.113.9', '2001:db8::1', 'host.example.org', 'from', 'invalid', '1.2.3.4:5', 'a:1:', '');
const port = mostly('22', '', '65536', '2x');
const message = fc.oneof(
  fc.tuple(fc.constantFrom(...HEADS), tail).map(([head, rest]) => head + rest),
  fc
    .tuple(
      fc.constantFrom('Failed password for ', 'Invalid user ', 'Accepted publickey for ', 'Failed  for '),
      word,
      mostly(' from ', ' from  ', ' form '),
      host,
      mostly(' port ', ' port', ' ', ''),
      port,
      mostly('', ' ssh2', ': x', ' [preauth]', ' ', '\n', '\r', ' \r\n', ' on 10.0.0.1 port 22'),
    )
    .map((parts) => parts.join('')),
  fc
    .tuple(
      mostly('Connection closed by ', 'Connection closed by invalid user ', 'Connection reset by '),
      host,
      mostly(' port ', ' port', ''),
      port,
      mostly(' [preauth]', ' [preauth] ', '', ' [preauth]\n', ' [preauth]\r', '\r [preauth]', ' on 10.0.0.1 [preauth]'),
    )
    .map((parts) => parts.join('')),
  fc
    .tuple(
      mostly('Received disconnect from ', 'Received disconnect from  '),
      host,
      mostly(' port ', ' port', ''),
      port,
      mostly(
        ':11: Bye',
        ':3: x: Auth fail',
        ':14: No',
        ': 11:',
        ':  11: Bye Bye [preauth]',
        ':11',
        '',
        ':11:\n',
        ':1a:',
        ':11: Bye\r',
        ':\t11:',
      ),
    )
    .map((parts) => parts.join('')),
  fc
    .tuple(
      mostly('pam_unix(sshd:auth): ', '', 'pam_unix(sshd:auth):  ', 'pam_unix(sshd:auth):', 'pam_unix(cron:auth): '),
      mostly('authentication failure;', 'authentication failure', 'Authentication failure;'),
      fc
        .array(fc.constantFrom(' logname=', ' uid=0', ' euid=0', '  tty=ssh', ' ruid=0', ' uid=a b'), { maxLength: 5 })
        .map((keys) => keys.join('')),
      mostly(' ruser=', ' ruser=x', '  ruser= ', ''),
      mostly(' rhost=203.0.113.9', '  rhost=2001:db8::1', ' rhost=', ' rhost= x', ''),
      mostly(
        '',
        ' ',
        '  user=root',
        ' user=',
        ' user=a b',
        ' [preauth]',
        ' user=root [preauth] ',
        ' x',
        '\t',
        '\r',
        ' \r\n',
      ),
    )
    .map((parts) => parts.join('')),
  fc
    .tuple(
      fc.constantFrom('pam_unix(', 'pam_unix'),
      mostly('sshd', 'cron', 'a)b', '', 'sshd:x'),
      mostly(
        ':session): session opened for user ',
        ':session): session closed for user ',
        ':auth): ',
        ':auth): check pass; user unknown',
      ),
      word,
      fc.constantFrom('', '(uid=0) by (uid=0)', ' by', '\t'),
    )
    .map((parts) => parts.join('')),
  fc
    .tuple(
      mostly('  ', '', ' \t'),
      word,
      mostly(' : ', ' :', ' ; '),
      mostly('', '3 incorrect password attempts ; ', 'user NOT in sudoers ; ', 'x=y ; ', 'a;b '),
      mostly('TTY=pts/0 ; ', '', 'TTY= ; ', 'TTY=a b ; '),
      mostly('PWD=/home/deploy', 'PWD=/a ; b', 'PWD=', 'PWD=/a ; USER=x', 'PWD=x=y'),
      mostly(' ; USER=root ; ', ' ; USER= ; ', ' ; USER=root ; x; ', ' ; USER=root ;'),
      mostly(
        'COMMAND=/usr/bin/systemctl restart nginx',
        'COMMAND=',
        'COMMAND=a; COMMAND=b',
        'COMMAND=x\n',
        'command=x',
      ),
    )
    .map((parts) => parts.join('')),
);

describe('the hand-written readers', () => {
  it.each([
    ['failed-auth', 'Failed password for root from 203.0.113.9 port 22 ssh2', {}],
    [
      'invalid-user',
      'Invalid user admin from 203.0.113.9 port 40000',
      { user: 'admin', host: '203.0.113.9', port: '40000' },
    ],
    ['invalid-user', 'Invalid user  from 192.0.2.68 port 34916', { user: '', host: '192.0.2.68', port: '34916' }],
    [
      'preauth-close',
      'Connection closed by 203.0.113.9 port 5555 [preauth]',
      { user: undefined, host: '203.0.113.9', port: '5555' },
    ],
    [
      'disconnect-normal',
      'Received disconnect from 203.0.113.9 port 5555:11: Bye Bye',
      { host: '203.0.113.9', port: '5555' },
    ],
    ['invalid-user', 'Invalid user admin from 173.234.31.186', { user: 'admin', host: '173.234.31.186' }],
    ['preauth-close', 'Connection closed by 203.0.113.9 [preauth]', { user: undefined, host: '203.0.113.9' }],
    ['disconnect-normal', 'Received disconnect from 203.0.113.9: 11: Bye Bye [preauth]', { host: '203.0.113.9' }],
    [
      'pam-unix-failure',
      'pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.9  user=root',
      { ruser: '', host: '203.0.113.9', user: 'root' },
    ],
    [
      'pam-unix-failure',
      'pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.9 ',
      { ruser: '', host: '203.0.113.9', user: undefined },
    ],
    [
      'accepted',
      'Accepted publickey for deploy from 203.0.113.9 port 5555 ssh2: RSA SHA256:abc',
      { method: 'publickey', user: 'deploy', host: '203.0.113.9', port: '5555' },
    ],
    [
      'session-opened',
      'pam_unix(sshd:session): session opened for user deploy(uid=1000) by (uid=0)',
      { user: 'deploy' },
    ],
    [
      'sudo-command',
      '  deploy : TTY=pts/0 ; PWD=/home/deploy ; USER=root ; COMMAND=/usr/bin/systemctl restart nginx',
      { user: 'deploy', tty: 'pts/0', pwd: '/home/deploy', runas: 'root', command: '/usr/bin/systemctl restart nginx' },
    ],
  ])('reads the %s row of %j as its pattern does', (name, text, groups) => {
    const [, table, read] = READERS.find(([n]) => n === name)!;
    expect(read(text)).toEqual(groups);
    expect(read(text)).toEqual(byRe2(row(table, name), text));
  });

  it('reads a cron session opening as the PAM row does', () => {
    const text = 'pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)';
    expect(readSessionOpened(text)).toEqual({ service: 'cron', user: 'root' });
    expect(readSessionOpened(text)).toEqual(byRe2(row(PAM_RULES, 'pam-session-opened'), text));
  });

  it.each([
    ['a newline', 'Invalid user a\nb from 203.0.113.9 port 22'],
    ['a tab', 'Failed password\tx for root from 203.0.113.9 port 22 ssh2'],
    ['a non-ASCII user', 'Accepted password for é from 203.0.113.9 port 22 ssh2'],
    ['a colon in the host before a disconnect code', 'Received disconnect from a:1: port 22:11: Bye'],
    ['a second from', 'Invalid user a from b from 203.0.113.9 port 22'],
  ])('leaves a message with %s to re2 (no reader gives groups)', (_name, text) => {
    for (const [, , read] of READERS) expect(read(text) ?? undefined).toBeUndefined();
  });

  it.each(READERS)('agree with the %s pattern on any assembled message', (name, table, read) => {
    const rule = row(table, name);
    let read_ = 0;
    let groups_ = 0;
    fc.assert(
      fc.property(message, (m) => {
        const got = read(m);
        if (got === undefined) return;
        read_++;
        if (got !== null) groups_++;
        expect({ m, groups: got ?? undefined }).toEqual({ m, groups: byRe2(rule, m) });
      }),
      { numRuns: 5000 },
    );
    // Each reader answered often enough for the comparison to mean something.
    expect(read_).toBeGreaterThan(30);
    // And each reader that gives groups (not only null) gave them often enough.
    if (!['close', 'pam-auth-error', 'sudo-refused'].includes(name)) expect(groups_).toBeGreaterThan(30);
  });

  it('rules out the sudo refusal row on a command line', () => {
    const text = '  deploy : TTY=pts/0 ; PWD=/home/deploy ; USER=root ; COMMAND=/bin/ls';
    expect(readSudoRefused(text)).toBeNull();
    expect(byRe2(row(SUDO_RULES, 'sudo-refused'), text)).toBeUndefined();
    expect(
      readSudoRefused('  deploy : 3 incorrect password attempts ; TTY=pts/0 ; PWD=/ ; USER=root ; COMMAND=/bin/ls'),
    ).toBeUndefined();
  });

  it.each([
    ['sshd', SSHD_RULES],
    ['PAM', PAM_RULES],
    ['sudo', SUDO_RULES],
  ] as const)('leave the %s table answering as it does without them', (_name, table) => {
    const plain = withoutReaders(table);
    fc.assert(
      fc.property(message, (m) => {
        const fast = firstMatch(table, m);
        const slow = firstMatch(plain, m);
        expect({ m, rule: fast?.rule.name, groups: fast?.groups }).toEqual({
          m,
          rule: slow?.rule.name,
          groups: slow?.groups,
        });
      }),
      { numRuns: 3000 },
    );
  });
});
