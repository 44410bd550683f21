import fc from 'fast-check';
import { Classifier, type IpClassification, classifyIp, isClassificationError } from '../../../src/tracers/ip/classify';
import { SPECIAL_RANGES } from '../../../src/tracers/ip/iana-registry';

type Expected = [
  address: string,
  type: IpClassification['type'],
  range: string,
  cidr: string | undefined,
  global: boolean | null,
];

/** One address per registry entry (the entry matches it most specifically), and near misses just outside. */
const REGISTRY_CASES: Expected[] = [
  ['0.1.2.3', 'special', 'This network', '0.0.0.0/8', false],
  ['0.0.0.0', 'special', 'This host on this network', '0.0.0.0/32', false],
  ['10.0.0.1', 'private', 'Private-Use', '10.0.0.0/8', false],
  ['10.255.255.255', 'private', 'Private-Use', '10.0.0.0/8', false],
  ['100.64.0.1', 'private', 'Shared Address Space', '100.64.0.0/10', false],
  ['100.127.255.254', 'private', 'Shared Address Space', '100.64.0.0/10', false],
  ['100.128.0.1', 'public', 'Public', undefined, true],
  ['127.0.0.1', 'localhost', 'Loopback', '127.0.0.0/8', false],
  ['127.255.255.255', 'localhost', 'Loopback', '127.0.0.0/8', false],
  ['169.254.169.254', 'private', 'Link Local', '169.254.0.0/16', false],
  ['172.16.0.1', 'private', 'Private-Use', '172.16.0.0/12', false],
  ['172.31.255.255', 'private', 'Private-Use', '172.16.0.0/12', false],
  ['172.32.0.1', 'public', 'Public', undefined, true],
  ['192.0.0.200', 'special', 'IETF Protocol Assignments', '192.0.0.0/24', false],
  ['192.0.0.7', 'special', 'IPv4 Service Continuity Prefix', '192.0.0.0/29', false],
  ['192.0.0.8', 'special', 'IPv4 dummy address', '192.0.0.8/32', false],
  ['192.0.0.9', 'public', 'Port Control Protocol Anycast', '192.0.0.9/32', true],
  ['192.0.0.10', 'public', 'Traversal Using Relays around NAT Anycast', '192.0.0.10/32', true],
  ['192.0.0.170', 'special', 'NAT64/DNS64 Discovery', '192.0.0.170/32', false],
  ['192.0.0.171', 'special', 'NAT64/DNS64 Discovery', '192.0.0.171/32', false],
  ['192.0.2.1', 'special', 'Documentation (TEST-NET-1)', '192.0.2.0/24', false],
  ['192.31.196.1', 'public', 'AS112-v4', '192.31.196.0/24', true],
  ['192.52.193.1', 'public', 'AMT', '192.52.193.0/24', true],
  ['192.88.99.1', 'special', 'Deprecated (6to4 Relay Anycast)', '192.88.99.0/24', null],
  ['192.88.99.2', 'special', '6a44-relay anycast address', '192.88.99.2/32', false],
  ['192.168.1.1', 'private', 'Private-Use', '192.168.0.0/16', false],
  ['192.169.0.1', 'public', 'Public', undefined, true],
  ['192.175.48.6', 'public', 'Direct Delegation AS112 Service', '192.175.48.0/24', true],
  ['198.18.0.1', 'special', 'Benchmarking', '198.18.0.0/15', false],
  ['198.19.255.255', 'special', 'Benchmarking', '198.18.0.0/15', false],
  ['198.20.0.1', 'public', 'Public', undefined, true],
  ['198.51.100.7', 'special', 'Documentation (TEST-NET-2)', '198.51.100.0/24', false],
  ['203.0.113.9', 'special', 'Documentation (TEST-NET-3)', '203.0.113.0/24', false],
  ['224.0.0.1', 'special', 'Multicast', '224.0.0.0/4', null],
  ['239.255.255.255', 'special', 'Multicast', '224.0.0.0/4', null],
  ['223.255.255.255', 'public', 'Public', undefined, true],
  ['240.0.0.1', 'special', 'Reserved', '240.0.0.0/4', false],
  ['255.255.255.254', 'special', 'Reserved', '240.0.0.0/4', false],
  ['255.255.255.255', 'special', 'Limited Broadcast', '255.255.255.255/32', false],
  ['8.8.8.8', 'public', 'Public', undefined, true],
  ['::1', 'localhost', 'Loopback Address', '::1/128', false],
  ['::', 'special', 'Unspecified Address', '::/128', false],
  ['::2', 'special', 'Reserved by IETF', '::/8', false],
  ['::808:808', 'special', 'Reserved by IETF', '::/8', false],
  ['64:ff9b:1::1', 'special', 'IPv4-IPv6 Translat.', '64:ff9b:1::/48', false],
  ['100::1', 'special', 'Discard-Only Address Block', '100::/64', false],
  ['100:0:0:1::1', 'special', 'Dummy IPv6 Prefix', '100:0:0:1::/64', false],
  ['100:0:0:2::1', 'special', 'Reserved by IETF', '100::/8', false],
  ['2001:1::1', 'public', 'Port Control Protocol Anycast', '2001:1::1/128', true],
  ['2001:1::2', 'public', 'Traversal Using Relays around NAT Anycast', '2001:1::2/128', true],
  ['2001:1::3', 'public', 'DNS-SD Service Registration Protocol Anycast Address', '2001:1::3/128', true],
  ['2001:1::4', 'special', 'IETF Protocol Assignments', '2001::/23', false],
  ['2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff', 'special', 'IETF Protocol Assignments', '2001::/23', false],
  ['2001:200::1', 'public', 'Public', undefined, true],
  ['2001:2::1', 'special', 'Benchmarking', '2001:2::/48', false],
  ['2001:3::1', 'public', 'AMT', '2001:3::/32', true],
  ['2001:4:112::1', 'public', 'AS112-v6', '2001:4:112::/48', true],
  ['2001:10::1', 'special', 'Deprecated (previously ORCHID)', '2001:10::/28', null],
  ['2001:20::1', 'public', 'ORCHIDv2', '2001:20::/28', true],
  ['2001:30::1', 'public', 'Drone Remote ID Protocol Entity Tags (DETs) Prefix', '2001:30::/28', true],
  ['2001:db8::1', 'special', 'Documentation', '2001:db8::/32', false],
  ['2001:db9::1', 'public', 'Public', undefined, true],
  ['2620:4f:8000::53', 'public', 'Direct Delegation AS112 Service', '2620:4f:8000::/48', true],
  ['3fff::1', 'special', 'Documentation', '3fff::/20', false],
  ['3fff:1000::1', 'public', 'Public', undefined, true],
  ['5f00::1', 'special', 'Segment Routing (SRv6) SIDs', '5f00::/16', false],
  ['5f01::1', 'special', 'Reserved by IETF', '4000::/3', false],
  ['fc00::1', 'private', 'Unique-Local', 'fc00::/7', false],
  ['fdff:ffff::1', 'private', 'Unique-Local', 'fc00::/7', false],
  ['fe80::1', 'private', 'Link-Local Unicast', 'fe80::/10', false],
  ['febf:ffff::1', 'private', 'Link-Local Unicast', 'fe80::/10', false],
  ['fec0::1', 'private', 'Site-Local (deprecated)', 'fec0::/10', false],
  ['ff02::1', 'special', 'Multicast', 'ff00::/8', null],
  ['ff0e::101', 'special', 'Multicast', 'ff00::/8', null],
  ['2a00:1450:4001::1', 'public', 'Public', undefined, true],
  ['101::1', 'special', 'Reserved by IETF', '100::/8', false],
  ['200::1', 'special', 'Reserved by IETF', '200::/7', false],
  ['400::1', 'special', 'Reserved by IETF', '400::/6', false],
  ['800::1', 'special', 'Reserved by IETF', '800::/5', false],
  ['1000::1', 'special', 'Reserved by IETF', '1000::/4', false],
  ['4000::1', 'special', 'Reserved by IETF', '4000::/3', false],
  ['6000::1', 'special', 'Reserved by IETF', '6000::/3', false],
  ['8000::1', 'special', 'Reserved by IETF', '8000::/3', false],
  ['a000::1', 'special', 'Reserved by IETF', 'a000::/3', false],
  ['c000::1', 'special', 'Reserved by IETF', 'c000::/3', false],
  ['e000::1', 'special', 'Reserved by IETF', 'e000::/4', false],
  ['f000::1', 'special', 'Reserved by IETF', 'f000::/5', false],
  ['f800::1', 'special', 'Reserved by IETF', 'f800::/6', false],
  ['fe00::1', 'special', 'Reserved by IETF', 'fe00::/9', false],
];

