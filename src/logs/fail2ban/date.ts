/**
 * The date fail2ban cuts out of a line before its patterns run (its filters
 * are written for the line without it: `[Wed Oct 11 14:32:52 2000] [error]`
 * becomes `[] [error]`): the first of fail2ban's default date templates that
 * the line holds, as re2 patterns.
 */
import RE2 from 're2';

const MONTH = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*';
const DAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*';
const TIME = String.raw`\d{1,2}:\d{2}:\d{2}`;
const FRACTION = String.raw`(?:[.,]\d+)?`;
const ZONE = String.raw`(?:Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)`;
const D = String.raw`\d{1,2}`;

/**
 * fail2ban's DEFAULT_TEMPLATES (server/datedetector.py), in its order; its
 * `(?P<_sep>[-/])...(?P=_sep)` spelled out as one branch per separator.
 */
const TEMPLATES = [
  // 2005-01-23T21:59:59.981746, 2005/01/23 21:59:59, 2006.12.21 06:43:20
  String.raw`\d{4}(?:-${D}-${D}|/${D}/${D}|\.${D}\.${D})(?:T|  ?)${TIME}${FRACTION}(?:\s*${ZONE})?`,
  // Sun Jan 23 21:59:59.011 2005
  String.raw`(?:${DAY} )?${MONTH}  ?${D} ${TIME}${FRACTION}(?: \d{4})?`,
  // Sun Jan 23 2005 21:59:59.011
  String.raw`(?:${DAY} )?${MONTH}  ?${D} \d{4} ${TIME}${FRACTION}`,
  // 23/01/2005 21:59:59, 17-07-2008 17:23:25
  String.raw`\b${D}(?:-${D}-|/${D}/)(?:\d{4}|\d{2}) ${TIME}`,
  // [31/Oct/2006:09:22:55 -0000], 26-Jul-2007 15:20:52.252 +0200
  String.raw`\b${D}(?:-${MONTH}-|/${MONTH}/)\d{4}[ :]?${TIME}${FRACTION}(?: ${ZONE})?`,
  // CPanel 05/20/2008:01:57:39
  String.raw`\b${D}/${D}/\d{4}:${TIME}`,
  // 01-27-2012 16:22:44.252
  String.raw`\b${D}-${D}-\d{4} ${TIME}${FRACTION}`,
  // epoch (1106513999.123)
  String.raw`\b1\d{9}(?:\.\d{3,6})?\b`,
  // only the time, at the start of the line
  String.raw`^\s*${TIME}`,
  // <09/16/08@05:03:30>
  String.raw`^<${D}/${D}/\d{2}@${TIME}>`,
  // MySQL: 130322 11:46:11
  String.raw`\b\d{6}  ?${TIME}`,
  // Apache Tomcat: Jan 23, 2005 9:59:59 PM
  String.raw`${MONTH} ${D}, \d{4} ${TIME} [AP]M`,
  // ASSP: Apr-27-13 02:33:06
  String.raw`^${MONTH}-${D}-\d{2} ${TIME}`,
  // 20050123T215959
  String.raw`\b\d{8}(?:T|  ?)\d{5,6}${FRACTION}(?:\s*${ZONE})?`,
  // monit: PDT Apr 16 21:05:29; +00:00 Jan 23 21:59:59.011 2005
  String.raw`(?:[A-Z]{3,5} |${ZONE} )(?:${DAY} )?${MONTH}  ?${D} ${TIME}${FRACTION}(?: \d{4})?`,
  // TAI64N (multilog)
  String.raw`@[0-9a-f]{24}`,
];

const DEFAULT_TEMPLATES = TEMPLATES.map((t) => new RE2(t));
/** Which default templates a line holds, in one pass: only those then run to find where. */
const ANY_TEMPLATE = new RE2.Set(TEMPLATES);

/** How far into a line a date is looked for (fail2ban's stamps lead or follow a short prefix). */
const DATE_SEARCH_CHARS = 160;

/** strftime directives as fail2ban's strptime reads them (the `%Ex` forms are the exact-width ones). */
const DIRECTIVES: Readonly<Record<string, string>> = {
  a: DAY,
  A: DAY,
  b: MONTH,
  B: MONTH,
  d: D,
  e: String.raw` ?\d{1,2}`,
  m: D,
  y: String.raw`\d{2}`,
  Y: String.raw`\d{4}`,
  H: D,
  k: String.raw` ?\d{1,2}`,
  I: D,
  l: String.raw` ?\d{1,2}`,
  M: String.raw`\d{2}`,
  S: String.raw`\d{2}`,
  f: String.raw`\d+`,
  p: '[AaPp][Mm]',
  z: ZONE,
  Z: '[A-Z]{3,5}',
  j: String.raw`\d{1,3}`,
  s: String.raw`\d{9,11}`,
  ExY: String.raw`\d{4}`,
  Exy: String.raw`\d{2}`,
  Exm: String.raw`\d{2}`,
  Exd: String.raw`\d{2}`,
  ExH: String.raw`\d{2}`,
  ExM: String.raw`\d{2}`,
  ExS: String.raw`\d{2}`,
  Exb: MONTH,
};

