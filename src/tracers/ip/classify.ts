/**
 * Who is this address? `classifyIp` parses an address strictly and names it:
 * its type (localhost, private, special, cloud, public), the range it falls in
 * (an IANA special-purpose entry, a cloud provider's published prefix, or
 * plain `Public`), and whether it is globally reachable. IPv4 carried in IPv6
 * is unwrapped and judged by the IPv4 address. Invalid input yields an error
 * object, never a throw.
 *
 * A `Classifier` holds what lookups need (cloud ranges, MaxMind databases)
 * and a bounded LRU cache of results.
 */
import { LruMap } from '../../core/lru';
import { MAX_ADDRESS_LENGTH, formatIp, parseIp } from './address';
import { CLOUD_ASNS } from './cloud-asns';
import { type EmbeddedIpv4, unwrapIpv4 } from './embedded-ipv4';
import { lookupSpecialRange } from './iana-registry';

/** The classification types, from most to least local. */
export type IpType = 'localhost' | 'private' | 'special' | 'cloud' | 'public';

/** What classification says about one valid address. Results are frozen. */
export interface IpClassification {
  /** Canonical text: dotted quad, or RFC 5952 IPv6 (without the zone id). */
  ip: string;
  version: 4 | 6;
  type: IpType;
  /** The range's name: a registry entry (`Documentation (TEST-NET-1)`), a cloud range (`aws EC2 us-east-1`), or `Public`. */
  range: string;
  /** The matched prefix, when the range is a registry entry or a cloud range. */
  cidr?: string;
  /** The registry entry's defining documents. */
  rfc?: string;
  /** Globally reachable: true, false, or null where the registry says N/A. */
  global: boolean | null;
  /** The zone id given after `%`; it does not change the classification. */
  zone?: string;
  /** The IPv4 address carried inside this IPv6 one, which the classification is about. */
  embedded?: EmbeddedIpv4;
  /** Cloud provider id (`aws`, `google`, `azure`, `oracle`, `cloudflare`, or a named list). */
  provider?: string;
  service?: string;
  region?: string;
  /** From a MaxMind database. */
  asn?: number;
  org?: string;
  /** ISO 3166-1 alpha-2 country code. */
  country?: string;
}

/** An input that is not an IP address. */
export interface IpClassificationError {
  /** The input (cut to 256 characters, with its length noted, when longer). */
  input: string;
  error: string;
}

/** A cloud range a lookup found. */
export interface CloudMatch {
  provider: string;
  service?: string;
  region?: string;
  /** The provider's published prefix that matched. */
  cidr: string;
}

/** Longest-prefix lookup over loaded cloud ranges (see cloud-ranges.ts). */
export interface CloudLookup {
  lookup(bytes: Uint8Array): CloudMatch | undefined;
}

/** What a geolocation / ASN database knows of an address. */
export interface GeoInfo {
  asn?: number;
  org?: string;
  country?: string;
}

/** A MaxMind database reader (see geoip.ts). */
export interface GeoLookup {
  lookup(ip: string): GeoInfo | undefined;
}

/** What classification may consult beyond the registries. */
export interface ClassifierContext {
  cloud?: CloudLookup;
  /** Consulted in order; the first database that knows a field wins it. */
  geoip?: readonly GeoLookup[];
}

/** True when `result` is an error object. */
export function isClassificationError(
  result: IpClassification | IpClassificationError,
): result is IpClassificationError {
  return 'error' in result;
}

const ECHO_LIMIT = 256;

function invalid(input: unknown, error: string): IpClassificationError {
  const text = typeof input === 'string' ? input : String(input);
  const echoed = text.length > ECHO_LIMIT ? `${text.slice(0, ECHO_LIMIT)}… (${text.length} characters)` : text;
  return Object.freeze({ input: echoed, error });
}

