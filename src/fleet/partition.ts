/**
 * Partitions of the fleet's events, so that several collectors share the load
 * and no case is split between them. An event's partition is a stable hash of
 * its address's subnet, the key the IP tracer groups sweeps by (IPv4 /24, IPv6
 * /64, an IPv4-mapped IPv6 address as its IPv4 one): every event of an
 * address, and of its neighbours in a sweep, goes to one partition, on every
 * host. An event without an address goes to its agent's host partition, so a
 * host's errors and outage chains stay together.
 */
import type { LogEvent } from '../core/event';
import { parseIp, readIpv4 } from '../tracers/ip/address';
import { unwrapIpv4 } from '../tracers/ip/embedded-ipv4';

/**
 * Partitions of the fleet's events. Fixed: an event's partition must be the
 * same on every agent, and collectors keep their position per partition.
 * Here, not in subjects.ts, so the CLI checks a share without loading the NATS client.
 */
export const PARTITIONS = 16;

/** How long a partition's lease (`partition: 'auto'`, leases.ts) lasts without renewal when its bucket is made (ms). */
export const DEFAULT_LEASE_TTL_MS = 15_000;

/** The shortest lease TTL: a member renews every third of it and reads only with a third left. */
export const MIN_LEASE_TTL_MS = 3_000;

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** 32-bit FNV-1a of `bytes[0, length)`: the same on every host and Node version. */
function fnv1a(bytes: Uint8Array, length = bytes.length): number {
  let hash = FNV_OFFSET;
  for (let i = 0; i < length; i++) hash = Math.imul(hash ^ bytes[i]!, FNV_PRIME) >>> 0;
  return hash;
}

/** Scratch bytes of the subnet key: a version tag, then the prefix (3 bytes of IPv4, 8 of IPv6). */
const key = new Uint8Array(9);
const ipv4 = new Uint8Array(4);

function subnetPartition(version: 4 | 6, bytes: Uint8Array, offset: number): number {
  const prefix = version === 4 ? 3 : 8;
  key[0] = version;
  for (let i = 0; i < prefix; i++) key[1 + i] = bytes[offset + i]!;
  return fnv1a(key, 1 + prefix) % PARTITIONS;
}

/**
 * The partition of an address's events: the hash of its subnet. Undefined for
 * text that is no address (the IP tracer does not track it either).
 */
export function addressPartition(ip: string): number | undefined {
  // Most addresses are IPv4: read without allocating.
  if (readIpv4(ip, ipv4)) return subnetPartition(4, ipv4, 0);
  if (!ip.includes(':')) return undefined;
  const parsed = parseIp(ip);
  if (typeof parsed === 'string') return undefined;
  const mapped = unwrapIpv4(parsed.bytes)?.embedded;
  if (mapped?.kind === 'ipv4-mapped') return subnetPartition(4, parsed.bytes, 12);
  return subnetPartition(6, parsed.bytes, 0);
}

/** The partition of a host's events without an address: the hash of its host id. */
export function hostPartition(host: string): number {
  return fnv1a(Buffer.from(host, 'utf8')) % PARTITIONS;
}

/** The partition of an event: its address's, else `hostPartition` (its agent's {@link hostPartition}). */
export function partitionOf(event: Pick<LogEvent, 'ip'>, hostPartition: number): number {
  return (event.ip === undefined ? undefined : addressPartition(event.ip)) ?? hostPartition;
}

/** One collector's share: the partitions `p` with `p % count === index` (0-based). */
export interface PartitionShare {
  index: number;
  count: number;
}

/** The partitions of a share, in order; a RangeError unless `0 <= index < count <= PARTITIONS` (whole numbers). */
export function partitionsOf(share: PartitionShare): number[] {
  const { index, count } = share;
  if (!Number.isInteger(index) || !Number.isInteger(count) || index < 0 || index >= count || count > PARTITIONS)
    throw new RangeError(`a partition share is I/N with 0 <= I < N <= ${PARTITIONS}, not ${index}/${count}`);
  const owned: number[] = [];
  for (let p = share.index; p < PARTITIONS; p += share.count) owned.push(p);
  return owned;
}

/**
 * A share written `I/N`, 0-based (`0/2` and `1/2` split the partitions in
 * two); undefined unless `0 <= I < N <= PARTITIONS`, so each member owns a partition or more.
 */
export function parsePartitionShare(text: string): PartitionShare | undefined {
  const [index, count, ...rest] = text.split('/');
  const whole = (digits: string | undefined) =>
    digits !== undefined && digits.length > 0 && digits.length < 4 && [...digits].every((c) => c >= '0' && c <= '9')
      ? Number(digits)
      : undefined;
  const i = whole(index);
  const n = whole(count);
  if (rest.length > 0 || i === undefined || n === undefined || n < 1 || n > PARTITIONS || i >= n) return undefined;
  return { index: i, count: n };
}
