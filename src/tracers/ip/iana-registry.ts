/**
 * The IANA IPv4 and IPv6 Special-Purpose Address Registries (RFC 6890 as
 * updated by RFC 8190), every entry, as data: name, reference and the
 * registry's "Globally Reachable" column (true, false, or null for N/A).
 * Added beside them, marked by `source`: multicast (224.0.0.0/4, ff00::/8),
 * the deprecated site-local prefix fec0::/10 (RFC 3879), and the blocks the
 * IPv6 Address Space registry keeps "Reserved by IETF" (so 4000::1 is not
 * taken for a public address). Most specific match wins.
 *
 * Types (see docs/ip-classification.md for the reasoning):
 * - `localhost`: loopback (127.0.0.0/8, ::1/128).
 * - `private`: addresses of the operator's own networks, never routed on the
 *   Internet: RFC 1918, unique-local fc00::/7, shared address space
 *   100.64.0.0/10 (carrier-grade NAT: an ISP's internal network), link-local
 *   169.254.0.0/16 and fe80::/10 (the local link, like 169.254.169.254, a
 *   cloud metadata service), and the deprecated site-local fec0::/10.
 * - `special`: every other entry that is not globally reachable (documentation,
 *   benchmarking, reserved, multicast, broadcast, this-network, discard, ...).
 * - An entry that is globally reachable (AS112, AMT, PCP anycast, ORCHIDv2, ...)
 *   is an ordinary `public` address that also names its range.
 * Registry as of its 2025 revisions (RFC 9780 dummy prefix, RFC 9665 SRP anycast).
 */
import { type ParsedCidr, parseCidr } from './address';
import { PrefixTrie } from './prefix-trie';

/** Classification types the registry itself assigns (`cloud` and `public` come from elsewhere). */
export type RegistryType = 'localhost' | 'private' | 'special' | 'public';

/** Where a table entry comes from. */
export type RegistrySource = 'iana-special-purpose' | 'multicast' | 'deprecated' | 'ipv6-address-space';

/** One entry of the table. */
export interface SpecialRange {
  cidr: string;
  name: string;
  /** The defining documents, e.g. `RFC 1918`. */
  rfc: string;
  /** The registry's "Globally Reachable": true, false, or null (N/A). */
  global: boolean | null;
  type: RegistryType;
  source: RegistrySource;
}

type Row = [cidr: string, name: string, rfc: string, global: boolean | null, type: RegistryType];

const SPECIAL = 'iana-special-purpose';

/** IANA IPv4 Special-Purpose Address Registry. */
const IPV4_ROWS: Row[] = [
  ['0.0.0.0/8', 'This network', 'RFC 791 §3.2', false, 'special'],
  ['0.0.0.0/32', 'This host on this network', 'RFC 1122 §3.2.1.3', false, 'special'],
  ['10.0.0.0/8', 'Private-Use', 'RFC 1918', false, 'private'],
  ['100.64.0.0/10', 'Shared Address Space', 'RFC 6598', false, 'private'],
  ['127.0.0.0/8', 'Loopback', 'RFC 1122 §3.2.1.3', false, 'localhost'],
  ['169.254.0.0/16', 'Link Local', 'RFC 3927', false, 'private'],
  ['172.16.0.0/12', 'Private-Use', 'RFC 1918', false, 'private'],
  ['192.0.0.0/24', 'IETF Protocol Assignments', 'RFC 6890 §2.1', false, 'special'],
  ['192.0.0.0/29', 'IPv4 Service Continuity Prefix', 'RFC 7335', false, 'special'],
  ['192.0.0.8/32', 'IPv4 dummy address', 'RFC 7600', false, 'special'],
  ['192.0.0.9/32', 'Port Control Protocol Anycast', 'RFC 7723', true, 'public'],
  ['192.0.0.10/32', 'Traversal Using Relays around NAT Anycast', 'RFC 8155', true, 'public'],
  ['192.0.0.170/32', 'NAT64/DNS64 Discovery', 'RFC 8880, RFC 7050 §2.2', false, 'special'],
  ['192.0.0.171/32', 'NAT64/DNS64 Discovery', 'RFC 8880, RFC 7050 §2.2', false, 'special'],
  ['192.0.2.0/24', 'Documentation (TEST-NET-1)', 'RFC 5737', false, 'special'],
  ['192.31.196.0/24', 'AS112-v4', 'RFC 7535', true, 'public'],
  ['192.52.193.0/24', 'AMT', 'RFC 7450', true, 'public'],
  ['192.88.99.0/24', 'Deprecated (6to4 Relay Anycast)', 'RFC 7526', null, 'special'],
  ['192.88.99.2/32', '6a44-relay anycast address', 'RFC 6751', false, 'special'],
  ['192.168.0.0/16', 'Private-Use', 'RFC 1918', false, 'private'],
  ['192.175.48.0/24', 'Direct Delegation AS112 Service', 'RFC 7534', true, 'public'],
  ['198.18.0.0/15', 'Benchmarking', 'RFC 2544', false, 'special'],
  ['198.51.100.0/24', 'Documentation (TEST-NET-2)', 'RFC 5737', false, 'special'],
  ['203.0.113.0/24', 'Documentation (TEST-NET-3)', 'RFC 5737', false, 'special'],
  ['240.0.0.0/4', 'Reserved', 'RFC 1112 §4', false, 'special'],
  ['255.255.255.255/32', 'Limited Broadcast', 'RFC 8190, RFC 919 §7', false, 'special'],
];

