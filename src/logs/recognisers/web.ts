/**
 * Web servers: basic/digest authentication failures in nginx and Apache error
 * logs, TLS handshake garbage (nginx), and requests for exploit paths that do
 * not exist (scanners), as fail2ban's nginx-http-auth, apache-auth and
 * nginx-botsearch filters define them.
 */
import RE2 from 're2';
import { type HostileMode, type Recognised, type RuleSpec, firstMatch, rules } from './types';

const AGGRESSIVE: readonly HostileMode[] = ['aggressive'];

/** nginx error-log messages (the part before `, client: `). */
export const NGINX_ERROR_RULES = rules<RuleSpec>([
  {
    name: 'nginx-user-not-found',
    prefilter: ' was not found in "',
    pattern: '^user "(?P<user>.*)":? was not found in "[^"]*"$',
    action: 'http.auth_failure',
    outcome: 'failure',
    hostileIn: ['normal', 'ddos', 'extra', 'aggressive'],
  },
  {
    name: 'nginx-password-mismatch',
    prefilter: ' password mismatch',
    pattern: '^user "(?P<user>.*)":? password mismatch$',
    action: 'http.auth_failure',
    outcome: 'failure',
    hostileIn: ['normal', 'ddos', 'extra', 'aggressive'],
  },
  {
    name: 'nginx-pam-failure',
    prefilter: 'PAM: user ',
    pattern: "^PAM: user '(?P<user>.*)' - not authenticated: .*$",
    action: 'http.auth_failure',
    outcome: 'failure',
    hostileIn: ['normal', 'ddos', 'extra', 'aggressive'],
  },
  {
    name: 'nginx-tls-garbage',
    prefilter: 'SSL_',
    pattern:
      '^SSL_(?:do_handshake|read)\\(\\) failed \\(SSL: .*\\) while (?:SSL handshaking|waiting for request|reading client request headers)$',
    action: 'conn.tls_failure',
    outcome: 'failure',
    hostileIn: AGGRESSIVE,
  },
  {
    name: 'nginx-file-not-found',
    prefilter: '(2: No such file or directory)',
    pattern: '^(?:open\\(\\) )?"[^"]*" (?:failed|is not found) \\(2: No such file or directory\\)$',
    action: 'http.not_found',
    outcome: 'failure',
    hostileIn: [],
  },
]);

/** Apache error-log messages (after `[client ...]` and the `AHnnnnn: ` code). */
export const APACHE_ERROR_RULES = rules<RuleSpec>([
  {
    name: 'apache-denied-by-config',
    prefilter: 'client denied by server configuration',
    pattern: '^client denied by server configuration: (?:uri )?\\S*(?:, referer: \\S*)?\\s*$',
    action: 'http.denied',
    outcome: 'failure',
  },
  {
    name: 'apache-password-mismatch',
    prefilter: 'Password Mismatch',
    pattern: '^user (?P<user>.*): authentication failure for "\\S*": Password Mismatch(?:, referer: \\S*)?$',
    action: 'http.auth_failure',
    outcome: 'failure',
  },
  {
    name: 'apache-user-not-found',
    prefilter: ' not found',
    pattern: '^user (?P<user>.*?) not found(?:: \\S*)?(?:, referer: \\S*)?\\s*$',
    action: 'http.auth_failure',
    outcome: 'failure',
  },
  {
    name: 'apache-wrong-scheme',
    prefilter: 'wrong authentication scheme',
    pattern: '^client used wrong authentication scheme: \\S*(?:, referer: \\S*)?\\s*$',
    action: 'http.auth_failure',
    outcome: 'failure',
  },
  {
    name: 'apache-authz-failed',
    prefilter: 'Authorization of user ',
    pattern: '^Authorization of user (?P<user>\\S+) to access \\S* failed, reason: .*$',
    action: 'http.auth_failure',
    outcome: 'failure',
  },
  {
    name: 'apache-digest-mismatch',
    prefilter: ': password mismatch: ',
    pattern: '^(?:Digest: )?user (?P<user>.*): password mismatch: \\S*(?:, referer: \\S*)?\\s*$',
    action: 'http.auth_failure',
    outcome: 'failure',
  },
  {
    name: 'apache-digest-realm-user',
    prefilter: "' in realm `",
    pattern:
      "^(?:Digest: )?user `(?P<user>.*)' in realm `.+' (?:not found|denied by provider): \\S*(?:, referer: \\S*)?\\s*$",
    action: 'http.auth_failure',
    outcome: 'failure',
  },
  {
    name: 'apache-authz-failure',
    prefilter: ' authorization failure',
    pattern: '^user (?P<user>.*?):? authorization failure(?: for "\\S*")?:\\s*\\S*\\s*$',
    action: 'http.auth_failure',
    outcome: 'failure',
  },
  {
    name: 'apache-digest-nonce',
    prefilter: 'invalid nonce ',
    pattern: '^(?:Digest: )?invalid nonce .* received - (?:length is not \\S+|user attempted time travel)\\s*$',
    action: 'http.auth_failure',
    outcome: 'failure',
  },
  {
    name: 'apache-digest-nonce-stale',
    prefilter: 'nonce',
    pattern:
      '^(?:Digest: )?user (?P<user>.*): (?:nonce expired \\([\\d.]+ seconds old - max lifetime [\\d.]+\\)|one-time-nonce mismatch) - sending new nonce\\s*$',
    action: 'http.auth_failure',
    outcome: 'failure',
  },
  {
    name: 'apache-digest-realm',
    prefilter: 'realm mismatch',
    pattern: "^(?:Digest: )?realm mismatch - got `.*' but expected `.+'\\s*$",
    action: 'http.auth_failure',
    outcome: 'failure',
  },
  {
    name: 'apache-digest-algorithm',
    prefilter: "' received",
    pattern: "^(?:Digest: )?(?:unknown algorithm|invalid qop) `.*' received(?:: \\S*)?\\s*$",
    action: 'http.auth_failure',
    outcome: 'failure',
  },
  {
    name: 'apache-sni-mismatch',
    prefilter: 'SNI',
    pattern:
      '^(?:Hostname \\S+ provided via SNI(?:,| and hostname \\S+ provided via HTTP)|No hostname was provided via SNI for a name based virtual host)',
    action: 'http.protocol_error',
    outcome: 'failure',
  },
]);

