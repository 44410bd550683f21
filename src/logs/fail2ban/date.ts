/**
 * The date fail2ban cuts out of a line before its patterns run (its filters
 * are written for the line without it: `[Wed Oct 11 14:32:52 2000] [error]`
 * becomes `[] [error]`). One re2 alternation of the stamps fail2ban's default
 * date templates read, found from the start of the line.
 */
import RE2 from 're2';

const MONTH = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*';
const DAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*';
const TIME = String.raw`\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?`;
const ZONE = String.raw`(?:\s*(?:Z|UTC|GMT|[+-]\d{2}:?\d{2}|[A-Z]{3,4}))?`;

const TEMPLATES = [
  // ISO 8601 and its variants (2005-01-23T21:59:59.123+02:00, 2005/01/23 21:59:59)
  String.raw`\d{4}[-/.]\d{1,2}[-/.]\d{1,2}[T ]${TIME}${ZONE}`,
  // Apache's error log and ctime: Wed Jan 23 21:59:59.123456 2005
  String.raw`${DAY} ${MONTH} ?\s?\d{1,2} ${TIME} \d{4}`,
  // syslog: Jan 23 21:59:59 (with an optional year after)
  String.raw`(?:${DAY} )?${MONTH} ?\s?\d{1,2} ${TIME}(?: \d{4})?`,
  // access logs: 23/Jan/2005:21:59:59 +0100
  String.raw`\d{1,2}/${MONTH}/\d{4}:${TIME}(?: [+-]\d{4})?`,
  // 23-Jan-2005 21:59:59.123 (BIND), 23 Jan 2005 21:59:59
  String.raw`\d{1,2}[- ]${MONTH}[- ]\d{4}[ :]${TIME}${ZONE}`,
  // 01/23/2005 21:59:59, 23.01.2005 21:59:59
  String.raw`\d{1,2}[/.]\d{1,2}[/.]\d{2,4}[ ,]+${TIME}`,
  // MySQL: 050123 21:59:59
  String.raw`\d{6} {1,2}${TIME}`,
  // TAI64N (multilog)
  String.raw`@[0-9a-f]{24}`,
  // epoch seconds (1106513999.123)
  String.raw`\b1\d{9}(?:\.\d{3,6})?\b`,
];

const DATE = new RE2(`(?:${TEMPLATES.join('|')})`);

/** How far into a line a date is looked for (fail2ban's stamps lead or follow a short prefix). */
const DATE_SEARCH_CHARS = 160;

/** The line less its first date, as fail2ban joins the parts around it; the line itself when it has none. */
export function withoutDate(line: string): string {
  const head = line.length > DATE_SEARCH_CHARS ? line.slice(0, DATE_SEARCH_CHARS) : line;
  const m = DATE.exec(head);
  if (!m) return line;
  return line.slice(0, m.index) + line.slice(m.index + m[0].length);
}