/** A filter's own date patterns: undefined for fail2ban's defaults, [] for `{NONE}` (no date cut). */
export type DatePatterns = RE2[] | undefined;

/**
 * A filter's `datepattern` (one pattern per line) as re2 patterns:
 * strftime directives, `{DATE}` (the default templates), `{^LN-BEG}`
 * (start of line), `EPOCH`, `TAI64N`, `{NONE}`. Undefined when it is only
 * `{^LN-BEG}` (the defaults) or cannot be read (the defaults then).
 */
export function compileDatePattern(datepattern: string | undefined): DatePatterns {
  if (datepattern === undefined) return undefined;
  const out: RE2[] = [];
  for (let line of datepattern.split('\n').map((l) => l.trim())) {
    if (line === '' || line === '{^LN-BEG}') continue;
    if (/^\{NONE\}$/i.test(line)) return [];
    // fail2ban's line start allows two leading non-word characters (`[`), which stay in the line.
    if (line.startsWith('{^LN-BEG}')) line = `^\\W{0,2}(${line.slice('{^LN-BEG}'.length)})`;
    line = line.replace(/L?EPOCH|Epoch/g, String.raw`\d{9,11}(?:\.\d{3,6})?`).replace(/TAI64N/g, '@[0-9a-f]{24}');
    line = line.replace(/\{DATE\}/g, `(?:${TEMPLATES.map((t) => t.replace(/^\^/, '')).join('|')})`);
    // The separator fail2ban captures once and repeats: any of them each time (a date cut, not a verdict).
    line = line.replace(/\(\?P<_sep>(\[[^\]]*\])\)/g, '$1').replace(/\(\?P=_sep\)/g, '[-/.]');
    line = line.replace(/%(Ex[YymdHMSb]|[a-zA-Z%])/g, (whole, d: string) =>
      d === '%' ? '%' : (DIRECTIVES[d] ?? whole),
    );
    try {
      out.push(new RE2(line));
    } catch {
      return undefined;
    }
  }
  return out.length === 0 ? undefined : out;
}

/**
 * The line less its date, as fail2ban joins the parts around it; the line
 * itself when it has none. With the filter's own patterns, the first that
 * matches (its first group when it has one, as fail2ban cuts only that);
 * else the default templates.
 */
export function withoutDate(line: string, patterns?: DatePatterns): string {
  const head = line.length > DATE_SEARCH_CHARS ? line.slice(0, DATE_SEARCH_CHARS) : line;
  if (patterns !== undefined) {
    for (const p of patterns) {
      const m = p.exec(head);
      if (!m) continue;
      const group = m[1];
      if (group !== undefined && group !== '') {
        const at = m.index + m[0].indexOf(group);
        return line.slice(0, at) + line.slice(at + group.length);
      }
      return line.slice(0, m.index) + line.slice(m.index + m[0].length);
    }
    return line;
  }
  const stamp = stampAt(head);
  return stamp === undefined ? withoutTemplateDate(line, head) : line.slice(0, stamp.at) + line.slice(stamp.end);
}

const MONTH_NAMES = new Set(['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']);

function isDigit(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return c >= 48 && c <= 57;
}

/** End of the run of at most `most` digits at `i` (`i` when there is none). */
function digitsTo(text: string, i: number, most: number): number {
  let end = i;
  while (end - i < most && isDigit(text, end)) end++;
  return end;
}

/** End of `MONTH` (`Jan`, `January`) at `i`, or -1. */
function monthEnd(text: string, i: number): number {
  if (!MONTH_NAMES.has(text.slice(i, i + 3))) return -1;
  let end = i + 3;
  while (text.charCodeAt(end) >= 97 && text.charCodeAt(end) <= 122) end++; // `[a-z]*`
  return end;
}

/** End of `TIME FRACTION` (`21:59:59`, `21:59:59.011`) at `i`, or -1. */
function timeEnd(text: string, i: number): number {
  const hourEnd = digitsTo(text, i, 2);
  if (hourEnd === i) return -1;
  for (const colon of [hourEnd, hourEnd + 3]) {
    if (text.charCodeAt(colon) !== 58 || !isDigit(text, colon + 1) || !isDigit(text, colon + 2)) return -1;
  }
  const end = hourEnd + 6;
  const c = text.charCodeAt(end);
  return (c === 46 || c === 44) && isDigit(text, end + 1) ? digitsTo(text, end + 1, Infinity) : end;
}

/** End of `ZONE` (`Z`, `UTC`, `GMT`, `+01`, `+0100`, `+01:00`) at `i`, or -1. */
function zoneEnd(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === 90) return i + 1;
  if (text.startsWith('UTC', i) || text.startsWith('GMT', i)) return i + 3;
  if ((c !== 43 && c !== 45) || digitsTo(text, i + 1, 2) !== i + 3) return -1;
  const colon = text.charCodeAt(i + 3) === 58 ? 1 : 0;
  return digitsTo(text, i + 3 + colon, 2) === i + 5 + colon ? i + 5 + colon : i + 3;
}