/**
 * Paths scanners probe for, from fail2ban's botsearch-common (webmail,
 * phpMyAdmin, WordPress login, cgi-bin, mysqladmin) plus a few that every
 * scanner tries on every host (`.env`, `.git/`, phpunit's eval-stdin, router
 * exploits). The reference for {@link isExploitPath}, which a property test
 * holds to it.
 */
export const EXPLOIT_PATH = new RE2(
  '^//?(?:(?:roundcube|(?:ext)?mail|horde|(?:v-?)?webmail)|(?:typo3/|xampp/|admin/)?(?:pma|(?:php)?[Mm]y[Aa]dmin)|wp-(?:login|signup)\\.php|cgi-bin|mysqladmin|\\.env(?:$|[?.])|\\.git/|vendor/phpunit/|boaform/|HNAP1)',
);

/** phpMyAdmin's names: `pma`, `(?:php)?[Mm]y[Aa]dmin`. */
const ADMIN_PAGES = [
  'pma',
  ...['', 'php'].flatMap((php) => ['My', 'my'].flatMap((my) => ['Admin', 'admin'].map((admin) => php + my + admin))),
];

/** {@link EXPLOIT_PATH}'s alternatives written out: the texts a probe's path goes on with after its slashes. */
const EXPLOIT_PREFIXES = [
  'roundcube',
  'mail',
  'extmail',
  'horde',
  'webmail',
  'vwebmail',
  'v-webmail',
  ...['', 'typo3/', 'xampp/', 'admin/'].flatMap((dir) => ADMIN_PAGES.map((page) => dir + page)),
  'wp-login.php',
  'wp-signup.php',
  'cgi-bin',
  'mysqladmin',
  '.git/',
  'vendor/phpunit/',
  'boaform/',
  'HNAP1',
];

/**
 * Whether `path` is one {@link EXPLOIT_PATH} matches, for any text: a few
 * `startsWith` instead of an re2 call (a tenth of the cost), since the pattern
 * is a list of prefixes after `/` or `//`.
 */
export function isExploitPath(path: string): boolean {
  if (path.charCodeAt(0) !== 47) return false;
  // `//?`: none of the prefixes starts with a slash, so a second one is always taken.
  const at = path.charCodeAt(1) === 47 ? 2 : 1;
  for (const prefix of EXPLOIT_PREFIXES) if (path.startsWith(prefix, at)) return true;
  // `\.env(?:$|[?.])`
  if (!path.startsWith('.env', at)) return false;
  const next = path.charCodeAt(at + 4);
  return at + 4 === path.length || next === 63 || next === 46;
}

/** Whether an HTTP request for `path` that failed with `status` is a scanner's probe. */
export function isProbe(method: string | undefined, path: string | undefined, status: number | undefined): boolean {
  if (path === undefined || status === undefined || status < 400 || status >= 500) return false;
  if (method !== undefined && method !== 'GET' && method !== 'POST' && method !== 'HEAD') return false;
  return isExploitPath(path);
}

/** What an nginx error message means, given its parsed context fields. */
export function recogniseNginxError(
  message: string,
  fields: Record<string, unknown>,
  mode: HostileMode,
): Recognised | undefined {
  const found = firstMatch(NGINX_ERROR_RULES, message);
  if (!found) return undefined;
  const { rule, groups } = found;
  if (rule.name === 'nginx-file-not-found') {
    const probe = isProbe(fields.method as string | undefined, fields.path as string | undefined, 404);
    return { action: probe ? 'http.probe' : rule.action, outcome: 'failure', hostile: probe };
  }
  return { action: rule.action, outcome: rule.outcome, hostile: rule.hostileIn.includes(mode), user: groups.user };
}

/** What an Apache error message means; `module` is the 2.4 `[module:level]` module. */
export function recogniseApacheError(
  message: string,
  module: string | undefined,
  mode: HostileMode,
): Recognised | undefined {
  const found = firstMatch(APACHE_ERROR_RULES, message);
  if (!found) return undefined;
  const { rule, groups } = found;
  let hostile = rule.hostileIn.includes(mode);
  // mod_evasive denies by rate, not by a failure of the client: only the aggressive net counts it.
  if (module !== undefined && module.includes('evasive')) hostile = mode === 'aggressive';
  return { action: rule.action, outcome: rule.outcome, hostile, user: groups.user };
}
