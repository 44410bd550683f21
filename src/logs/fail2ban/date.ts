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
  const stamp = leadingSyslogStamp(head);
  return stamp > 0 ? line.slice(stamp) : withoutTemplateDate(line, head);
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

/**
 * The length of the syslog stamp a line starts with (`Jan  1 00:00:00`, then
 * a fraction or a year when they follow), read by hand; 0 when the line does
 * not start so. No other default template can match at the start of such a
 * line, so this is the cut the templates would make (the syslog lines most
 * logs hold, without the RE2.Set pass).
 */
function leadingSyslogStamp(head: string): number {
  if (!MONTH_NAMES.has(head.slice(0, 3))) return 0;
  let i = 3;
  while (head.charCodeAt(i) >= 97 && head.charCodeAt(i) <= 122) i++; // `[a-z]*`: `January`
  if (head.charCodeAt(i) !== 32) return 0;
  i += head.charCodeAt(i + 1) === 32 ? 2 : 1;
  const dayEnd = digitsTo(head, i, 2);
  if (dayEnd === i || head.charCodeAt(dayEnd) !== 32) return 0;
  i = dayEnd + 1;
  const hourEnd = digitsTo(head, i, 2);
  if (hourEnd === i) return 0;
  for (const colon of [hourEnd, hourEnd + 3]) {
    if (head.charCodeAt(colon) !== 58 || !isDigit(head, colon + 1) || !isDigit(head, colon + 2)) return 0;
  }
  i = hourEnd + 6;
  const c = head.charCodeAt(i);
  if ((c === 46 || c === 44) && isDigit(head, i + 1)) i = digitsTo(head, i + 1, Infinity);
  if (head.charCodeAt(i) === 32 && digitsTo(head, i + 1, 4) === i + 5) i += 5;
  return i;
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
