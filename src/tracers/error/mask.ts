/**
 * Masking: turns a log message into the tokens a template is made of, with
 * every variable part (numbers, hex, IPv4/IPv6 addresses, UUIDs, paths, quoted
 * values, dates and times) replaced by the wildcard `<*>`.
 *
 * One default rule set for every log: no per-dataset regexes. The rules are
 * character-class tests in plain loops (no regex runs on the message), so
 * masking is linear in the message and allocates only the tokens it returns.
 */

/** The wildcard a template shows in place of a variable part. */
export const WILDCARD = '<*>';

/** Unit words that belong to the number before them (`<1 sec`, `1.16 KB`, `93.0 B`): one variable, not two tokens. */
const UNITS = new Set([
  'B',
  'sec',
  'secs',
  'seconds',
  'ms',
  'us',
  'ns',
  'min',
  'mins',
  'KB',
  'kB',
  'MB',
  'GB',
  'TB',
  'KiB',
  'MiB',
  'GiB',
]);

/** Month and weekday names: parts of a date when a number stands next to them (`Dec 10 06:55:46`, `[Sun Dec 04 ...`). */
const DATE_WORDS = new Set(
  'jan feb mar apr may jun jul aug sep sept oct nov dec january february march april june july august september october november december mon tue wed thu fri sat sun monday tuesday wednesday thursday friday saturday sunday'.split(
    ' ',
  ),
);

/** First letters of DATE_WORDS, lower-cased: most tokens are ruled out before any string is made. */
const DATE_INITIALS = new Set([...DATE_WORDS].map((word) => word.charCodeAt(0)));

/** Whether a token is a month or weekday name, ignoring brackets and punctuation around it. */
function isDateWord(token: string): boolean {
  let start = 0;
  let end = token.length;
  if (end < 3) return false;
  while (start < end && isOpeningBracket(token.charCodeAt(start))) start++;
  while (end > start && isDateTrailer(token.charCodeAt(end - 1))) end--;
  if (end - start < 3 || end - start > 9 || !DATE_INITIALS.has(token.charCodeAt(start) | 32)) return false;
  return DATE_WORDS.has(token.slice(start, end).toLowerCase());
}

/** [ ( < */
function isOpeningBracket(code: number): boolean {
  return code === 91 || code === 40 || code === 60;
}

/** ] ) > , . : */
function isDateTrailer(code: number): boolean {
  return code === 93 || code === 41 || code === 62 || code === 44 || code === 46 || code === 58;
}

