/**
 * Timestamp parsing for log headers. Hand-written scanners for the shapes real
 * logs use (syslog, ISO-8601/RFC 3339, CLF, Apache error, nginx error, Python
 * logging, PostgreSQL, epoch numbers); chrono-node only when none applies.
 *
 * Every scanner reads from a position in the line and returns the epoch
 * milliseconds plus how many characters the timestamp took, so format parsers
 * can continue after it without slicing.
 */
import type * as Chrono from 'chrono-node';

/** Where year-less and zone-less timestamps are anchored. */
export interface TimeOptions {
  /**
   * Zone for timestamps that carry no offset: `local` (the process zone, the
   * default), `UTC`, a fixed offset (`+01:00`, `-0500`) or an IANA name
   * (`Europe/Paris`).
   */
  timezone?: string;
  /**
   * Year-less syslog dates resolve against this date (epoch ms): the first line
   * takes this year, or the year before when it would lie in the future. Default:
   * the file's mtime when known, else now.
   */
  referenceDate?: number;
}

/** A scanned timestamp: epoch ms and the number of characters consumed. */
export interface Scanned {
  time: number;
  length: number;
}

const MONTHS: Readonly<Record<string, number>> = {
  Jan: 0,
  Feb: 1,
  Mar: 2,
  Apr: 3,
  May: 4,
  Jun: 5,
  Jul: 6,
  Aug: 7,
  Sep: 8,
  Oct: 9,
  Nov: 10,
  Dec: 11,
};

const DAY_MS = 86_400_000;

let chronoModule: typeof Chrono | undefined;
/** chrono-node, loaded on first use: it is a fallback most runs never reach, and loading it costs ~60 ms of start-up. */
function chrono(): typeof Chrono {
  return (chronoModule ??= require('chrono-node') as typeof Chrono);
}

function digit(text: string, i: number): number {
  const c = text.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
}

/** Reads exactly `n` digits at `i`, or -1. */
function digits(text: string, i: number, n: number): number {
  let value = 0;
  for (let k = 0; k < n; k++) {
    const d = digit(text, i + k);
    if (d < 0) return -1;
    value = value * 10 + d;
  }
  return value;
}

/** Month index of a three-letter English abbreviation at `i`, or -1. */
function monthAt(text: string, i: number): number {
  return MONTHS[text.slice(i, i + 3)] ?? -1;
}

/** Reads `.123456` / `,123` at `i`: milliseconds (with fraction) and length, or undefined. */
function fraction(text: string, i: number): { ms: number; length: number } | undefined {
  const sep = text.charCodeAt(i);
  if (sep !== 46 && sep !== 44) return undefined;
  let n = 0;
  let ms = 0;
  let scale = 100;
  while (n < 9 && digit(text, i + 1 + n) >= 0) {
    ms += digit(text, i + 1 + n) * scale;
    scale /= 10;
    n++;
  }
  return n === 0 ? undefined : { ms, length: n + 1 };
}

/** Reads `Z`, `+01:00`, `+0100`, `+01` at `i`: offset in minutes and length, or undefined. */
function offsetAt(text: string, i: number): { minutes: number; length: number } | undefined {
  const c = text.charCodeAt(i);
  if (c === 90 /* Z */) return { minutes: 0, length: 1 };
  if (c !== 43 && c !== 45) return undefined;
  const sign = c === 45 ? -1 : 1;
  const hh = digits(text, i + 1, 2);
  if (hh < 0 || hh > 14) return undefined;
  if (text.charCodeAt(i + 3) === 58) {
    const mm = digits(text, i + 4, 2);
    return mm < 0 ? undefined : { minutes: sign * (hh * 60 + mm), length: 6 };
  }
  const mm = digits(text, i + 3, 2);
  if (mm >= 0) return { minutes: sign * (hh * 60 + mm), length: 5 };
  return { minutes: sign * hh * 60, length: 3 };
}

const zoneFormatters = new Map<string, Intl.DateTimeFormat | null>();

function zoneFormatter(zone: string): Intl.DateTimeFormat | null {
  let formatter = zoneFormatters.get(zone);
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      formatter = null;
    }
    zoneFormatters.set(zone, formatter);
  }
  return formatter;
}

/** Offset (ms) of an IANA zone at the instant `utc`. */
function zoneOffset(formatter: Intl.DateTimeFormat, utc: number): number {
  const parts: Record<string, number> = {};
  for (const part of formatter.formatToParts(utc)) parts[part.type] = Number(part.value);
  const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return wall - Math.floor(utc / 1000) * 1000;
}

