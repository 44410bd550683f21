import fc from 'fast-check';
import RE2 from 're2';
import {
  ERRNO_SOURCE,
  IPV4_SOURCE,
  IPV6_SOURCE,
  errnoFromNumber,
  firstAddress,
  firstPath,
  mentionedIps,
} from '../../../src/tracers/error/details';
import { errnoName, errnoText } from '../../../src/tracers/error/errno';

/** What errnoFromNumber answers when re2 runs on every text (before its prefilter). */
function errnoByRe2(text: string): string | undefined {
  const groups = new RE2(ERRNO_SOURCE).exec(text)?.groups;
  const number = groups?.number ?? groups?.number2;
  return number === undefined ? undefined : errnoName(Number(number));
}

describe('detail extractors', () => {
  it('find the first absolute path without trailing punctuation', () => {
    expect(firstPath("OSError: [Errno 28] No space left on device: '/var/lib/app/x.bin'")).toBe('/var/lib/app/x.bin');
    expect(firstPath('write /var/lib/docker/tmp: no space left on device')).toBe('/var/lib/docker/tmp');
    expect(firstPath('open() "/srv/www/index.html" failed')).toBe('/srv/www/index.html');
    expect(firstPath('cannot stat file.txt.')).toBeUndefined();
    expect(firstPath('see /etc/app.conf.')).toBe('/etc/app.conf');
  });

  it('read errno numbers as Python and nginx print them', () => {
    expect(errnoFromNumber('OSError: [Errno 28] No space left on device')).toBe('ENOSPC');
    expect(errnoFromNumber('connect() failed (111: Connection refused)')).toBe('ECONNREFUSED');
    expect(errnoFromNumber('took 28 ms')).toBeUndefined();
  });

  it('map errno names, numbers and glibc texts both ways', () => {
    expect(errnoName(24)).toBe('EMFILE');
    expect(errnoText('EROFS')).toBe('Read-only file system');
  });

  it('find the first address with its port', () => {
    expect(firstAddress('dial tcp 10.0.0.5:6379: connect: connection refused')).toBe('10.0.0.5:6379');
    expect(firstAddress('upstream: "http://[2001:db8::1]:8080/"')).toBe('[2001:db8::1]:8080');
  });

  it('list every IPv4 and IPv6 address mentioned, not times or versions', () => {
    expect(mentionedIps('client 203.0.113.9 then 198.51.100.4, again 203.0.113.9')).toEqual([
      '203.0.113.9',
      '198.51.100.4',
    ]);
    expect(mentionedIps('from 2001:DB8::7 port 22 at 10:15:30')).toEqual(['2001:db8::7']);
    expect(mentionedIps('version 1.2.3.4.5 at 12:00:00')).toEqual([]);
    expect(mentionedIps('fe80:0:0:0:0:0:0:1 up')).toEqual(['fe80:0:0:0:0:0:0:1']);
  });

  describe('mentionedIps against re2 alone (its one-pass prefilter must never skip an address)', () => {
    /** The addresses re2 keeps when both patterns run over the whole text: mentionedIps before its prefilter. */
    function byRe2(text: string, limit = 8): string[] {
      const found = new Set<string>();
      for (const [pattern, v4] of [
        [new RE2(IPV4_SOURCE, 'g'), true],
        [new RE2(IPV6_SOURCE, 'g'), false],
      ] as const) {
        for (let match = pattern.exec(text); match && found.size < limit; match = pattern.exec(text)) {
          const ip = match.groups?.ip;
          if (ip && (v4 || ip.includes('::') || ip.split(':').length === 8)) found.add(ip.toLowerCase());
          pattern.lastIndex -= 1;
        }
      }
      return [...found];
    }

    it.each([
      [
        'a Python traceback',
        'Traceback (most recent call last):\n  File "/app/x.py", line 3, in f\nKeyError: 12:00:00',
      ],
      ['an apparmor line', 'audit(1773448267.201:166): apparmor="DENIED" name="/proc/1/status" pid=26184'],
      ['addresses of both kinds', 'from 10.0.0.1, 2001:db8::7 and fe80:0:0:0:0:0:0:1 then 10.0.0.1.5 and 1.2.3'],
      ['addresses at both ends', '192.0.2.1 x ::1'],
      ['hex runs joined to an address', 'cafe::beef:1.2.3.4 ab:cd:ef:01:23:45:67'],
      ['octets at their bounds', '0.00.01.99 255.249.199.1 256.1.1.1 1.2.3.099 1..2.3 .1.2.3.4 1.2.3.4.'],
      ['more addresses than the limit', Array.from({ length: 12 }, (_, i) => `10.0.0.${i} ::${i + 1}`).join(' ')],
    ])('agree on %s', (_name, text) => {
      expect(mentionedIps(text)).toEqual(byRe2(text));
    });

    it('agree on any text near the shape of addresses', () => {
      const piece = fc.oneof(
        fc.constantFrom('.', ':', '::', ' ', 'a', 'F', 'g', '_', '\n', '[', 'é', '\ud83d'),
        fc.constantFrom('0', '00', '01', '099', '199', '249', '250', '255', '256', '260', '300', '1000'),
        fc.integer({ min: 0, max: 300 }).map(String),
        fc.integer({ min: 0, max: 0xfffff }).map((n) => n.toString(16)),
        fc.ipV4(),
        fc.ipV6(),
      );
      fc.assert(
        fc.property(fc.array(piece, { maxLength: 24 }), (pieces) => {
          const text = pieces.join('');
          expect(mentionedIps(text)).toEqual(byRe2(text));
        }),
        { numRuns: 3000 },
      );
    });
  });

  it('read errno numbers as re2 alone does, whatever the text (the prefilter never skips one)', () => {
    const piece = fc.oneof(
      fc.constantFrom('(', ')', ': ', '): ', '[Errno ', ']', 'No', 'x', ' ', ':', '(28', '(12345', 'Co', '0'),
      fc.integer({ min: 0, max: 99999 }).map(String),
    );
    for (const text of [
      'audit(1773448267.201:166): apparmor="DENIED"',
      'failed (111: Connection refused)',
      '(0028: No space',
      '(028: No space',
      '(12345: Ab',
      'x(1: No',
      '(1234): Ab',
    ]) {
      expect(errnoFromNumber(text)).toEqual(errnoByRe2(text));
    }
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const text = pieces.join('');
        expect(errnoFromNumber(text)).toEqual(errnoByRe2(text));
      }),
      { numRuns: 3000 },
    );
  });
});
