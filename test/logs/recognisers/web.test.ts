import fc from 'fast-check';
import { EXPLOIT_PATH, isExploitPath, isProbedFile } from '../../../src/logs/recognisers/web';

describe('the exploit-path matcher', () => {
  it.each([
    ['/wp-login.php', true],
    ['//phpMyAdmin/index.php', true],
    ['/typo3/phpmyadmin/', true],
    ['/admin/pma', true],
    ['/.env', true],
    ['/.env.bak', true],
    ['/.env?x', true],
    ['/.envx', false],
    ['/.env\n', false],
    ['///mail', false],
    ['mail', false],
    ['/PHPMYADMIN', false],
    ['/v-webmail/', true],
    ['/', false],
    ['', false],
  ])('agrees with re2 on %j', (path, expected) => {
    expect(isExploitPath(path)).toBe(expected);
    expect(EXPLOIT_PATH.test(path)).toBe(expected);
  });

  it('agrees with re2 on every path built from the pattern’s words', () => {
    // Each alternative met whole, cut short, run on and misplaced.
    const parts = [
      ['/', '//', '///', ''],
      ['', 'typo3/', 'xampp/', 'admin/', 'ext', 'v', 'v-', 'php', 'wp-', 'my', 'web', '.'],
      ['', 'php', 'My', 'my', 'web', 'mail', 'mysql', 'env', 'git'],
      ['', 'Admin', 'admin', 'adm', 'mail', 'pma', 'login.php', 'signup.php', 'roundcube', 'horde', 'cgi-bin'],
      ['', '/', '.', '?', 'x', '\n'],
    ];
    let paths = [''];
    for (const choices of parts) paths = paths.flatMap((p) => choices.map((c) => p + c));
    expect(paths.filter((p) => isExploitPath(p) !== EXPLOIT_PATH.test(p))).toEqual([]);
  });

  it('agrees with re2 on any path', () => {
    const piece = fc.constantFrom(
      '/',
      '//',
      'mail',
      'ext',
      'v-',
      'v',
      'web',
      'typo3/',
      'admin/',
      'php',
      'My',
      'my',
      'Admin',
      'admin',
      'pma',
      'wp-login',
      'wp-',
      '.php',
      '.env',
      '.git/',
      '?',
      '.',
      'HNAP1',
      'cgi-bin',
      'boaform/',
      'vendor/phpunit/',
      'x',
      '\n',
      '\ud800',
      'é',
    );
    const path = fc.oneof(
      fc.array(piece, { maxLength: 6 }).map((parts) => parts.join('')),
      fc.string({ unit: 'binary' }).map((s) => `/${s}`),
    );
    fc.assert(
      fc.property(path, (p) => {
        expect(isExploitPath(p)).toBe(EXPLOIT_PATH.test(p));
      }),
      { numRuns: 5000 },
    );
  });
});

describe('files Apache did not find', () => {
  it.each([
    ['/var/www/pma', true],
    ['/home/site/public_html/azenv.php', true],
    ['/srv/www/cgi-bin/x', true],
    ['/xxx/~', true],
    ['/var/www/html/favicon.ico', false],
    ['/var/www/html/images/logo.png', false],
    ['/var/www/html/mailing-list.html', true], // `mail` prefix, as fail2ban's botsearch reads it
    ['no slash at all', false],
  ])('%j is a probe: %s', (file, expected) => {
    expect(isProbedFile(file)).toBe(expected);
  });
});
