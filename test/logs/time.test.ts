import fc from 'fast-check';
import {
  SyslogYear,
  fromEpoch,
  isValidTimezone,
  parseTimestamp,
  scanApacheError,
  scanClf,
  scanIso,
  scanSyslogStamp,
  utcMs,
  wallClock,
} from '../../src/logs/time';

const iso = (t: number | undefined) => (t === undefined ? undefined : new Date(t).toISOString());

describe('fast timestamp scanners', () => {
  it.each([
    ['2025-01-02T03:04:05Z', '2025-01-02T03:04:05.000Z'],
    ['2025-01-02T03:04:05.123456+01:00', '2025-01-02T02:04:05.123Z'],
    ['2025-01-02T03:04:05-0500', '2025-01-02T08:04:05.000Z'],
    ['2025-01-02 03:04:05,123', '2025-01-02T03:04:05.123Z'],
    ['2025-01-02 03:04:05.123 UTC', '2025-01-02T03:04:05.123Z'],
    ['2025-01-02 03:04:05 +0100', '2025-01-02T02:04:05.000Z'],
    ['2012/04/09 11:53:29', '2012-04-09T11:53:29.000Z'],
  ])('reads ISO-8601 / RFC 3339 shape %s', (text, expected) => {
    const scanned = scanIso(text, 0, 'UTC');
    expect(iso(scanned?.time)).toBe(expected);
    expect(scanned?.length).toBe(text.length);
  });

  it('reads CLF with offset', () => {
    expect(iso(scanClf('10/Oct/2000:13:55:36 -0700', 0, 'UTC')?.time)).toBe('2000-10-10T20:55:36.000Z');
  });

  it('reads the Apache error stamp with microseconds', () => {
    const scanned = scanApacheError('Wed Oct 11 14:32:52.123456 2000', 0, 'UTC');
    expect(iso(scanned?.time)).toBe('2000-10-11T14:32:52.123Z');
    expect(scanned?.length).toBe(31);
  });

  it.each([
    ['Jan  5 01:31:41', { month: 0, day: 5, hour: 1, length: 15 }],
    ['Jul 05 18:22:44', { month: 6, day: 5, length: 15 }],
    ['Feb 7 16:01:07', { month: 1, day: 7, length: 14 }],
    ['Dec 31 23:59:59.250 x', { month: 11, day: 31, ms: 250, length: 19 }],
  ])('reads the syslog stamp %s', (text, expected) => {
    expect(scanSyslogStamp(text, 0)).toMatchObject(expected);
  });

  it.each(['Foo  5 01:31:41', 'Jan 32 01:31:41', 'Jan  5 25:31:41', 'Jan  5 1:31:41', ''])('rejects %j', (text) => {
    expect(scanSyslogStamp(text, 0)).toBeUndefined();
  });

  it('tells epoch seconds, milliseconds and microseconds apart', () => {
    expect(fromEpoch(1709633730)).toBe(1709633730000);
    expect(fromEpoch(1709633730120)).toBe(1709633730120);
    expect(fromEpoch(1709633730120000)).toBe(1709633730120);
    expect(fromEpoch(-1)).toBeUndefined();
  });
});

describe('utcMs', () => {
  it('equals Date.UTC on any components, in range or not', () => {
    const component = (min: number, max: number) =>
      fc.oneof({ weight: 4, arbitrary: fc.integer({ min, max }) }, fc.double({ min, max, noNaN: true }));
    fc.assert(
      fc.property(
        fc.oneof(
          { weight: 4, arbitrary: fc.integer({ min: 1960, max: 10_010 }) },
          fc.integer({ min: -5, max: 300 }),
          fc.double({ min: 1960, max: 2100, noNaN: true }),
        ),
        component(-2, 13),
        component(-40, 70),
        component(-30, 30),
        component(-70, 70),
        component(-70, 70),
        component(-2000, 2000),
        (...args: [number, number, number, number, number, number, number]) => {
          expect({ args, ms: utcMs(...args) }).toEqual({ args, ms: Date.UTC(...args) });
        },
      ),
      { numRuns: 20_000 },
    );
  });

  it('gives NaN past the last date, as Date.UTC does', () => {
    expect(utcMs(9999, 11, 1e9, 0, 0, 0)).toBeNaN();
    expect(utcMs(2025, 0, 1, Infinity, 0, 0)).toBeNaN();
    expect(utcMs(2025, 0, 1, NaN, 0, 0)).toBeNaN();
  });
});

