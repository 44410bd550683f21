/**
 * Web servers: basic/digest authentication failures in nginx and Apache error
 * logs, TLS handshake garbage and rate limiting (nginx), requests no HTTP
 * client sends, WAF and Shellshock hits (Apache), and requests for exploit
 * paths or scripts that do not exist (scanners), as fail2ban's nginx-http-auth,
 * nginx-limit-req, nginx-botsearch, apache-auth, apache-overflows,
 * apache-noscript, apache-botsearch, apache-modsecurity and apache-shellshock
 * filters define them.
 */
import RE2 from 're2';
import { remoteOf, splitHostPort } from './address';
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
    // limit_req rejecting a client over its rate (fail2ban's nginx-limit-req); `delaying request` is within the burst.
    name: 'nginx-limit-req',
    prefilter: 'limiting requests, excess: ',
    pattern: '^limiting requests, excess: [\\d.]+ by zone "(?P<zone>[^"]*)"$',
    action: 'http.rate_limited',
    outcome: 'failure',
  },
  {
    // limit_conn: a crowd behind one NAT can hit it too.
    name: 'nginx-limit-conn',
    prefilter: 'limiting connections by zone',
    pattern: '^limiting connections by zone "(?P<zone>[^"]*)"$',
    action: 'http.rate_limited',
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
  {
    // Requests no client speaking HTTP sends (fail2ban's apache-overflows): binary, overlong, bad methods.
    name: 'apache-bad-request',
    prefilter: 'request',
    pattern:
      '^(?:Invalid (?:URI|method) in request|request failed: (?:URI too long|erroneous characters after protocol string|error reading the headers))',
    action: 'http.protocol_error',
    outcome: 'failure',
  },
  {
    // PHP-FPM asked for a script that is not there: a scanner's guess (AH01071).
    name: 'apache-primary-script-unknown',
    prefilter: 'Primary script unknown',
    pattern: "^Got error 'Primary script unknown",
    action: 'http.probe',
    outcome: 'failure',
  },
  {
    // A script that does not exist (fail2ban's apache-noscript): CGI and PHP guesses.
    name: 'apache-script-not-found',
    prefilter: 'not found or unable to stat',
    pattern: "^script (?:'(?P<path>[^']*)' not found or unable to stat|not found or unable to stat: (?P<path2>\\S+))",
    action: 'http.probe',
    outcome: 'failure',
  },
  {
    // Judged by {@link recogniseApacheError}: a probe when the file is an exploit path or a script.
    name: 'apache-file-not-found',
    prefilter: 'File does not exist: ',
    pattern: '^File does not exist: (?P<path>[^,]+?)(?:, referer: \\S*)?\\s*$',
    action: 'http.not_found',
    outcome: 'failure',
    hostileIn: [],
  },
  {
    // mod_security: a rule fired on the client's request (fail2ban's apache-modsecurity).
    name: 'apache-modsecurity',
    prefilter: 'ModSecurity: ',
    pattern: '^(?:\\[client [^\\]]+\\] )?ModSecurity: ',
    action: 'http.waf_block',
    outcome: 'failure',
  },
  {
    // Shellshock (CVE-2014-6271): bash refusing a function definition smuggled in an HTTP header.
    name: 'apache-shellshock',
    prefilter: 'function definition',
    pattern:
      '^/bin/(?:ba)?sh: (?:warning: HTTP_[^:]+: ignoring function definition attempt|error importing function definition for .HTTP_)',
    action: 'http.exploit',
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

/** Extensions of the scripts scanners guess at (fail2ban's apache-noscript). */
const SCRIPT_EXTENSIONS = ['.php', '.php4', '.php5', '.asp', '.aspx', '.exe', '.pl', '.cgi', '.scgi'];

/**
 * Whether a file Apache did not find (a filesystem path: the document root is
 * unknown) was a probe: an exploit path below some directory, a script, or a
 * user directory (`/~`, fail2ban's apache-nohome).
 */
export function isProbedFile(file: string): boolean {
  if (file.endsWith('/~')) return true;
  const lower = file.toLowerCase();
  if (SCRIPT_EXTENSIONS.some((extension) => lower.endsWith(extension))) return true;
  for (let slash = file.indexOf('/'); slash >= 0; slash = file.indexOf('/', slash + 1)) {
    if (isExploitPath(file.slice(slash))) return true;
  }
  return false;
}

/**
 * Whether an access-log line is a 400 for something that is not an HTTP
 * request (empty, binary, `HELP`, an RDP cookie: no `METHOD path` to read) or a
 * CONNECT through a server that is no proxy: scanners' and open-proxy hunters'
 * traffic. A well-formed request answered 400 is an application's business.
 */
export function isBadRequest(method: string | undefined, status: number | undefined): boolean {
  return status === 400 && (method === undefined || method === 'CONNECT');
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
  if (rule.name === 'apache-file-not-found') {
    const probe = isProbedFile(groups.path!);
    return { action: probe ? 'http.probe' : rule.action, outcome: 'failure', hostile: probe };
  }
  let hostile = rule.hostileIn.includes(mode);
  // mod_evasive denies by rate, not by a failure of the client: only the aggressive net counts it.
  if (module !== undefined && module.includes('evasive')) hostile = mode === 'aggressive';
  return { action: rule.action, outcome: rule.outcome, hostile, user: groups.user };
}

/** lighttpd's mod_auth (http_auth before 1.4.46): failed basic and digest logins. */
export const LIGHTTPD_RULES = rules<RuleSpec>([
  {
    name: 'lighttpd-auth-failed',
    prefilter: 'IP: ',
    pattern:
      "^(?:password doesn't match for \\S* username: (?P<user>[^\\s,]*),? |digest: auth failed(?: for +(?P<user2>.*?) +: wrong password|: .*?)?, |get_password failed, )IP: (?P<host>\\S+)\\s*$",
    action: 'http.auth_failure',
    outcome: 'failure',
  },
]);

/**
 * A web application's own log of a failed login, as logfmt or JSON: Grafana's
 * `msg="Invalid username or password" uname=bob remote_addr=203.0.113.5`.
 */
export function recogniseAppLogin(message: string, fields: Record<string, unknown>): Recognised | undefined {
  if (message !== 'Invalid username or password') return undefined;
  const remote = typeof fields.remote_addr === 'string' ? remoteOf(splitHostPort(fields.remote_addr).host) : {};
  const user = typeof fields.uname === 'string' && fields.uname !== '' ? fields.uname : undefined;
  return { action: 'http.auth_failure', outcome: 'failure', hostile: remote.ip !== undefined, ...remote, user };
}
