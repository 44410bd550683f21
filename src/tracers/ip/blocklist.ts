/**
 * Blocklists from a reputation database, in the forms firewalls load: a plain
 * list, an `ipset restore` script, an nftables script. Every address is parsed
 * again and written in canonical form, so nothing but an address can reach a
 * firewall script, whatever the database holds.
 */
import { formatIp, parseIp } from './address';
import type { ReputationDb } from './reputation';

/** The output forms. */
export type BlocklistFormat = 'plain' | 'ipset' | 'nft';

export const BLOCKLIST_FORMATS: readonly BlocklistFormat[] = ['plain', 'ipset', 'nft'];

/** What to block and how to name it. */
export interface BlocklistOptions {
  /** Block entries scoring at least this; default: the entries marked blacklisted. */
  minScore?: number;
  /** Set name (default `logsleuth`); the IPv6 set is `<name>_v6` (ipset) or the sets are `<name>_v4`/`<name>_v6` (nft). */
  set?: string;
  /** nftables table (family inet), default `logsleuth`. */
  table?: string;
}

/** The addresses to block, by family, sorted, and the entries skipped. */
export interface BlockedAddresses {
  v4: string[];
  v6: string[];
  /** Entries whose address did not parse (a tampered database). */
  invalid: number;
}

/** ipset and nftables both accept this; ipset allows at most 31 characters with the `_v6` suffix. */
const NAME = /^[A-Za-z][A-Za-z0-9_]{0,27}$/;

/** Checks a set or table name given by the user. */
export function checkSetName(name: string): string {
  if (!NAME.test(name)) {
    throw new Error(
      `set name ${JSON.stringify(name)}: use a letter then up to 27 letters, digits or underscores (ipset allows 31 characters with _v6)`,
    );
  }
  return name;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/** Selects the addresses to block: never whitelisted ones; blacklisted ones, or those scoring at least `minScore`. */
export function blockedAddresses(db: ReputationDb, minScore?: number): BlockedAddresses {
  const v4: Uint8Array[] = [];
  const v6: Uint8Array[] = [];
  const seen = new Set<string>();
  let invalid = 0;
  for (const entry of db.entries) {
    if (entry.whitelisted) continue;
    if (minScore === undefined ? !entry.blacklisted : entry.score < minScore) continue;
    const parsed = parseIp(entry.ip);
    if (typeof parsed === 'string' || parsed.zone !== undefined) {
      invalid++;
      continue;
    }
    const text = formatIp(parsed.bytes);
    if (seen.has(text)) continue;
    seen.add(text);
    (parsed.version === 4 ? v4 : v6).push(parsed.bytes);
  }
  const sorted = (list: Uint8Array[]) => list.sort(compareBytes).map(formatIp);
  return { v4: sorted(v4), v6: sorted(v6), invalid };
}

function header(db: ReputationDb, blocked: BlockedAddresses, minScore: number | undefined): string {
  const rule = minScore === undefined ? 'blacklisted entries' : `entries scoring at least ${minScore}`;
  return (
    `# logsleuth blocklist: ${blocked.v4.length} IPv4 and ${blocked.v6.length} IPv6 addresses (${rule})\n` +
    `# database generated ${db.generatedAt}, scores as of ${db.referenceTime ?? 'unknown'}\n`
  );
}

/** An `ipset restore` script creating the sets `name` and `name_v6` with `blocked` in them. */
export function ipsetScript(blocked: BlockedAddresses, name: string): string {
  const lines: string[] = [];
  const family = (set: string, inet: 'inet' | 'inet6', addresses: string[]) => {
    const maxelem = Math.max(65536, addresses.length);
    lines.push(`create ${set} hash:ip family ${inet} maxelem ${maxelem}`);
    for (const address of addresses) lines.push(`add ${set} ${address}`);
  };
  family(name, 'inet', blocked.v4);
  family(`${name}_v6`, 'inet6', blocked.v6);
  return lines.join('\n') + '\n';
}

/** Elements per `add element` line: keeps lines short for nft's parser. */
const NFT_CHUNK = 500;

/** An nftables script creating table `table` with the sets `name_v4` and `name_v6` holding `blocked`. */
export function nftScript(blocked: BlockedAddresses, name: string, table: string): string {
  const lines = [
    `# load: nft -f FILE; then drop with: nft add rule inet ${table} <chain> ip saddr @${name}_v4 drop`,
    `#                               and: nft add rule inet ${table} <chain> ip6 saddr @${name}_v6 drop`,
    `add table inet ${table}`,
    `add set inet ${table} ${name}_v4 { type ipv4_addr; }`,
    `add set inet ${table} ${name}_v6 { type ipv6_addr; }`,
  ];
  const elements = (set: string, addresses: string[]) => {
    for (let i = 0; i < addresses.length; i += NFT_CHUNK) {
      lines.push(`add element inet ${table} ${set} { ${addresses.slice(i, i + NFT_CHUNK).join(', ')} }`);
    }
  };
  elements(`${name}_v4`, blocked.v4);
  elements(`${name}_v6`, blocked.v6);
  return lines.join('\n') + '\n';
}

/** Renders the blocklist of `db` in `format`. */
export function renderBlocklist(db: ReputationDb, format: BlocklistFormat, options: BlocklistOptions = {}): string {
  const name = checkSetName(options.set ?? 'logsleuth');
  const table = checkSetName(options.table ?? 'logsleuth');
  const blocked = blockedAddresses(db, options.minScore);
  switch (format) {
    case 'plain':
      return [...blocked.v4, ...blocked.v6].map((ip) => `${ip}\n`).join('');
    case 'ipset':
      // No comment lines: not every ipset version's restore accepts them.
      return ipsetScript(blocked, name);
    case 'nft':
      return header(db, blocked, options.minScore) + nftScript(blocked, name, table);
  }
}

/**
 * One address added to or removed from the sets {@link ipsetScript} or
 * {@link nftScript} made, as the line `ipset restore` or `nft -f` reads.
 * Undefined when `ip` is not an address (it is parsed again: only an address
 * reaches a firewall).
 */
export function blocklistChange(
  format: Exclude<BlocklistFormat, 'plain'>,
  change: 'add' | 'remove',
  ip: string,
  options: Pick<BlocklistOptions, 'set' | 'table'> = {},
): string | undefined {
  const parsed = parseIp(ip);
  if (typeof parsed === 'string' || parsed.zone !== undefined) return undefined;
  const address = formatIp(parsed.bytes);
  const name = checkSetName(options.set ?? 'logsleuth');
  if (format === 'ipset')
    return `${change === 'add' ? 'add' : 'del'} ${parsed.version === 4 ? name : `${name}_v6`} ${address}\n`;
  const table = checkSetName(options.table ?? 'logsleuth');
  const verb = change === 'add' ? 'add' : 'delete';
  return `${verb} element inet ${table} ${name}_v${parsed.version} { ${address} }\n`;
}