function hasDigit(token: string | undefined): boolean {
  if (token === undefined) return false;
  for (let i = 0; i < token.length; i++) if (isDigit(token.charCodeAt(i))) return true;
  return false;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function isHexLetter(code: number): boolean {
  return (code >= 97 && code <= 102) || (code >= 65 && code <= 70);
}

/**
 * Whether a token (or the value part of `key=value`) is a variable: it holds a
 * digit (numbers, IPv4, hex ids, UUIDs, dates, times, `blk_-160...`), it is a
 * path (`/var/lib/x`, `C:\x`), a quoted value, an IPv6 address or a long run of
 * hex letters.
 */
export function isVariable(token: string): boolean {
  const n = token.length;
  if (n === 0) return false;
  const first = token.charCodeAt(0);
  // A quoted value ('id', "x y" closed in this token) is a variable; a quote that opens a run of
  // words (`"GET /index.html HTTP/1.1"`) is judged by the word it opens, so `"GET` and `"POST` stay apart.
  if ((first === 34 || first === 39) && n > 1) return token.indexOf(token[0]!, 1) > 0 || isVariable(token.slice(1));
  let hex = 0;
  let colons = 0;
  let slashes = 0;
  let dots = 0;
  let hostChars = 0;
  for (let i = 0; i < n; i++) {
    const code = token.charCodeAt(i);
    if (isDigit(code)) return true;
    if (isHexLetter(code)) hex++;
    else if (code === 58) colons++;
    else if (code === 47 || code === 92) slashes++;
    if (code === 46) dots++;
    if ((code >= 97 && code <= 122) || code === 45 || code === 46) hostChars++;
  }
  // A host name: lower-case labels with at least two dots (`mail.example.org`).
  if (dots >= 2 && hostChars === n && first !== 46 && token.charCodeAt(n - 1) !== 46) return true;
  // A path: at least two separators, or one leading separator followed by a name.
  if (slashes >= 2 || (slashes === 1 && (first === 47 || first === 92) && n > 1)) return true;
  // A qualified name with a separator (`com.example.app/.MainActivity`, an Android component): a name, not a word.
  if (slashes === 1 && dots >= 2) return true;
  // IPv6 without digits (`fe80::`, `::`) is all hex letters and colons.
  if (colons >= 2 && hex + colons === n) return true;
  return hex >= 8 && hex === n;
}

/** Characters that separate the parts of one token (`LOGIN(uid=0)`, `[mice.c(1234)]:`). */
function isDelimiter(code: number): boolean {
  // ( ) [ ] { } = , ;
  return (
    code === 40 ||
    code === 41 ||
    code === 91 ||
    code === 93 ||
    code === 123 ||
    code === 125 ||
    code === 61 ||
    code === 44 ||
    code === 59
  );
}

/**
 * Whether `token[i]` is a `<` that opens a bracketed structure (`<memory:1024,
 * vCores:1>`, `List<String>`): a letter follows it. Before a digit it is the
 * sign of a quantity (`<1 sec`), part of the value.
 */
function opensAngle(token: string, i: number): boolean {
  if (token.charCodeAt(i) !== 60) return false;
  const next = token.charCodeAt(i + 1) | 32;
  return next >= 97 && next <= 122;
}

function isQuote(code: number): boolean {
  return code === 34 || code === 39;
}

/** Whether a `key=` part is a key as written: an identifier (`uid`, `ip4`, `phys_ram`), kept even with digits in it. */
function isKey(part: string): boolean {
  const first = part.charCodeAt(0);
  if (!((first >= 65 && first <= 90) || (first >= 97 && first <= 122) || first === 95)) return false;
  for (let i = 1; i < part.length; i++) {
    const code = part.charCodeAt(i);
    if (!((code >= 65 && code <= 90) || (code >= 97 && code <= 122) || isDigit(code) || code === 95 || code === 45))
      return false;
  }
  return true;
}

/**
 * Masks one delimiter-free part of a token. Quoted keys (`"op":` of JSON)
 * stay and what follows them is masked as a key's value. The quoted value of
 * a key is judged by what it quotes (`action="accept"` stays,
 * `exe="/usr/sbin/sshd"` goes), as an unquoted one is; a quoted value on its
 * own is a variable (`reading 'id'`).
 */
function maskPart(part: string, afterKey: boolean): string {
  // A loop over the keys, not a recursion: a hostile `"a":"a":...` neither deepens the stack nor copies itself.
  let at = 0;
  let value = afterKey;
  while (at + 1 < part.length && isQuote(part.charCodeAt(at))) {
    const close = part.indexOf(part[at]!, at + 1);
    if (close < 0) break;
    if (part.charCodeAt(close + 1) !== 58) {
      if (value && close === part.length - 1 && !isVariable(part.slice(at + 1, close))) return part;
      return at === 0 ? WILDCARD : part.slice(0, at) + WILDCARD;
    }
    at = close + 2;
    value = true;
  }
  if (at === 0) return isVariable(part) ? WILDCARD : part;
  const rest = part.slice(at);
  return rest === '' || !isVariable(rest) ? part : part.slice(0, at) + WILDCARD;
}

/**
 * Masks one whitespace-free token part by part: `key=value` keeps its key,
 * `LOGIN(uid=0)` becomes `LOGIN(uid=<*>)`, a token that is a value as a whole
 * (a quoted string, a path, an address with a port) becomes `<*>`. `afterKey`
 * when the token before it was a key (`"op": "start"`, `state= "up"`).
 */
export function maskToken(token: string, afterKey = false): string {
  const first = token.charCodeAt(0);
  if (first === 47 || first === 92) return isVariable(token) ? WILDCARD : token;
  if (isQuote(first) && token.length > 1) {
    const close = token.indexOf(token[0]!, 1);
    // A quote opening a run of words is masked by what it opens, not wholesale: `"GET` and `"POST` stay two words.
    if (close < 0) {
      const inside = maskToken(token.slice(1));
      return inside === WILDCARD ? WILDCARD : token[0] + inside;
    }
    // A quoted value as a whole (`'x y'`, `"up",`): only a key's value is judged by what it quotes.
    if (token.charCodeAt(close + 1) !== 58) {
      return afterKey && !isVariable(token.slice(1, close)) ? token : WILDCARD;
    }
  }
  let out = '';
  let start = 0;
  let changed = false;
  // Kept as a flag: asking the growing string (out.endsWith) flattens it every time, quadratic in the token.
  let endsWithWildcard = false;
  for (let i = 0; i <= token.length; i++) {
    if (i < token.length && !isDelimiter(token.charCodeAt(i)) && !opensAngle(token, i)) continue;
    const part = token.slice(start, i);
    if (isVariable(part)) {
      // A second look: a quoted part may hold a key or a key's constant value, and a key with digits (`ip4=`) stays.
      let masked = WILDCARD;
      if (isQuote(part.charCodeAt(0))) masked = maskPart(part, start > 0 && token.charCodeAt(start - 1) === 61);
      else if (i + 1 < token.length && token.charCodeAt(i) === 61 && isKey(part)) masked = part;
      if (masked === WILDCARD) {
        if (!endsWithWildcard) out += WILDCARD;
        endsWithWildcard = true;
      } else {
        out += masked;
        endsWithWildcard = false;
      }
      changed = true;
    } else if (part !== '') {
      out += part;
      endsWithWildcard = false;
    }
    if (i < token.length) {
      out += token[i];
      endsWithWildcard = false;
    }
    start = i + 1;
  }
  if (!changed) return token;
  // A comma-separated list of values (`10.0.0.2,10.0.0.1`, a proxy chain) is one variable, whatever its length.
  if (!isValueList(out)) return out;
  return out.endsWith(',') ? WILDCARD + ',' : WILDCARD;
}

/** Whether a masked token is only wildcards joined by commas (`<*>,<*>`, `<*>,<*>,`): a list of values. */
function isValueList(masked: string): boolean {
  let wildcards = 0;
  let i = 0;
  while (masked.startsWith(WILDCARD, i)) {
    wildcards++;
    i += WILDCARD.length;
    if (masked[i] !== ',') break;
    i++;
  }
  return wildcards >= 2 && i >= masked.length;
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13 || code === 11 || code === 12;
}

/** Splits on runs of whitespace, without empty tokens. */
export function splitTokens(message: string): string[] {
  const tokens: string[] = [];
  let start = -1;
  for (let i = 0; i <= message.length; i++) {
    const space = i === message.length || isSpace(message.charCodeAt(i));
    if (space) {
      if (start >= 0) tokens.push(message.slice(start, i));
      start = -1;
    } else if (start < 0) {
      start = i;
    }
  }
  return tokens;
}

/** HTTP request methods: a request line is the method, then the URL (`"GET /index.html HTTP/1.1"`). */
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH', 'PROPFIND']);

function isUpper(code: number): boolean {
  return code >= 65 && code <= 90;
}

/** Whether `raw[i]` is a request method (`GET`, or `"GET` opening a quoted request line) and the token after it a URL. */
function isRequestLine(raw: readonly string[], i: number): boolean {
  // Cheap tests first: most tokens are no short upper-case word.
  const token = raw[i]!;
  if (token.length < 3 || token.length > 9 || i + 1 >= raw.length) return false;
  const at = isQuote(token.charCodeAt(0)) ? 1 : 0;
  if (!isUpper(token.charCodeAt(at)) || !isUpper(token.charCodeAt(at + 1))) return false;
  if (!METHODS.has(at === 1 ? token.slice(1) : token)) return false;
  const next = raw[i + 1]!;
  if (next.charCodeAt(0) === 47) return true;
  const scheme = next.indexOf('://');
  return scheme > 0 && isKey(next.slice(0, scheme));
}

/**
 * Masks a request URL by its shape: the path's constant segments and the
 * query's keys stay, the host, the variable segments and the query's values go
 * (`/v2/54fadb41/servers/detail?changes-since=2017-05-16` becomes
 * `/<*>/<*>/servers/detail?changes-since=<*>`), so requests to different
 * endpoints are different statements. What follows a quote (the end of a
 * quoted request line) is kept as it is.
 */
function maskUrl(url: string): string {
  let end = url.length;
  for (let i = 0; i < url.length; i++) {
    if (isQuote(url.charCodeAt(i))) {
      end = i;
      break;
    }
  }
  let out = '';
  let i = 0;
  const scheme = url.indexOf('://');
  if (scheme > 0 && scheme < end) {
    const path = url.indexOf('/', scheme + 3);
    out = url.slice(0, scheme + 3) + WILDCARD;
    i = path < 0 || path > end ? end : path;
  }
  // The path, segment by segment, up to the query or the fragment.
  let start = i;
  for (; i <= end; i++) {
    const code = i < end ? url.charCodeAt(i) : -1;
    if (code !== 47 && code !== 63 && code !== 35 && code !== -1) continue;
    const segment = url.slice(start, i);
    out += isVariable(segment) ? WILDCARD : segment;
    if (code !== 47) break;
    out += '/';
    start = i + 1;
  }
  // The query: keys stay, values go.
  if (url.charCodeAt(i) === 63) {
    out += '?';
    start = ++i;
    for (; i <= end; i++) {
      const code = i < end ? url.charCodeAt(i) : -1;
      if (code !== 38 && code !== 59 && code !== 35 && code !== -1) continue;
      const param = url.slice(start, i);
      const eq = param.indexOf('=');
      out += eq >= 0 ? param.slice(0, eq + 1) + WILDCARD : isVariable(param) ? WILDCARD : param;
      if (code !== 38 && code !== 59) break;
      out += url[i];
      start = i + 1;
    }
  }
  if (url.charCodeAt(i) === 35) out += '#' + WILDCARD;
  return out + url.slice(end);
}

/**
 * Whether a masked token is the URL of a request line: only `maskUrl` leaves a
 * token that starts with `/` and holds more than it, or one with `://` (any
 * other path or URL is a variable as a whole).
 */
export function isRequestUrl(token: string): boolean {
  return (token.charCodeAt(0) === 47 && token.length > 1) || token.includes('://');
}

/** A parenthesised quantity that restates the number before it: `(1.16 KB)`, `(72.7 KB)`. */
function isRestatedQuantity(raw: string, next: string | undefined): boolean {
  if (raw.charCodeAt(0) !== 40 || raw.length < 2 || !isDigit(raw.charCodeAt(1))) return false;
  return next !== undefined && next.endsWith(')') && UNITS.has(next.slice(0, -1));
}

/**
 * The punctuation after a unit word (`''` for `KB`, `','` for `KB,`, `')'`
 * for `B)`), or undefined when the token is no unit: prose writes a quantity
 * before a comma or a bracket as often as before a space.
 */
function unitPunctuation(token: string | undefined): string | undefined {
  if (token === undefined) return undefined;
  let end = token.length;
  while (end > 1 && isClosingPunctuation(token.charCodeAt(end - 1))) end--;
  if (end === token.length) return UNITS.has(token) ? '' : undefined;
  return UNITS.has(token.slice(0, end)) ? token.slice(end) : undefined;
}

/** , ; : ) ] } */
function isClosingPunctuation(code: number): boolean {
  return code === 44 || code === 59 || code === 58 || code === 41 || code === 93 || code === 125;
}

/** Whether a token opens a key's double-quoted value that later tokens close (`tag="View` of `tag="View Lock",`). */
function opensQuotedValue(token: string): boolean {
  const at = token.indexOf('="');
  return at > 0 && token.indexOf('"', at + 2) < 0;
}

/** Whether a token ends with a key whose value is the next token (`allDrawn=`, `"op":`). */
function endsWithKey(token: string): boolean {
  const last = token.charCodeAt(token.length - 1);
  if (last === 61) return token.length > 1;
  return last === 58 && token.length > 2 && isQuote(token.charCodeAt(token.length - 2));
}

/**
 * The first token from `from` that closes a double-quoted run: one that ends
 * with `"`, punctuation after it allowed (`Safari/537.36",`); -1 when none.
 * A single quote is not sought: it is also an apostrophe.
 */
function closingQuote(raw: readonly string[], from: number): number {
  for (let i = from; i < raw.length; i++) {
    const token = raw[i]!;
    let end = token.length;
    while (end > 0 && ',;:)]}'.includes(token[end - 1]!)) end--;
    if (end > 0 && token.charCodeAt(end - 1) === 34) return i;
  }
  return -1;
}

/**
 * The masked tokens of a message. Beyond per-token masking: a number and its
 * unit become one variable (`<1 sec` and `00:01` are both one `<*>`), and a
 * parenthesised quantity that restates the number before it (`1190 bytes
 * (1.16 KB) sent`) is dropped, so the same statement has the same token count
 * whether or not the writer added the human-readable form; a request line
 * keeps its method and the shape of its URL.
 */
export function maskTokens(message: string): string[] {
  const raw = splitTokens(message);
  const out: string[] = [];
  // The token that closes the last quoted run sought; -1 once none is left, so the search stays linear.
  let closer = 0;
  // One search of the message spares one per token: most messages quote no key's value.
  const quotedValues = message.includes('="');
  for (let i = 0; i < raw.length; i++) {
    let token = raw[i]!;
    // A key's quoted value is one token whatever its words (`tag="View Lock",`): its word count is data, not the statement's.
    if (quotedValues && closer !== -1 && opensQuotedValue(token)) {
      if (closer <= i) closer = closingQuote(raw, i + 1);
      if (closer > i) {
        token = raw.slice(i, closer + 1).join(' ');
        i = closer;
      }
    }
    if (isRestatedQuantity(token, raw[i + 1])) {
      i++;
      continue;
    }
    // The method stays and the URL keeps its shape: `"GET /a` and `"POST /b/<*>` are different requests.
    const first = token.charCodeAt(0);
    if ((first === 34 || isUpper(first)) && isRequestLine(raw, i)) {
      out.push(token, maskUrl(raw[++i]!));
      continue;
    }
    // A month or weekday name next to a number is part of a date: a variable like the number.
    const masked =
      isDateWord(token) && (hasDigit(raw[i + 1]) || hasDigit(raw[i - 1]) || isDateWord(raw[i + 1] ?? ''))
        ? WILDCARD
        : maskToken(token, isQuote(first) && i > 0 && endsWithKey(raw[i - 1]!));
    if (masked === WILDCARD) {
      const punctuation = unitPunctuation(raw[i + 1]);
      if (punctuation !== undefined) {
        i++;
        // `5.2 KB,` is `<*>,`: the comma still ends the quantity, as `5 files,` ends in `<*>,` elsewhere.
        if (punctuation !== '') {
          out.push(WILDCARD + punctuation);
          continue;
        }
      }
    }
    // A quoted run of words that opens with a variable is a value as a whole (a user agent, `"Mozilla/5.0 (X11; ...)"`).
    if (masked === WILDCARD && first === 34 && closer !== -1 && token.indexOf('"', 1) < 0) {
      if (closer <= i) closer = closingQuote(raw, i + 1);
      if (closer > i) i = closer;
    }
    // A run of variables is one variable: lists of ids or addresses vary in length.
    if (masked === WILDCARD && out[out.length - 1] === WILDCARD) continue;
    out.push(masked);
  }
  return out;
}
