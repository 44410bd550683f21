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

/** Unit words that belong to the number before them (`<1 sec`, `1.16 KB`): one variable, not two tokens. */
const UNITS = new Set([
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

/** Whether a token is a month or weekday name, ignoring brackets and punctuation around it. */
function isDateWord(token: string): boolean {
  let start = 0;
  let end = token.length;
  while (start < end && '[(<'.includes(token[start]!)) start++;
  while (end > start && '])>,.:'.includes(token[end - 1]!)) end--;
  return end - start >= 3 && end - start <= 9 && DATE_WORDS.has(token.slice(start, end).toLowerCase());
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
 * Masks one whitespace-free token part by part: `key=value` keeps its key,
 * `LOGIN(uid=0)` becomes `LOGIN(uid=<*>)`, a token that is a value as a whole
 * (a quoted string, a path, an address with a port) becomes `<*>`.
 */
export function maskToken(token: string): string {
  const first = token.charCodeAt(0);
  if (first === 47 || first === 92) return isVariable(token) ? WILDCARD : token;
  // A quote opening a run of words is masked by what it opens, not wholesale: `"GET` and `"POST` stay two words.
  if ((first === 34 || first === 39) && token.length > 1) {
    if (token.indexOf(token[0]!, 1) > 0) return WILDCARD;
    const inside = maskToken(token.slice(1));
    return inside === WILDCARD ? WILDCARD : token[0] + inside;
  }
  let out = '';
  let start = 0;
  let changed = false;
  // Kept as a flag: asking the growing string (out.endsWith) flattens it every time, quadratic in the token.
  let endsWithWildcard = false;
  for (let i = 0; i <= token.length; i++) {
    if (i < token.length && !isDelimiter(token.charCodeAt(i))) continue;
    const part = token.slice(start, i);
    if (isVariable(part)) {
      if (!endsWithWildcard) out += WILDCARD;
      endsWithWildcard = true;
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

/** A parenthesised quantity that restates the number before it: `(1.16 KB)`, `(72.7 KB)`. */
function isRestatedQuantity(raw: string, next: string | undefined): boolean {
  if (raw.charCodeAt(0) !== 40 || raw.length < 2 || !isDigit(raw.charCodeAt(1))) return false;
  return next !== undefined && next.endsWith(')') && UNITS.has(next.slice(0, -1));
}

/**
 * The masked tokens of a message. Beyond per-token masking: a number and its
 * unit become one variable (`<1 sec` and `00:01` are both one `<*>`), and a
 * parenthesised quantity that restates the number before it (`1190 bytes
 * (1.16 KB) sent`) is dropped, so the same statement has the same token count
 * whether or not the writer added the human-readable form.
 */
export function maskTokens(message: string): string[] {
  const raw = splitTokens(message);
  const out: string[] = [];
  for (let i = 0; i < raw.length; i++) {
    const token = raw[i]!;
    if (isRestatedQuantity(token, raw[i + 1])) {
      i++;
      continue;
    }
    // A month or weekday name next to a number is part of a date: a variable like the number.
    const masked =
      isDateWord(token) && (hasDigit(raw[i + 1]) || hasDigit(raw[i - 1]) || isDateWord(raw[i + 1] ?? ''))
        ? WILDCARD
        : maskToken(token);
    if (masked === WILDCARD && i + 1 < raw.length && UNITS.has(raw[i + 1]!)) i++;
    // A run of variables is one variable: lists of ids or addresses vary in length.
    if (masked === WILDCARD && out[out.length - 1] === WILDCARD) continue;
    out.push(masked);
  }
  return out;
}