/** Registry, cloud and MaxMind facts for 4 or 16 bytes (an embedded address has already been unwrapped). */
function judge(bytes: Uint8Array, context: ClassifierContext | undefined): Omit<IpClassification, 'ip' | 'version'> {
  const entry = lookupSpecialRange(bytes);
  if (entry && entry.type !== 'public') {
    return { type: entry.type, range: entry.name, cidr: entry.cidr, rfc: entry.rfc, global: entry.global };
  }
  const cloud = context?.cloud?.lookup(bytes);
  let result: Omit<IpClassification, 'ip' | 'version'>;
  if (cloud) {
    const range = [cloud.provider, cloud.service, cloud.region].filter(Boolean).join(' ');
    result = { type: 'cloud', range, cidr: cloud.cidr, global: entry ? entry.global : true, provider: cloud.provider };
    if (cloud.service !== undefined) result.service = cloud.service;
    if (cloud.region !== undefined) result.region = cloud.region;
  } else if (entry) {
    result = { type: 'public', range: entry.name, cidr: entry.cidr, rfc: entry.rfc, global: entry.global };
  } else {
    result = { type: 'public', range: 'Public', global: true };
  }
  if (context?.geoip?.length) {
    const text = formatIp(bytes);
    for (const database of context.geoip) {
      const info = database.lookup(text);
      if (!info) continue;
      if (result.asn === undefined && info.asn !== undefined) result.asn = info.asn;
      if (result.org === undefined && info.org !== undefined) result.org = info.org;
      if (result.country === undefined && info.country !== undefined) result.country = info.country;
    }
    const provider = result.asn === undefined ? undefined : CLOUD_ASNS.get(result.asn);
    if (!cloud && provider) {
      result.type = 'cloud';
      result.provider = provider;
      result.range = `${provider} AS${result.asn}`;
      delete result.cidr;
      delete result.rfc;
    }
  }
  return result;
}

/**
 * Classifies one address. Never throws: an invalid input gives
 * `{input, error}`. Without a context only the registries are consulted.
 */
export function classifyIp(input: string, context?: ClassifierContext): IpClassification | IpClassificationError {
  const parsed = parseIp(input);
  if (typeof parsed === 'string') return invalid(input, parsed);
  const unwrapped = parsed.version === 6 ? unwrapIpv4(parsed.bytes) : undefined;
  const facts = judge(unwrapped ? unwrapped.bytes : parsed.bytes, context);
  const result: IpClassification = { ip: formatIp(parsed.bytes), version: parsed.version, ...facts };
  if (parsed.zone !== undefined) result.zone = parsed.zone;
  if (unwrapped) result.embedded = Object.freeze(unwrapped.embedded);
  return Object.freeze(result);
}

/** Options of a Classifier. */
export interface ClassifierOptions extends ClassifierContext {
  /** Most results kept in the LRU cache (default 10,000). */
  cacheSize?: number;
}

/** Classification with loaded cloud ranges and MaxMind databases, and a bounded cache of results. */
export class Classifier {
  /** Results by input text; inputs longer than any address are never cached. */
  readonly cache: LruMap<string, IpClassification | IpClassificationError>;
  private readonly context: ClassifierContext;
  private hitCount = 0;
  private missCount = 0;

  constructor(options: ClassifierOptions = {}) {
    this.cache = new LruMap(options.cacheSize ?? 10_000);
    this.context = { cloud: options.cloud, geoip: options.geoip };
  }

  /** Classifies `input` (see `classifyIp`), answering repeated inputs from the cache. */
  classify(input: string): IpClassification | IpClassificationError {
    const cached = this.cache.get(input);
    if (cached) {
      this.hitCount++;
      return cached;
    }
    this.missCount++;
    const result = classifyIp(input, this.context);
    if (typeof input === 'string' && input.length <= MAX_ADDRESS_LENGTH) this.cache.set(input, result);
    return result;
  }

  /** Cache hits and misses so far. */
  get stats(): { hits: number; misses: number; size: number; evicted: number } {
    return { hits: this.hitCount, misses: this.missCount, size: this.cache.size, evicted: this.cache.evicted };
  }
}