/** Whether a timezone option is understood (`local`, `UTC`, an offset or an IANA name). */
export function isValidTimezone(zone: string): boolean {
  if (zone === 'local' || zone === 'UTC') return true;
  const offset = offsetAt(zone, 0);
  if (offset && offset.length === zone.length) return true;
  return zoneFormatter(zone) !== null;
}

/** Days from 1970-01-01 to the first of `month` (1-12) of `year` (proleptic Gregorian; H. Hinnant's days_from_civil). */
function daysToMonth(year: number, month: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5);
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/**
 * `Date.UTC` by arithmetic for years 1970-9999 (the builtin costs as much as
 * the rest of a syslog stamp); the builtin elsewhere. Equal to it for every
 * argument: each component counts linearly, as in the specification's MakeDay
 * and MakeTime, which truncate each to an integer.
 */
export function utcMs(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  ms = 0,
): number {
  if (!(
    Number.isInteger(year) &&
    Number.isInteger(month) &&
    year >= 1970 &&
    year <= 9999 &&
    month >= 0 &&
    month <= 11
  )) {
    return Date.UTC(year, month, day, hour, minute, second, ms);
  }
  const days = daysToMonth(year, month + 1) + Math.trunc(day) - 1;
  const t =
    (((days * 24 + Math.trunc(hour)) * 60 + Math.trunc(minute)) * 60 + Math.trunc(second)) * 1000 + Math.trunc(ms);
  // TimeClip: beyond ±8.64e15 ms (or not finite) there is no date.
  return Math.abs(t) <= 8.64e15 ? t : NaN;
}

/**
 * Epoch ms of a wall-clock time in `zone` (see {@link TimeOptions.timezone}).
 * Month is 0-based. An unknown zone falls back to local time.
 */
export function wallClock(
  zone: string | undefined,
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  ms = 0,
): number {
  if (zone === undefined || zone === 'local') return new Date(year, month, day, hour, minute, second, ms).getTime();
  const utc = utcMs(year, month, day, hour, minute, second, ms);
  if (zone === 'UTC') return utc;
  const fixed = offsetAt(zone, 0);
  if (fixed && fixed.length === zone.length) return utc - fixed.minutes * 60_000;
  const formatter = zoneFormatter(zone);
  if (formatter === null) return new Date(year, month, day, hour, minute, second, ms).getTime();
  // Two passes settle the offset across a DST change.
  let guess = utc - zoneOffset(formatter, utc);
  guess = utc - zoneOffset(formatter, guess);
  return guess;
}

/** A month/day/time with no year, as syslog RFC 3164 writes it. */
export interface YearlessStamp {
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  ms: number;
  length: number;
}

/**
 * Scans `Mmm dd hh:mm:ss` (day space- or zero-padded or bare, optional
 * fraction) at `start`.
 */
export function scanSyslogStamp(text: string, start = 0): YearlessStamp | undefined {
  const month = monthAt(text, start);
  if (month < 0 || text.charCodeAt(start + 3) !== 32) return undefined;
  let i = start + 4;
  if (text.charCodeAt(i) === 32) i++;
  let day = digit(text, i);
  if (day < 0) return undefined;
  i++;
  const d2 = digit(text, i);
  if (d2 >= 0) {
    day = day * 10 + d2;
    i++;
  }
  if (day < 1 || day > 31 || text.charCodeAt(i) !== 32) return undefined;
  i++;
  const hour = digits(text, i, 2);
  const minute = digits(text, i + 3, 2);
  const second = digits(text, i + 6, 2);
  if (hour < 0 || minute < 0 || second < 0 || text.charCodeAt(i + 2) !== 58 || text.charCodeAt(i + 5) !== 58) {
    return undefined;
  }
  if (hour > 23 || minute > 59 || second > 60) return undefined;
  i += 8;
  const frac = fraction(text, i);
  if (frac) i += frac.length;
  return { month, day, hour, minute, second, ms: frac?.ms ?? 0, length: i - start };
}

/**
 * Gives year-less syslog stamps a year, per source. The first stamp takes the
 * reference year (the year before when it would be more than a day after the
 * reference); later stamps keep the running year, which rolls forward when the
 * date falls back by more than a week (December to January) and back when it
 * leaps forward by more than 300 days (a merged file going back over New Year).
 */
export class SyslogYear {
  private year: number | undefined;
  private previous = 0;

