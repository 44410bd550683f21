/**
 * The fleet's blocklist in a JetStream key-value bucket: collectors put every
 * address they blacklist (and delete one they no longer do); agents read the
 * bucket and watch it, turning each change into the ipset or nftables line
 * that keeps their host's set in step. Addresses are parsed again on both
 * sides, so whatever the bucket holds, only an address reaches a firewall.
 */
import { type KV, KvWatchInclude, Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Case } from '../core/case';
import { formatIp, parseIp } from '../tracers/ip/address';
import {
  type BlockedAddresses,
  type BlocklistFormat,
  blocklistChange,
  ipsetScript,
  nftScript,
} from '../tracers/ip/blocklist';

/** The bucket's name. */
export const BLOCKLIST_BUCKET = 'logsleuth-blocklist';

/** What the bucket holds per address. */
export interface FleetBlock {
  ip: string;
  score: number;
  /** The case's reasons, as sentences (at most five). */
  reasons: string[];
  /** Who put it: the collector's durable name. */
  by: string;
  /** When it was put (ISO 8601). */
  at: string;
}

/** The key of an address: `v4.1.2.3.4` or `v6.2001_db8__1` (KV keys cannot hold `:`); undefined for a non-address. */
export function blockKey(ip: string): string | undefined {
  const parsed = parseIp(ip);
  if (typeof parsed === 'string' || parsed.zone !== undefined) return undefined;
  const text = formatIp(parsed.bytes);
  return parsed.version === 4 ? `v4.${text}` : `v6.${text.replaceAll(':', '_')}`;
}

/** The address a key names (the inverse of {@link blockKey}); undefined for any other key. */
export function addressOfKey(key: string): string | undefined {
  const ip = key.startsWith('v4.') ? key.slice(3) : key.startsWith('v6.') ? key.slice(3).replaceAll('_', ':') : '';
  return ip !== '' && blockKey(ip) === key ? ip : undefined;
}

/** Opens (creating if needed) the bucket; one value per key is kept. */
export async function openBlocklist(connection: NatsConnection): Promise<KV> {
  return new Kvm(connection).create(BLOCKLIST_BUCKET, { history: 1 });
}

/** What {@link publishBlocklist} changed. */
export interface BlocklistSync {
  put: number;
  deleted: number;
}

/**
 * Puts the blacklisted addresses of `cases` into the bucket and deletes the
 * ones the cases no longer blacklist. An address this collector has no case
 * for is left alone: another collector may own it.
 */
export async function publishBlocklist(kv: KV, cases: readonly Case[], by: string): Promise<BlocklistSync> {
  const sync: BlocklistSync = { put: 0, deleted: 0 };
  const at = new Date().toISOString();
  for (const suspect of cases) {
    const key = blockKey(suspect.ip);
    if (key === undefined) continue;
    if (suspect.blacklisted) {
      const block: FleetBlock = {
        ip: suspect.ip,
        score: suspect.score,
        reasons: suspect.reasons.slice(0, 5).map((reason) => reason.text),
        by,
        at,
      };
      await kv.put(key, JSON.stringify(block));
      sync.put++;
    } else if ((await kv.get(key))?.operation === 'PUT') {
      await kv.delete(key);
      sync.deleted++;
    }
  }
  return sync;
}

/** The addresses the bucket holds now, by family and sorted (as a blocklist file has them). */
export async function currentBlocklist(kv: KV): Promise<BlockedAddresses> {
  const v4: string[] = [];
  const v6: string[] = [];
  let invalid = 0;
  for await (const key of await kv.keys()) {
    const ip = addressOfKey(key);
    if (ip === undefined) invalid++;
    else (ip.includes(':') ? v6 : v4).push(ip);
  }
  return { v4: v4.sort(), v6: v6.sort(), invalid };
}

/** The script that creates the host's sets with what the bucket holds now. */
export function initialScript(format: Exclude<BlocklistFormat, 'plain'>, blocked: BlockedAddresses): string {
  return format === 'ipset' ? ipsetScript(blocked, 'logsleuth') : nftScript(blocked, 'logsleuth', 'logsleuth');
}

/**
 * Follows the bucket until `signal` aborts: each address put or deleted
 * after the call becomes one line of `format` handed to `onLine`. Resolves
 * with the number of keys skipped because they named no address.
 */
export async function watchBlocklist(
  kv: KV,
  format: Exclude<BlocklistFormat, 'plain'>,
  onLine: (line: string) => void | Promise<void>,
  signal: AbortSignal,
): Promise<number> {
  let skipped = 0;
  const updates = await kv.watch({ include: KvWatchInclude.UpdatesOnly });
  const stop = () => updates.stop();
  if (signal.aborted) stop();
  signal.addEventListener('abort', stop, { once: true });
  try {
    for await (const entry of updates) {
      const ip = addressOfKey(entry.key);
      const line =
        ip === undefined ? undefined : blocklistChange(format, entry.operation === 'PUT' ? 'add' : 'remove', ip);
      if (line === undefined) skipped++;
      else await onLine(line);
    }
  } finally {
    signal.removeEventListener('abort', stop);
  }
  return skipped;
}