/** IPv4 inside IPv6: classified by the embedded address, which is reported. */
const EMBEDDED_CASES: [
  address: string,
  canonical: string,
  embedded: object,
  type: string,
  range: string,
  global: boolean | null,
][] = [
  [
    '::ffff:8.8.8.8',
    '::ffff:8.8.8.8',
    { kind: 'ipv4-mapped', prefix: '::ffff:0:0/96', ip: '8.8.8.8' },
    'public',
    'Public',
    true,
  ],
  [
    '::FFFF:7f00:1',
    '::ffff:127.0.0.1',
    { kind: 'ipv4-mapped', prefix: '::ffff:0:0/96', ip: '127.0.0.1' },
    'localhost',
    'Loopback',
    false,
  ],
  [
    '0:0:0:0:0:ffff:192.168.0.1',
    '::ffff:192.168.0.1',
    { kind: 'ipv4-mapped', prefix: '::ffff:0:0/96', ip: '192.168.0.1' },
    'private',
    'Private-Use',
    false,
  ],
  [
    '64:ff9b::192.0.2.33',
    '64:ff9b::c000:221',
    { kind: 'nat64', prefix: '64:ff9b::/96', ip: '192.0.2.33' },
    'special',
    'Documentation (TEST-NET-1)',
    false,
  ],
  [
    '64:ff9b::808:808',
    '64:ff9b::808:808',
    { kind: 'nat64', prefix: '64:ff9b::/96', ip: '8.8.8.8' },
    'public',
    'Public',
    true,
  ],
  [
    '2002:c000:0204::1',
    '2002:c000:204::1',
    { kind: '6to4', prefix: '2002::/16', ip: '192.0.2.4' },
    'special',
    'Documentation (TEST-NET-1)',
    false,
  ],
  [
    '2002:0a00:0001:1::1',
    '2002:a00:1:1::1',
    { kind: '6to4', prefix: '2002::/16', ip: '10.0.0.1' },
    'private',
    'Private-Use',
    false,
  ],
  [
    '2002:0808:0808::',
    '2002:808:808::',
    { kind: '6to4', prefix: '2002::/16', ip: '8.8.8.8' },
    'public',
    'Public',
    true,
  ],
  // RFC 4380 §4's example: server 65.54.227.120, client 192.0.2.45 port 40000 (obfuscated).
  [
    '2001:0000:4136:e378:8000:63bf:3fff:fdd2',
    '2001:0:4136:e378:8000:63bf:3fff:fdd2',
    { kind: 'teredo', prefix: '2001::/32', ip: '192.0.2.45', server: '65.54.227.120', port: 40000 },
    'special',
    'Documentation (TEST-NET-1)',
    false,
  ],
  // a0e5:0ba1 inverted is 5f1a:f45e (95.26.244.94); 059d inverted is 64098.
  [
    '2001:0:5ef5:79fd:0:59d:a0e5:ba1',
    '2001:0:5ef5:79fd:0:59d:a0e5:ba1',
    { kind: 'teredo', prefix: '2001::/32', ip: '95.26.244.94', server: '94.245.121.253', port: 64098 },
    'public',
    'Public',
    true,
  ],
];

