import {
  PARTITIONS,
  addressPartition,
  hostPartition,
  parsePartitionShare,
  partitionOf,
  partitionsOf,
} from '../../src/fleet/partition';
import { canonicalKey } from '../../src/tracers/ip';
import { subnetOf } from '../../src/tracers/ip/sweeps';

describe('addressPartition', () => {
  // Pinned: every agent and collector, on any host and Node version, must agree on these.
  it.each([
    ['198.51.100.7', 0],
    ['203.0.113.50', 11],
    ['2001:db8::1', 3],
    ['2001:db8:1:2::1', 14],
  ])('puts %s in partition %i', (ip, partition) => {
    expect(addressPartition(ip)).toBe(partition);
  });

  it.each([
    ['198.51.100.1', '198.51.100.254'],
    ['198.51.100.7', '::ffff:198.51.100.7'],
    ['198.51.100.7', '::ffff:c633:6409'],
    ['2001:db8:1:2::1', '2001:db8:1:2:ffff:ffff:ffff:ffff'],
    ['2001:db8::1', '2001:DB8:0:0::9%eth0'],
  ])('puts %s and %s, one subnet, in one partition', (a, b) => {
    // The IP tracer's sweep key: the subnet of the canonical address.
    expect(subnetOf(canonicalKey(b.replace('%eth0', ''))!)).toBe(subnetOf(a));
    expect(addressPartition(b)).toBe(addressPartition(a));
  });

  it('spreads 256 neighbouring /24s over every partition', () => {
    const hit = new Set<number>();
    for (let third = 0; third < 256; third++) hit.add(addressPartition(`198.51.${third}.1`)!);
    expect(hit.size).toBe(PARTITIONS);
  });

  it.each(['example.org', '999.1.1.1', '01.2.3.4', '2001:db8::g', ''])('has no partition for %j', (text) => {
    expect(addressPartition(text)).toBeUndefined();
  });
});

describe('hostPartition', () => {
  it('is 32-bit FNV-1a of the host id, modulo the partitions', () => {
    // FNV-1a test vectors: "a" is 0xe40c292c, "foobar" 0xbf9cf968.
    expect(hostPartition('a')).toBe(0xe40c292c % PARTITIONS);
    expect(hostPartition('foobar')).toBe(0xbf9cf968 % PARTITIONS);
  });

  it("takes an event without an address, or with text that is none, to the host's partition", () => {
    expect(partitionOf({ ip: undefined }, 5)).toBe(5);
    expect(partitionOf({ ip: 'example.org' }, 5)).toBe(5);
    expect(partitionOf({ ip: '203.0.113.50' }, 5)).toBe(11);
  });
});

describe('partition shares', () => {
  it('gives each partition to exactly one member, whatever the number of members', () => {
    for (let count = 1; count <= PARTITIONS; count++) {
      const owned = Array.from({ length: count }, (_, index) => partitionsOf({ index, count })).flat();
      expect(owned.sort((a, b) => a - b)).toEqual(Array.from({ length: PARTITIONS }, (_, p) => p));
    }
    expect(partitionsOf({ index: 1, count: 2 })).toEqual([1, 3, 5, 7, 9, 11, 13, 15]);
  });

  it.each([
    { index: 0, count: 0 },
    { index: 2, count: 2 },
    { index: -1, count: 2 },
    { index: 0.5, count: 2 },
    { index: 0, count: 17 },
  ])('refuses the share %j, which would own no partition or some twice', (share) => {
    expect(() => partitionsOf(share)).toThrow(RangeError);
  });

  it.each([
    ['0/1', { index: 0, count: 1 }],
    ['1/2', { index: 1, count: 2 }],
    ['15/16', { index: 15, count: 16 }],
  ])('reads %s', (text, share) => {
    expect(parsePartitionShare(text)).toEqual(share);
  });

  it.each(['3/2', '2/2', '0/0', '0/17', 'x', '1', '1/2/3', '-1/2', '1.5/2', '/2', '0x1/2', ' 1/2'])(
    'refuses %j',
    (text) => {
      expect(parsePartitionShare(text)).toBeUndefined();
    },
  );
});