  constructor(
    private readonly referenceDate: number,
    private readonly timezone: string | undefined,
  ) {}

  /** Epoch ms of `stamp`, with its year inferred. */
  resolve(stamp: YearlessStamp): number {
    let time: number;
    if (this.year === undefined) {
      const refYear = new Date(this.referenceDate).getUTCFullYear();
      this.year = refYear;
      time = this.at(refYear, stamp);
      if (time > this.referenceDate + DAY_MS) {
        this.year = refYear - 1;
        time = this.at(this.year, stamp);
      }
    } else {
      time = this.at(this.year, stamp);
      if (time < this.previous - 7 * DAY_MS) {
        this.year++;
        time = this.at(this.year, stamp);
      } else if (time > this.previous + 300 * DAY_MS) {
        this.year--;
        time = this.at(this.year, stamp);
      }
    }
    this.previous = time;
    return time;
  }

  /** Epoch ms of `stamp` in `year` (a method, not a closure: this runs on every syslog line). */
  private at(year: number, stamp: YearlessStamp): number {
    return wallClock(this.timezone, year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second, stamp.ms);
  }
}

/**
 * Scans ISO-8601 / RFC 3339 at `start`: `YYYY-MM-DD[T ]hh:mm:ss[.frac][Z|±hh:mm]`,
 * also `YYYY/MM/DD hh:mm:ss` (nginx error) and a trailing ` UTC`/` GMT` or
 * ` ±hhmm` (PostgreSQL, gunicorn). Without an offset, `zone` applies.
 */
export function scanIso(text: string, start: number, zone: string | undefined): Scanned | undefined {
  const year = digits(text, start, 4);
  const sep = text.charCodeAt(start + 4);
  if (year < 0 || (sep !== 45 && sep !== 47) || text.charCodeAt(start + 7) !== sep) return undefined;
  const month = digits(text, start + 5, 2);
  const day = digits(text, start + 8, 2);
  const t = text.charCodeAt(start + 10);
  if (month < 1 || month > 12 || day < 1 || day > 31 || (t !== 84 && t !== 32)) return undefined;
  let i = start + 11;
  const hour = digits(text, i, 2);
  const minute = digits(text, i + 3, 2);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || text.charCodeAt(i + 2) !== 58) return undefined;
  i += 5;
  let second = 0;
  if (text.charCodeAt(i) === 58) {
    second = digits(text, i + 1, 2);
    if (second < 0 || second > 60) return undefined;
    i += 3;
  }
  let ms = 0;
  const frac = fraction(text, i);
  if (frac) {
    ms = frac.ms;
    i += frac.length;
  }
  let offset = offsetAt(text, i);
  if (!offset && text.charCodeAt(i) === 32) {
    const word = text.slice(i + 1, i + 4);
    if ((word === 'UTC' || word === 'GMT') && !isWordChar(text.charCodeAt(i + 4))) {
      offset = { minutes: 0, length: 4 };
    } else {
      const spaced = offsetAt(text, i + 1);
      if (spaced && spaced.length >= 5 && !isWordChar(text.charCodeAt(i + 1 + spaced.length))) {
        offset = { minutes: spaced.minutes, length: spaced.length + 1 };
      }
    }
  }
  let time: number;
  if (offset) {
    time = utcMs(year, month - 1, day, hour, minute, second, 0) - offset.minutes * 60_000 + ms;
    i += offset.length;
  } else {
    time = wallClock(zone, year, month - 1, day, hour, minute, second) + ms;
  }
  return { time, length: i - start };
}

function isWordChar(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
}

/** Scans the Common Log Format stamp `10/Oct/2000:13:55:36 -0700` (no brackets) at `start`. */
export function scanClf(text: string, start: number, zone: string | undefined): Scanned | undefined {
  const day = digits(text, start, 2);
  const month = monthAt(text, start + 3);
  const year = digits(text, start + 7, 4);
  if (day < 1 || month < 0 || year < 0 || text.charCodeAt(start + 2) !== 47 || text.charCodeAt(start + 6) !== 47) {
    return undefined;
  }
  const i = start + 12;
  const hour = digits(text, i, 2);
  const minute = digits(text, i + 3, 2);
  const second = digits(text, i + 6, 2);
  if (hour < 0 || minute < 0 || second < 0 || text.charCodeAt(start + 11) !== 58) return undefined;
  let end = i + 8;
  let ms = 0;
  const frac = fraction(text, end);
  if (frac) {
    ms = frac.ms;
    end += frac.length;
  }
  const offset = text.charCodeAt(end) === 32 ? offsetAt(text, end + 1) : undefined;
  if (offset) {
    return {
      time: utcMs(year, month, day, hour, minute, second) - offset.minutes * 60_000 + ms,
      length: end + 1 + offset.length - start,
    };
  }
  return { time: wallClock(zone, year, month, day, hour, minute, second) + ms, length: end - start };
}

