import { isIP } from 'node:net';
import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { formatCidr, formatIp, formatIpv6, parseCidr, parseIp, readIpv4 } from '../../../src/tracers/ip/address';
import { subnetOf } from '../../../src/tracers/ip/sweeps';

const bytesOf = (text: string) => Array.from(ipaddr.parse(text).toByteArray());

describe('parseIp', () => {
  it('reads IPv4 and IPv6 text into network-order bytes', () => {
    expect(parseIp('192.0.2.1')).toEqual({ version: 4, bytes: Uint8Array.from([192, 0, 2, 1]) });
    expect(parseIp('2001:DB8::1')).toEqual({ version: 6, bytes: Uint8Array.from(bytesOf('2001:db8::1')) });
    expect(parseIp('::ffff:192.0.2.1')).toEqual({ version: 6, bytes: Uint8Array.from(bytesOf('::ffff:192.0.2.1')) });
    expect(parseIp('fe80::1%eth0')).toEqual({ version: 6, bytes: Uint8Array.from(bytesOf('fe80::1')), zone: 'eth0' });
  });

  it('accepts exactly what Node (inet_pton rules) accepts over strings of address characters', () => {
    const chars = fc.constantFrom(...'0123456789abcdefABCDEF:.'.split(''), '1', ':', '.');
    fc.assert(
      fc.property(
        fc.array(chars, { maxLength: 45 }).map((parts) => parts.join('')),
        (text) => {
          expect([text, typeof parseIp(text) !== 'string']).toEqual([text, isIP(text) !== 0]);
        },
      ),
      { numRuns: 20000 },
    );
  });

  it('accepts every address fast-check generates, with the bytes the WHATWG URL parser reads', () => {
    // The URL parser is the reference: ipaddr.js reads `::0.0.0.0` as `::ffff:0.0.0.0`.
    const viaUrl = (text: string) => new URL(`http://[${text}]/`).hostname;
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), fc.ipV6()), (text) => {
        const parsed = parseIp(text);
        expect(typeof parsed).not.toBe('string');
        if (typeof parsed === 'string') return;
        if (parsed.version === 4) expect(formatIp(parsed.bytes)).toBe(new URL(`http://${text}/`).hostname);
        else expect(viaUrl(formatIp(parsed.bytes))).toBe(viaUrl(text));
      }),
      { numRuns: 5000 },
    );
  });

  it('never throws, whatever the string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        const parsed = parseIp(text);
        expect(typeof parsed === 'string' || parsed.bytes.length === (parsed.version === 4 ? 4 : 16)).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });
});

describe('formatIp', () => {
  it('writes RFC 5952 text: lower case, longest zero run compressed (first on ties), no lone "::"', () => {
    const cases: [string, string][] = [
      ['2001:0DB8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
      ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
      ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
      ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'],
      ['0:0:0:0:0:0:0:0', '::'],
      ['::ffff:c000:0201', '::ffff:192.0.2.1'],
      ['1:0:0:0:0:0:0:0', '1::'],
    ];
    for (const [input, canonical] of cases) {
      const parsed = parseIp(input);
      expect([input, typeof parsed === 'string' ? parsed : formatIp(parsed.bytes)]).toEqual([input, canonical]);
    }
  });

  it('agrees with ipaddr.js toRFC5952String and round-trips through parseIp', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (bytes) => {
        const text = formatIpv6(bytes);
        const parsed = parseIp(text);
        expect(typeof parsed !== 'string' && Array.from(parsed.bytes)).toEqual(Array.from(bytes));
        const mapped = bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
        if (!mapped) expect(text).toBe((ipaddr.fromByteArray(Array.from(bytes)) as ipaddr.IPv6).toRFC5952String());
      }),
      { numRuns: 5000 },
    );
  });
});

describe('parseCidr', () => {
  it('reads a prefix, clearing host bits', () => {
    expect(formatCidr(parseCidr('192.0.2.77/24') as never)).toBe('192.0.2.0/24');
    expect(formatCidr(parseCidr('2001:db8::1/32') as never)).toBe('2001:db8::/32');
    expect(formatCidr(parseCidr('10.0.0.1') as never)).toBe('10.0.0.1/32');
    expect(formatCidr(parseCidr('0.0.0.0/0') as never)).toBe('0.0.0.0/0');
  });

  it('rejects bad lengths and zones', () => {
    expect(parseCidr('10.0.0.0/33')).toBe('prefix length 33 exceeds 32');
    expect(parseCidr('::/129')).toBe('prefix length 129 exceeds 128');
    expect(parseCidr('10.0.0.0/')).toBe('bad prefix length');
    expect(parseCidr('10.0.0.0/8a')).toBe('bad prefix length');
    expect(parseCidr('fe80::%eth0/64')).toBe('a prefix cannot carry a zone id');
  });
});

describe('readIpv4', () => {
  /** Text near the dotted-quad shape: digits, dots, leading zeros, overflows, stray characters. */
  const nearIpv4 = fc.oneof(
    fc.ipV4(),
    fc
      .array(fc.constantFrom(...'0123456789..'.split(''), '00', '256', '999', 'a', ':', '/', ' ', '-'), {
        maxLength: 20,
      })
      .map((parts) => parts.join('')),
    fc.string({ maxLength: 20 }),
  );

  it('accepts exactly what parseIp accepts as IPv4, with the same bytes, and its text is canonical', () => {
    fc.assert(
      fc.property(nearIpv4, (text) => {
        const out = new Uint8Array(4);
        const parsed = parseIp(text);
        const ipv4 = typeof parsed !== 'string' && parsed.version === 4;
        expect(readIpv4(text, out)).toBe(ipv4);
        if (ipv4) {
          expect([...out]).toEqual([...parsed.bytes]);
          expect(formatIp(out)).toBe(text);
        }
      }),
      { numRuns: 5000 },
    );
  });

  it('gives subnetOf the /24 that parsing the prefix gives', () => {
    fc.assert(
      fc.property(nearIpv4, (text) => {
        const cidr = parseCidr(`${text}/${text.includes(':') ? 64 : 24}`);
        expect(subnetOf(text)).toBe(typeof cidr === 'string' ? text : formatCidr(cidr));
      }),
      { numRuns: 5000 },
    );
  });
});
