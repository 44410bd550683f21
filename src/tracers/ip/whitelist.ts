/**
 * Sets of addresses and networks: the whitelist (never blacklisted) and imported
 * known-malicious lists. Lookups hash the address once per distinct prefix
 * length in the set, so a list of thousands of networks costs a few Map probes.
 */
import { readFile } from 'node:fs/promises';
import { parseCidr, parseIp, readIpv4 } from './address';
import { unwrapIpv4 } from './embedded-ipv4';
import { PrefixTrie } from './prefix-trie';

/** The default whitelist: loopback only. */
export const DEFAULT_WHITELIST: readonly string[] = ['127.0.0.0/8', '::1/128'];

/** Scratch bytes of `CidrSet.has`: it runs on every new address. */
const ipv4Bytes = new Uint8Array(4);

/** A set of IPv4 and IPv6 networks (a plain address is a /32 or /128). */
export class CidrSet {
  private readonly v4 = new PrefixTrie<true>(32);
  private readonly v6 = new PrefixTrie<true>(128);

  /** Builds a set from entries; throws on the first invalid one (use `parseCidrList` for files). */
  constructor(entries: Iterable<string> = []) {
    for (const entry of entries) {
      const error = this.add(entry);
      if (error) throw new Error(`not an IP address or CIDR network: ${JSON.stringify(entry)} (${error})`);
    }
  }

  /** Number of distinct networks. */
  get size(): number {
    return this.v4.size + this.v6.size;
  }

  /** Adds an address or `address/prefix`; returns what is wrong with it, or undefined when added. */
  add(entry: string): string | undefined {
    const cidr = parseCidr(entry);
    if (typeof cidr === 'string') return cidr;
    (cidr.version === 4 ? this.v4 : this.v6).insert(cidr.bytes, cidr.length, true);
    return undefined;
  }

  /** Whether `ip` falls in one of the networks; an IPv4-mapped IPv6 address is looked up as IPv4 too. */
  has(ip: string): boolean {
    if (!ip.includes(':')) return readIpv4(ip, ipv4Bytes) && this.v4.lookup(ipv4Bytes) !== undefined;
    const parsed = parseIp(ip);
    if (typeof parsed === 'string') return false;
    if (parsed.version === 4) return this.v4.lookup(parsed.bytes) !== undefined;
    if (this.v6.lookup(parsed.bytes)) return true;
    const unwrapped = unwrapIpv4(parsed.bytes);
    return unwrapped?.embedded.kind === 'ipv4-mapped' && this.v4.lookup(unwrapped.bytes) !== undefined;
  }
}

/** A parsed list file: the set and the lines that were not addresses or networks. */
export interface CidrList {
  set: CidrSet;
  /** 1-based line numbers of entries that were not an address or network. */
  invalid: number[];
}

/** The first blank-separated word of a line, before any `#` or `;` comment. */
function firstWord(line: string): string {
  let start = 0;
  while (start < line.length && line.charCodeAt(start) <= 32) start++;
  let end = start;
  while (end < line.length && line.charCodeAt(end) > 32 && line[end] !== '#' && line[end] !== ';') end++;
  return line.slice(start, end);
}

/**
 * Parses a list of addresses and networks as blocklists publish them: one per
 * line, `#` or `;` comments, anything after the first blank ignored
 * (`1.2.3.0/24 ; SBL123`). Bad lines are reported, not fatal. Entries are
 * added to `set` when given (to merge several lists).
 */
export function parseCidrList(text: string, set = new CidrSet()): CidrList {
  const invalid: number[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const entry = firstWord(lines[i]!);
    if (entry !== '' && set.add(entry) !== undefined) invalid.push(i + 1);
  }
  return { set, invalid };
}

/** Reads a list file (see `parseCidrList`). */
export async function readCidrList(path: string, into?: CidrSet): Promise<CidrList> {
  return parseCidrList(await readFile(path, 'utf8'), into);
}