/** Scans the Apache error-log stamp `Wed Oct 11 14:32:52[.123456] 2000` (no brackets) at `start`. */
export function scanApacheError(text: string, start: number, zone: string | undefined): Scanned | undefined {
  if (text.charCodeAt(start + 3) !== 32) return undefined;
  const stamp = scanSyslogStamp(text, start + 4);
  if (!stamp) return undefined;
  const i = start + 4 + stamp.length;
  const year = text.charCodeAt(i) === 32 ? digits(text, i + 1, 4) : -1;
  if (year < 0) return undefined;
  return {
    time: wallClock(zone, year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second) + stamp.ms,
    length: i + 5 - start,
  };
}

/**
 * Scans a MySQL / MariaDB error-log stamp at 0: `130324  0:04:00` (5.5 and
 * older: YYMMDD, hour padded with a space), `2015-10-07  8:25:38` (MariaDB,
 * 5.6), or RFC 3339 (5.7 and later, `2019-01-03T08:50:04.634875Z`).
 */
export function scanMysqlStamp(text: string, zone: string | undefined): Scanned | undefined {
  if (text.charCodeAt(10) === 84) return scanIso(text, 0, zone);
  let year: number;
  let month: number;
  let day: number;
  let i: number;
  if (text.charCodeAt(4) === 45 && text.charCodeAt(7) === 45) {
    year = digits(text, 0, 4);
    month = digits(text, 5, 2);
    day = digits(text, 8, 2);
    i = 10;
  } else {
    const ymd = digits(text, 0, 6);
    if (ymd < 0) return undefined;
    year = 2000 + Math.floor(ymd / 10000);
    month = Math.floor(ymd / 100) % 100;
    day = ymd % 100;
    i = 6;
  }
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || text.charCodeAt(i) !== 32) return undefined;
  i++;
  if (text.charCodeAt(i) === 32) i++;
  const hour = digit(text, i + 1) >= 0 ? digits(text, i, 2) : digit(text, i);
  if (hour < 0 || hour > 23) return undefined;
  i += digit(text, i + 1) >= 0 ? 2 : 1;
  const minute = text.charCodeAt(i) === 58 ? digits(text, i + 1, 2) : -1;
  const second = text.charCodeAt(i + 3) === 58 ? digits(text, i + 4, 2) : -1;
  if (minute < 0 || minute > 59 || second < 0 || second > 60) return undefined;
  return { time: wallClock(zone, year, month - 1, day, hour, minute, second), length: i + 6 };
}

/** Scans `11-Aug-2013 03:36:11.372` at 0: BIND's channel stamp (print-time yes) and Tomcat's (JULI OneLineFormatter). */
export function scanDayMonthYear(text: string, zone: string | undefined): Scanned | undefined {
  const day = digits(text, 0, 2);
  const month = monthAt(text, 3);
  const year = digits(text, 7, 4);
  if (day < 1 || day > 31 || month < 0 || year < 0 || text.charCodeAt(2) !== 45 || text.charCodeAt(6) !== 45) {
    return undefined;
  }
  const hour = digits(text, 12, 2);
  const minute = digits(text, 15, 2);
  const second = digits(text, 18, 2);
  if (text.charCodeAt(11) !== 32 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) {
    return undefined;
  }
  const frac = fraction(text, 20);
  return {
    time: wallClock(zone, year, month, day, hour, minute, second) + (frac?.ms ?? 0),
    length: 20 + (frac?.length ?? 0),
  };
}