describe('year inference for year-less syslog dates', () => {
  const stamp = (text: string) => scanSyslogStamp(text, 0)!;

  it('takes the reference year, or the year before when the date would be in the future', () => {
    const reference = Date.UTC(2005, 7, 14, 10);
    expect(iso(new SyslogYear(reference, 'UTC').resolve(stamp('Jun 21 16:47:48')))).toBe('2005-06-21T16:47:48.000Z');
    expect(iso(new SyslogYear(reference, 'UTC').resolve(stamp('Nov 28 09:16:03')))).toBe('2004-11-28T09:16:03.000Z');
  });

  it('rolls forward across New Year and never jumps back', () => {
    const year = new SyslogYear(Date.UTC(2024, 0, 2), 'UTC');
    const times = ['Dec 30 10:00:00', 'Dec 31 23:59:59', 'Jan  1 00:00:01', 'Jan  1 12:00:00'].map((s) =>
      year.resolve(stamp(s)),
    );
    expect(times.map(iso)).toEqual([
      '2023-12-30T10:00:00.000Z',
      '2023-12-31T23:59:59.000Z',
      '2024-01-01T00:00:01.000Z',
      '2024-01-01T12:00:00.000Z',
    ]);
  });

  it('rolls forward even when the reference is from the older year', () => {
    const year = new SyslogYear(Date.UTC(2023, 11, 31, 12), 'UTC');
    expect(iso(year.resolve(stamp('Dec 31 08:00:00')))).toBe('2023-12-31T08:00:00.000Z');
    expect(iso(year.resolve(stamp('Jan  1 00:10:00')))).toBe('2024-01-01T00:10:00.000Z');
  });

  it('tolerates slightly out-of-order lines without changing year', () => {
    const year = new SyslogYear(Date.UTC(2024, 5, 1), 'UTC');
    year.resolve(stamp('May 10 10:00:05'));
    expect(iso(year.resolve(stamp('May 10 10:00:01')))).toBe('2024-05-10T10:00:01.000Z');
  });
});

describe('timezones', () => {
  it('applies an IANA zone with its daylight-saving offset', () => {
    expect(iso(wallClock('Europe/Paris', 2005, 0, 5, 1, 31, 41))).toBe('2005-01-05T00:31:41.000Z');
    expect(iso(wallClock('Europe/Paris', 2005, 6, 5, 1, 31, 41))).toBe('2005-07-04T23:31:41.000Z');
  });

  it('applies a fixed offset and UTC', () => {
    expect(iso(wallClock('+05:30', 2024, 0, 1, 5, 30, 0))).toBe('2024-01-01T00:00:00.000Z');
    expect(iso(wallClock('UTC', 2024, 0, 1, 5, 30, 0))).toBe('2024-01-01T05:30:00.000Z');
  });

  it('knows which zones it understands', () => {
    expect(['local', 'UTC', '+01:00', '-0500', 'America/New_York'].map(isValidTimezone)).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(isValidTimezone('Mars/Olympus_Mons')).toBe(false);
  });
});

describe('parseTimestamp', () => {
  it.each([
    ['2025-01-02T03:04:05.5Z', '2025-01-02T03:04:05.500Z'],
    ['[10/Oct/2000:13:55:36 -0700]', '2000-10-10T20:55:36.000Z'],
    ['[Wed Oct 11 14:32:52 2000]', '2000-10-11T14:32:52.000Z'],
    ['1709633730120000', '2024-03-05T10:15:30.120Z'],
    ['1709633730.5', '2024-03-05T10:15:30.500Z'],
  ])('reads %s', (text, expected) => {
    expect(iso(parseTimestamp(text, { timezone: 'UTC' }))).toBe(expected);
  });

  it.each([
    ['UTC', '2025-12-31T12:00:00.000Z'],
    ['+02:00', '2025-12-31T10:00:00.000Z'],
  ])('reads a date alone as its noon in %s, as chrono-node does in that zone', (timezone, expected) => {
    expect(iso(parseTimestamp('2025-12-31', { timezone }))).toBe(expected);
    expect(parseTimestamp('2025-13-31', { timezone })).toBeUndefined();
  });

  it('falls back to chrono-node for free text', () => {
    expect(iso(parseTimestamp('March 5, 2024 10:15 UTC', { timezone: 'UTC' }))).toBe('2024-03-05T10:15:00.000Z');
  });

  it('returns undefined for what no reader knows', () => {
    expect(parseTimestamp('not a date at all', { timezone: 'UTC' })).toBeUndefined();
    expect(parseTimestamp('', {})).toBeUndefined();
  });
});
