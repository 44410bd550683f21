/**
 * The level an application writes inside a plain syslog message: the syslog
 * header carries none, so without it a daemon's ERROR would score as info.
 * Each shape is the program's own layout, read by hand from the front of the
 * message (a few character checks; no regular expression):
 *
 * - gunicorn `[stamp] [pid] [ERROR] ...`, uWSGI and others `[stamp] [LEVEL]`;
 * - php-fpm `[stamp] WARNING: [pool www] ...`, Python's default
 *   `ERROR:django.request:...`: an upper-case level word and a colon;
 * - PostgreSQL (`log_destination = syslog`): `[3-1] prefix ERROR:  ...`;
 * - Postfix's `warning: `, `error: `, `fatal: `, `panic: ` (msg_warn and its kin);
 * - MySQL 8 `stamp thread [Warning] [MY-010055] ...`, MariaDB `stamp thread [ERROR] ...`;
 * - Redis `pid:role dd Mon yyyy hh:mm:ss.mmm # ...` (`.` debug, `-` verbose, `*` notice, `#` warning);
 * - Docker and containerd (logrus): `time="..." level=error msg="..."`.
 */
import type { Level } from '../core/event';
import { levelOf } from './formats/types';

/** How far into a message a level may sit (prefixes are short; messages may be megabytes). */
const SCAN_LIMIT = 256;

/** The level inside `message` for an event of `service`, or undefined. */
export function embeddedLevel(service: string | undefined, message: string): Level | undefined {
  switch (service) {
    case 'redis':
      return redisLevel(message);
    case 'docker':
      return logfmtLevel(message);
    case 'mysql':
      return firstBracketedLevel(message);
    case 'postgresql':
      return postgresLevel(message);
    case 'postfix':
      return postfixLevel(message);
    default:
      return leadingLevel(message);
  }
}

const isUpper = (c: number) => c >= 65 && c <= 90;
const isLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/** A level word in `text` from `start` to `end` (letters only, at most 9 of them), or undefined. */
function wordLevel(text: string, start: number, end: number): Level | undefined {
  if (end - start < 3 || end - start > 9) return undefined;
  for (let i = start; i < end; i++) if (!isLetter(text.charCodeAt(i))) return undefined;
  return levelOf(text.slice(start, end));
}

/** Up to three leading `[...] ` groups, each a level or skipped, then an upper-case `LEVEL:` word. */
function leadingLevel(text: string): Level | undefined {
  let i = 0;
  for (let group = 0; group < 3 && text.charCodeAt(i) === 91; group++) {
    const close = text.indexOf(']', i);
    if (close < 0 || close > SCAN_LIMIT) return undefined;
    const level = wordLevel(text, i + 1, close);
    if (level) return level;
    i = close + 1;
    if (text.charCodeAt(i) === 32) i++;
  }
  let end = i;
  while (end - i <= 9 && isUpper(text.charCodeAt(end))) end++;
  return text.charCodeAt(end) === 58 ? wordLevel(text, i, end) : undefined;
}

/** The first `[Word]` group within the first few tokens (MySQL, MariaDB). */
function firstBracketedLevel(text: string): Level | undefined {
  const open = text.indexOf(' [');
  if (open < 0 || open > 64) return undefined;
  const close = text.indexOf(']', open + 2);
  return close < 0 ? undefined : wordLevel(text, open + 2, close);
}

/** PostgreSQL's `LEVEL:  ` (two spaces) after its prefix. */
function postgresLevel(text: string): Level | undefined {
  const colon = text.indexOf(':  ');
  if (colon < 0 || colon > SCAN_LIMIT) return undefined;
  let start = colon;
  while (start > 0 && isUpper(text.charCodeAt(start - 1))) start--;
  if (start > 0 && text.charCodeAt(start - 1) !== 32 && text.charCodeAt(start - 1) !== 93) return undefined;
  return wordLevel(text, start, colon);
}

/** Postfix's lower-case severity prefix (`warning: unknown[192.0.2.1]: SASL ...`). */
function postfixLevel(text: string): Level | undefined {
  const colon = text.indexOf(': ');
  return colon > 0 && colon <= 7 ? wordLevel(text, 0, colon) : undefined;
}

const REDIS_MARKS: Readonly<Record<string, Level>> = { '.': 'debug', '-': 'debug', '*': 'notice', '#': 'warning' };

/** The mark after Redis's `pid:role dd Mon yyyy hh:mm:ss.mmm` (the sixth token). */
function redisLevel(text: string): Level | undefined {
  const role = text.indexOf(':');
  if (role < 1 || role > 10 || text.charCodeAt(role + 2) !== 32) return undefined;
  let at = role + 2;
  for (let token = 0; token < 4; token++) {
    at = text.indexOf(' ', at + 1);
    if (at < 0 || at > 64) return undefined;
  }
  return text.charCodeAt(at + 2) === 32 ? REDIS_MARKS[text.charAt(at + 1)] : undefined;
}

/** logrus's `level=word` (Docker, containerd), at the start or after a space. */
function logfmtLevel(text: string): Level | undefined {
  const at = text.indexOf('level=');
  if (at < 0 || at > SCAN_LIMIT || (at > 0 && text.charCodeAt(at - 1) !== 32)) return undefined;
  const start = at + 6;
  let end = start;
  while (end - start <= 9 && isLetter(text.charCodeAt(end))) end++;
  return wordLevel(text, start, end);
}