const INVALID_CASES: [input: string, error: string][] = [
  ['999.1.1.1', 'IPv4 part out of range 0-255'],
  ['1.2.3', 'IPv4 address needs 4 parts'],
  ['abc', 'unexpected character "a" in IPv4 address'],
  ['::g', 'unexpected character "g" in IPv6 address'],
  ['2001:db8:::1', 'IPv6 address has ":::"'],
  ['', 'empty address'],
  [' ', 'unexpected character " " in IPv4 address'],
  ['\t', 'unexpected character "\\t" in IPv4 address'],
  ['1.2.3.4 ', 'unexpected character " " in IPv4 address'],
  [' 1.2.3.4', 'unexpected character " " in IPv4 address'],
  ['1.2.3.4.5', 'IPv4 address has more than 4 parts'],
  ['01.2.3.4', 'leading zero in IPv4 part (ambiguous: octal for inet_aton)'],
  ['1.2.3.04', 'leading zero in IPv4 part (ambiguous: octal for inet_aton)'],
  ['256.0.0.1', 'IPv4 part out of range 0-255'],
  ['1..2.3', 'empty part in IPv4 address'],
  ['1.2.3.', 'empty part in IPv4 address'],
  ['.1.2.3', 'empty part in IPv4 address'],
  ['0x7f.0.0.1', 'unexpected character "x" in IPv4 address'],
  ['127.1', 'IPv4 address needs 4 parts'],
  ['12345::', 'IPv6 group longer than 4 hex digits'],
  ['1:2:3:4:5:6:7:8:9', 'IPv6 address has more than 8 groups'],
  [':::', 'unexpected character ":" in IPv6 address'],
  ['1:2:3:4:5:6::7:8', 'IPv6 "::" must stand for at least one group'],
  ['::ffff:1.2.3', 'IPv4 address needs 4 parts'],
  ['::ffff:1.2.3.4.5', 'IPv4 address has more than 4 parts'],
  ['1.2.3.4%eth0', 'unexpected character "%" in IPv4 address'],
  ['fe80::1%', 'empty zone id'],
  ['fe80::1%a b', 'zone id has a character not allowed'],
  ['[::1]', 'unexpected character "[" in IPv6 address'],
  ['::1/128', 'unexpected character "/" in IPv6 address'],
  ['\u0000', 'unexpected character "\\u0000" in IPv4 address'],
  ['١٢٣.1.1.1', 'unexpected character "١" in IPv4 address'],
  ['1:2', 'IPv6 address needs 8 groups or "::"'],
  [':1::', 'IPv6 address starts with a single colon'],
  ['1::2::3', 'IPv6 address has more than one "::"'],
  ['fe80::1%eth0%1', 'zone id has a character not allowed'],
  ['1:2:3:4:5:6:7:8:1.2.3.4', 'misplaced IPv4 tail in IPv6 address'],
  ['::1.2.3.4:5', 'unexpected character ":" in IPv4 address'],
  ['1:2:3:4:5:6:7:', 'IPv6 address ends with a single colon'],
  ['fe80::1%aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'zone id longer than 64 characters'],
];

describe('classifyIp over the IANA special-purpose registries', () => {
  it.each(REGISTRY_CASES)('classifies %s as %s (%s, %s, global %s)', (address, type, range, cidr, global) => {
    const result = classifyIp(address);
    expect(result).toEqual({
      ip: address,
      version: address.includes(':') ? 6 : 4,
      type,
      range,
      global,
      ...(cidr === undefined ? {} : { cidr, rfc: SPECIAL_RANGES.find((entry) => entry.cidr === cidr)!.rfc }),
    });
  });

  it('has a case for every entry of the table, both families', () => {
    const covered = new Set<string>();
    for (const [, , , cidr] of REGISTRY_CASES) if (cidr) covered.add(cidr);
    for (const [, , embedded] of EMBEDDED_CASES) covered.add((embedded as { prefix: string }).prefix);
    covered.add('2001::/32'); // Teredo, via its embedded cases
    const missing = SPECIAL_RANGES.map((entry) => entry.cidr).filter((cidr) => !covered.has(cidr));
    expect(missing).toEqual([]);
  });

  it('holds every IANA entry with a reachability value', () => {
    const iana = SPECIAL_RANGES.filter((entry) => entry.source === 'iana-special-purpose');
    expect(iana.filter((entry) => entry.cidr.includes(':'))).toHaveLength(25);
    expect(iana.filter((entry) => !entry.cidr.includes(':'))).toHaveLength(26);
    expect(iana.filter((entry) => entry.global === null).map((entry) => entry.cidr)).toEqual([
      '192.88.99.0/24',
      '2001::/32',
      '2001:10::/28',
      '2002::/16',
    ]);
  });
});

describe('classifyIp on IPv4 embedded in IPv6', () => {
  it.each(EMBEDDED_CASES)('unwraps %s', (address, canonical, embedded, type, range, global) => {
    const result = classifyIp(address) as IpClassification;
    expect(result.ip).toBe(canonical);
    expect(result.version).toBe(6);
    expect(result.embedded).toEqual(embedded);
    expect([result.type, result.range, result.global]).toEqual([type, range, global]);
  });

  it('does not unwrap the NAT64 local-use prefix, whose embedding varies per network', () => {
    expect(classifyIp('64:ff9b:1::808:808')).toMatchObject({ type: 'special', cidr: '64:ff9b:1::/48' });
    expect((classifyIp('64:ff9b:1::808:808') as IpClassification).embedded).toBeUndefined();
  });
});

describe('classifyIp on zone ids', () => {
  it('accepts a zone id and reports it without changing the classification', () => {
    expect(classifyIp('fe80::1%eth0')).toEqual({ ...classifyIp('fe80::1'), zone: 'eth0' });
    expect(classifyIp('ff02::1%2')).toMatchObject({ ip: 'ff02::1', zone: '2', type: 'special' });
  });
});

describe('classifyIp on invalid input', () => {
  it.each(INVALID_CASES)('rejects %j: %s', (input, error) => {
    expect(classifyIp(input)).toEqual({ input, error });
  });

  it('answers a 1 MB string with a short error that echoes a bounded prefix', () => {
    const huge = '1'.repeat(1_000_000);
    const result = classifyIp(huge);
    expect(result).toEqual({
      input: `${'1'.repeat(256)}… (1000000 characters)`,
      error: 'too long for an IP address (1000000 characters)',
    });
  });

  it('answers non-strings passed from untyped callers with an error', () => {
    expect(classifyIp(undefined as unknown as string)).toEqual({ input: 'undefined', error: 'not a string' });
    expect(classifyIp(42 as unknown as string)).toEqual({ input: '42', error: 'not a string' });
  });
});

describe('Classifier', () => {
  it('answers repeated inputs from its cache with the same frozen object', () => {
    const classifier = new Classifier({ cacheSize: 2 });
    const first = classifier.classify('8.8.8.8');
    expect(classifier.classify('8.8.8.8')).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(classifier.stats).toEqual({ hits: 1, misses: 1, size: 1, evicted: 0 });
  });

  it('keeps at most cacheSize results, forgetting the least recently used', () => {
    const classifier = new Classifier({ cacheSize: 2 });
    for (const address of ['1.1.1.1', '2.2.2.2', '1.1.1.1', '3.3.3.3']) classifier.classify(address);
    expect([...classifier.cache.entries()].map(([key]) => key)).toEqual(['1.1.1.1', '3.3.3.3']);
    expect(classifier.stats.evicted).toBe(1);
  });

  it('caches invalid short inputs but never a huge one', () => {
    const classifier = new Classifier();
    expect(isClassificationError(classifier.classify('abc'))).toBe(true);
    classifier.classify('x'.repeat(10_000));
    expect([...classifier.cache.entries()].map(([key]) => key)).toEqual(['abc']);
  });
});

describe('classifyIp on arbitrary input', () => {
  it('never throws and always answers a type or an error', () => {
    const types = new Set(['localhost', 'private', 'special', 'cloud', 'public']);
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: 'binary', maxLength: 120 }), fc.ipV4(), fc.ipV6(), fc.ipV4Extended()),
        (text) => {
          const result = classifyIp(text);
          expect(isClassificationError(result) ? typeof result.error : types.has(result.type)).toBe(
            isClassificationError(result) ? 'string' : true,
          );
        },
      ),
      { numRuns: 5000 },
    );
  });
});