/** IANA IPv6 Special-Purpose Address Registry. */
const IPV6_ROWS: Row[] = [
  ['::1/128', 'Loopback Address', 'RFC 4291', false, 'localhost'],
  ['::/128', 'Unspecified Address', 'RFC 4291', false, 'special'],
  ['::ffff:0:0/96', 'IPv4-mapped Address', 'RFC 4291', false, 'special'],
  ['64:ff9b::/96', 'IPv4-IPv6 Translat.', 'RFC 6052', true, 'public'],
  ['64:ff9b:1::/48', 'IPv4-IPv6 Translat.', 'RFC 8215', false, 'special'],
  ['100::/64', 'Discard-Only Address Block', 'RFC 6666', false, 'special'],
  ['100:0:0:1::/64', 'Dummy IPv6 Prefix', 'RFC 9780', false, 'special'],
  ['2001::/23', 'IETF Protocol Assignments', 'RFC 2928', false, 'special'],
  ['2001::/32', 'TEREDO', 'RFC 4380, RFC 8190', null, 'special'],
  ['2001:1::1/128', 'Port Control Protocol Anycast', 'RFC 7723', true, 'public'],
  ['2001:1::2/128', 'Traversal Using Relays around NAT Anycast', 'RFC 8155', true, 'public'],
  ['2001:1::3/128', 'DNS-SD Service Registration Protocol Anycast Address', 'RFC 9665', true, 'public'],
  ['2001:2::/48', 'Benchmarking', 'RFC 5180, RFC Errata 1752', false, 'special'],
  ['2001:3::/32', 'AMT', 'RFC 7450', true, 'public'],
  ['2001:4:112::/48', 'AS112-v6', 'RFC 7535', true, 'public'],
  ['2001:10::/28', 'Deprecated (previously ORCHID)', 'RFC 4843', null, 'special'],
  ['2001:20::/28', 'ORCHIDv2', 'RFC 7343', true, 'public'],
  ['2001:30::/28', 'Drone Remote ID Protocol Entity Tags (DETs) Prefix', 'RFC 9374', true, 'public'],
  ['2001:db8::/32', 'Documentation', 'RFC 3849', false, 'special'],
  ['2002::/16', '6to4', 'RFC 3056', null, 'special'],
  ['2620:4f:8000::/48', 'Direct Delegation AS112 Service', 'RFC 7534', true, 'public'],
  ['3fff::/20', 'Documentation', 'RFC 9637', false, 'special'],
  ['5f00::/16', 'Segment Routing (SRv6) SIDs', 'RFC 9602', false, 'special'],
  ['fc00::/7', 'Unique-Local', 'RFC 4193, RFC 8190', false, 'private'],
  ['fe80::/10', 'Link-Local Unicast', 'RFC 4291', false, 'private'],
];

/** Multicast is not in the special-purpose registries; its scope varies (null). */
const MULTICAST_ROWS: Row[] = [
  ['224.0.0.0/4', 'Multicast', 'RFC 5771', null, 'special'],
  ['ff00::/8', 'Multicast', 'RFC 4291', null, 'special'],
];

const DEPRECATED_ROWS: Row[] = [['fec0::/10', 'Site-Local (deprecated)', 'RFC 3879', false, 'private']];

/**
 * IPv6 Address Space registry: blocks "Reserved by IETF" (never allocated,
 * never routed). 2000::/3 is global unicast; fc00::/7, fe80::/10, fec0::/10
 * and ff00::/8 are covered above; ::/8 and 100::/8 hold special entries.
 */
const IPV6_RESERVED_ROWS: Row[] = [
  '::/8',
  '100::/8',
  '200::/7',
  '400::/6',
  '800::/5',
  '1000::/4',
  '4000::/3',
  '6000::/3',
  '8000::/3',
  'a000::/3',
  'c000::/3',
  'e000::/4',
  'f000::/5',
  'f800::/6',
  'fe00::/9',
].map((cidr): Row => [cidr, 'Reserved by IETF', 'RFC 4291', false, 'special']);

function entries(rows: Row[], source: RegistrySource): SpecialRange[] {
  return rows.map(([cidr, name, rfc, global, type]) => ({ cidr, name, rfc, global, type, source }));
}

/** Every entry of the table, IPv4 first, in registry order. */
export const SPECIAL_RANGES: readonly SpecialRange[] = Object.freeze(
  [
    ...entries(IPV4_ROWS, SPECIAL),
    ...entries(IPV6_ROWS, SPECIAL),
    ...entries(MULTICAST_ROWS, 'multicast'),
    ...entries(DEPRECATED_ROWS, 'deprecated'),
    ...entries(IPV6_RESERVED_ROWS, 'ipv6-address-space'),
  ].map((entry) => Object.freeze(entry)),
);

/** The parsed prefix of a table entry (the table is trusted: a bad row is a bug). */
export function rangeCidr(range: SpecialRange): ParsedCidr {
  const cidr = parseCidr(range.cidr);
  if (typeof cidr === 'string') throw new Error(`bad registry prefix ${range.cidr}: ${cidr}`);
  return cidr;
}

let tries: { v4: PrefixTrie<SpecialRange>; v6: PrefixTrie<SpecialRange> } | undefined;

/** The most specific table entry that contains the address (4 or 16 bytes), if any. */
export function lookupSpecialRange(bytes: Uint8Array): SpecialRange | undefined {
  if (!tries) {
    const built = { v4: new PrefixTrie<SpecialRange>(32), v6: new PrefixTrie<SpecialRange>(128) };
    for (const range of SPECIAL_RANGES) {
      const cidr = rangeCidr(range);
      (cidr.version === 4 ? built.v4 : built.v6).insert(cidr.bytes, cidr.length, range);
    }
    tries = built;
  }
  return (bytes.length === 4 ? tries.v4 : tries.v6).lookup(bytes)?.value;
}