/** Scans Redis's `05 Mar 2024 10:15:30.123` at `at` (its log file, since 3.0). */
export function scanRedisStamp(text: string, at: number, zone: string | undefined): Scanned | undefined {
  const day = digits(text, at, 2);
  const month = monthAt(text, at + 3);
  const year = digits(text, at + 7, 4);
  if (
    day < 1 ||
    day > 31 ||
    month < 0 ||
    year < 0 ||
    text.charCodeAt(at + 2) !== 32 ||
    text.charCodeAt(at + 6) !== 32
  ) {
    return undefined;
  }
  const i = at + 12;
  const hour = digits(text, i, 2);
  const minute = digits(text, i + 3, 2);
  const second = digits(text, i + 6, 2);
  if (
    text.charCodeAt(i - 1) !== 32 ||
    hour < 0 ||
    hour > 23 ||
    minute < 0 ||
    minute > 59 ||
    second < 0 ||
    second > 60
  ) {
    return undefined;
  }
  const frac = fraction(text, i + 8);
  return {
    time: wallClock(zone, year, month, day, hour, minute, second) + (frac?.ms ?? 0),
    length: i + 8 + (frac?.length ?? 0) - at,
  };
}

/** Value of `n` hex digits at `i`, or -1 (n <= 13, so the value stays exact). */
function hexDigits(text: string, i: number, n: number): number {
  let value = 0;
  for (let k = 0; k < n; k++) {
    const c = text.charCodeAt(i + k);
    const d = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
    if (d < 0) return -1;
    value = value * 16 + d;
  }
  return value;
}

/**
 * Scans a TAI64N label `@4000000037c219bf2ef02e94` at `start` (daemontools'
 * multilog, runit's `svlogd -t`): 2^62 + TAI seconds, then nanoseconds. Like
 * tai64nlocal, only the 10 s TAI offset of 1970 is taken off.
 */
export function scanTai64n(text: string, start: number): Scanned | undefined {
  if (text.charCodeAt(start) !== 64 || text.charCodeAt(start + 1) !== 52 || text.charCodeAt(start + 2) !== 48) {
    return undefined;
  }
  const high = hexDigits(text, start + 3, 5); // above 2^40 s: far past any log
  const seconds = hexDigits(text, start + 8, 9);
  const nanos = hexDigits(text, start + 17, 8);
  if (high !== 0 || seconds < 0 || nanos < 0 || nanos >= 1e9) return undefined;
  return { time: (seconds - 10) * 1000 + Math.floor(nanos / 1e6), length: 25 };
}

/**
 * Epoch ms of a number in seconds, milliseconds, microseconds or nanoseconds,
 * told apart by magnitude (journald's `__REALTIME_TIMESTAMP` is µs).
 */
export function fromEpoch(value: number): number | undefined {
  if (!Number.isFinite(value) || value < 0) return undefined;
  if (value < 1e11) return value * 1000;
  if (value < 1e14) return value;
  if (value < 1e17) return value / 1000;
  return value / 1e6;
}

/**
 * Any timestamp text: the fast scanners first (whole text), then epoch
 * numbers, then chrono-node. Undefined when nothing reads it.
 */
export function parseTimestamp(text: string, options: TimeOptions = {}): number | undefined {
  const s = text.trim();
  if (s === '') return undefined;
  const zone = options.timezone;
  const whole = (scanned: Scanned | undefined) => (scanned && scanned.length === s.length ? scanned.time : undefined);
  const fast =
    whole(scanIso(s, 0, zone)) ??
    whole(s.charCodeAt(0) === 91 ? shift(scanClf(s, 1, zone) ?? scanApacheError(s, 1, zone), 2) : undefined) ??
    whole(scanClf(s, 0, zone)) ??
    whole(scanApacheError(s, 0, zone));
  if (fast !== undefined) return fast;
  // A date alone (`--reference-date 2025-12-31`): its noon, as chrono-node reads it, without loading chrono-node.
  if (s.length === 10) {
    const noon = scanIso(`${s} 12:00`, 0, zone);
    if (noon && noon.length === 16) return noon.time;
  }
  const stamp = scanSyslogStamp(s, 0);
  if (stamp && stamp.length === s.length) {
    return new SyslogYear(options.referenceDate ?? Date.now(), zone).resolve(stamp);
  }
  if (s.length <= 20 && isNumeric(s)) return fromEpoch(Number(s));
  if (s.length > 200) return undefined;
  const parsed = chrono().parseDate(
    s,
    options.referenceDate === undefined ? undefined : new Date(options.referenceDate),
  );
  return parsed ? parsed.getTime() : undefined;
}

function shift(scanned: Scanned | undefined, by: number): Scanned | undefined {
  return scanned ? { time: scanned.time, length: scanned.length + by } : undefined;
}

function isNumeric(s: string): boolean {
  let dots = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) dots++;
    else if (c < 48 || c > 57) return false;
  }
  return dots <= 1 && s !== '.';
}