/** `Jan  1 00:00:00[.fff][ YYYY]` (the second template) at `i`: its end, or -1. */
function syslogEnd(text: string, i: number): number {
  let at = monthEnd(text, i);
  if (at < 0 || text.charCodeAt(at) !== 32) return -1;
  at += text.charCodeAt(at + 1) === 32 ? 2 : 1;
  const dayEnd = digitsTo(text, at, 2);
  if (dayEnd === at || text.charCodeAt(dayEnd) !== 32) return -1;
  const end = timeEnd(text, dayEnd + 1);
  if (end < 0) return -1;
  return text.charCodeAt(end) === 32 && digitsTo(text, end + 1, 4) === end + 5 ? end + 5 : end;
}

/** `2005-01-23T21:59:59[.fff][ ZONE]` (the first template) at `i`: its end, or -1. */
function isoEnd(text: string, i: number): number {
  if (digitsTo(text, i, 4) !== i + 4) return -1;
  const sep = text.charCodeAt(i + 4);
  if (sep !== 45 && sep !== 47 && sep !== 46) return -1;
  const monthTo = digitsTo(text, i + 5, 2);
  if (monthTo === i + 5 || text.charCodeAt(monthTo) !== sep) return -1;
  let at = digitsTo(text, monthTo + 1, 2);
  if (at === monthTo + 1) return -1;
  if (text.charCodeAt(at) === 84) at++;
  else if (text.charCodeAt(at) === 32) at += text.charCodeAt(at + 1) === 32 ? 2 : 1;
  else return -1;
  const end = timeEnd(text, at);
  if (end < 0) return -1;
  let zone = end;
  while (zone < text.length && ' \t\n\f\r'.includes(text[zone]!)) zone++; // `\s*`
  const zoned = zoneEnd(text, zone);
  return zoned < 0 ? end : zoned;
}

/** `01/Jan/2005:21:59:59[.fff][ ZONE]` (CLF, the fifth template in its `/` form) at `i`: its end, or -1. */
function clfEnd(text: string, i: number): number {
  const dayEnd = digitsTo(text, i, 2);
  if (dayEnd === i || text.charCodeAt(dayEnd) !== 47) return -1;
  const month = monthEnd(text, dayEnd + 1);
  if (month < 0 || text.charCodeAt(month) !== 47 || digitsTo(text, month + 1, 4) !== month + 5) return -1;
  const c = text.charCodeAt(month + 5);
  if (c !== 58 && c !== 32) return -1;
  const end = timeEnd(text, month + 6);
  if (end < 0) return -1;
  const zoned = text.charCodeAt(end) === 32 ? zoneEnd(text, end + 1) : -1;
  return zoned < 0 ? end : zoned;
}

/** Where an access line's stamp starts when the line opens `IPV4 - - [` (no template can match before it), else -1. */
function clfStampStart(text: string): number {
  let at = 0;
  for (let octet = 0; octet < 4; octet++) {
    const end = digitsTo(text, at, 3);
    if (end === at || text.charCodeAt(end) !== (octet < 3 ? 46 : 32)) return -1;
    at = end + 1;
  }
  return text.startsWith('- - [', at) ? at + 5 : -1;
}

/**
 * The date of the line shapes most logs hold, read by hand: a syslog or
 * ISO-8601 stamp at the start (or ISO after a leading `[`, as Python's
 * logging writes it), or an access line's `[01/Jan/2005:...]` after
 * `IPV4 - - `. In each, no default template can match before the stamp, and
 * none other matches where it starts, so this is the cut the templates make,
 * without the RE2.Set pass. Undefined for any other line.
 */
function stampAt(head: string): { at: number; end: number } | undefined {
  const c = head.charCodeAt(0);
  if (c >= 65 && c <= 90) {
    const end = syslogEnd(head, 0);
    return end < 0 ? undefined : { at: 0, end };
  }
  const iso = c === 91 ? 1 : 0;
  let end = isoEnd(head, iso);
  if (end >= 0) return { at: iso, end };
  const at = clfStampStart(head);
  end = at < 0 ? -1 : clfEnd(head, at);
  return end < 0 ? undefined : { at, end };
}

/**
 * {@link withoutDate} by fail2ban's default templates alone (`head`: the part
 * of `line` searched): the stamp that starts first, the longest of those
 * (`PDT Apr 16 21:05:29` over `Apr 16 21:05:29`). Exported for the test that
 * holds the hand-read syslog stamp to it.
 */
export function withoutTemplateDate(line: string, head = line.slice(0, DATE_SEARCH_CHARS)): string {
  let at = -1;
  let length = 0;
  for (const i of ANY_TEMPLATE.match(head).sort((a, b) => a - b)) {
    const m = DEFAULT_TEMPLATES[i]!.exec(head);
    if (m && (at < 0 || m.index < at || (m.index === at && m[0].length > length))) {
      at = m.index;
      length = m[0].length;
    }
  }
  return at < 0 ? line : line.slice(0, at) + line.slice(at + length);
}
