/**
 * Partition leases: collectors on `--partition auto` share the fleet's
 * partitions through a JetStream key-value bucket, one per durable. Each
 * member puts `member.<id>` every tick; each partition is `partition.<p>`,
 * created (only if absent) by its owner and renewed by an update that names
 * the revision the owner last wrote, so no two members hold it at once. The
 * bucket's max age is the lease's TTL: a key not renewed is removed by the
 * server, a dead member's leases with it, and the others take them. A clean
 * stop deletes its keys at once. Owners count their lease from before their
 * last renewal on their own monotonic clock, never comparing clocks between
 * hosts (docs/fleet.md: the guarantee and its limits).
 */
import { type KV, KvWatchInclude, Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import RE2 from 're2';
import { DEFAULT_LEASE_TTL_MS, MIN_LEASE_TTL_MS, PARTITIONS } from './partition';

// Bucket names allow letters, digits, '-' and '_'; key tokens '-', '_', '=' and '/' too.
const BUCKET_UNSAFE = new RE2('[^A-Za-z0-9_-]', 'g');

/** The leases' bucket of one durable: `logsleuth-leases-<durable>`. */
export function leaseBucket(durable: string): string {
  return `logsleuth-leases-${durable.replace(BUCKET_UNSAFE, '_')}`;
}

/** A partition's key in the bucket: `partition.07`. */
export function partitionKey(partition: number): string {
  return `partition.${String(partition).padStart(2, '0')}`;
}

/** How many partitions each of `members` members holds at most: 16 / members, rounded up. */
export function leaseTarget(members: number): number {
  return Math.ceil(PARTITIONS / Math.max(1, members));
}

/** A member id nobody else has: `<host>-<pid>-<6 hex>`, safe as a key token. */
export function newMemberId(): string {
  return `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`.replace(BUCKET_UNSAFE, '_');
}

/** What a member writes under its keys (for people reading the bucket; the keys and revisions decide). */
interface LeaseValue {
  member: string;
  at: string;
}

/** A lease this member holds: the revision it wrote, and until when (monotonic ms) it may read. */
interface Held {
  revision: number;
  expires: number;
}

/** Options of {@link PartitionLeases}. */
export interface LeaseOptions {
  connection: NatsConnection;
  /** The collectors' durable: members of one durable share its partitions. */
  durable: string;
  /** This member's id (default {@link newMemberId}). */
  member?: string;
  /** The TTL if this member makes the bucket (default 15 s); a bucket that exists keeps its own. */
  ttlMs?: number;
}

/**
 * One member's leases. `start()` joins and claims a share, `tick()` (every
 * `intervalMs`, and at once when a lease is released: `keep()`) renews, gives
 * back partitions above its share and takes free ones, `stop()` releases
 * everything. `readable()` says which partitions it may fetch from now.
 */
export class PartitionLeases {
  readonly member: string;
  private kv: KV | undefined;
  /** The bucket's TTL, read from the bucket once opened. */
  private ttl: number;
  private readonly held = new Map<number, Held>();
  /** Given back for balance: no longer readable, released once the collector has settled them. */
  private readonly leaving = new Set<number>();
  private members = 1;

  constructor(private readonly options: LeaseOptions) {
    this.member = options.member ?? newMemberId();
    this.ttl = options.ttlMs ?? DEFAULT_LEASE_TTL_MS;
    if (!(this.ttl >= MIN_LEASE_TTL_MS))
      throw new RangeError(`a lease TTL is at least ${MIN_LEASE_TTL_MS} ms, not ${this.ttl}`);
  }

  /** The lease TTL in ms (the bucket's, once started). */
  get ttlMs(): number {
    return this.ttl;
  }

  /** How often {@link tick} should run: a third of the TTL. */
  get intervalMs(): number {
    return Math.floor(this.ttl / 3);
  }

  /** Members seen at the last tick, this one included. */
  get memberCount(): number {
    return this.members;
  }

  /** The partitions held with at least a third of the TTL left, not being given back, in order. */
  readable(): number[] {
    const now = performance.now();
    const margin = this.ttl / 3;
    return [...this.held]
      .filter(([p, lease]) => lease.expires - now >= margin && !this.leaving.has(p))
      .map(([p]) => p)
      .sort((a, b) => a - b);
  }

  /** Opens the bucket (made with this TTL if missing), joins, and claims a share. */
  async start(): Promise<void> {
    const kvm = new Kvm(this.options.connection);
    const name = leaseBucket(this.options.durable);
    this.kv = await kvm.create(name, { history: 1, ttl: this.ttl }).catch(() => kvm.open(name));
    this.ttl = (await this.kv.status()).ttl || this.ttl;
    await this.tick(async () => undefined);
  }

  private value(): string {
    return JSON.stringify({ member: this.member, at: new Date().toISOString() } satisfies LeaseValue);
  }

  private bucket(): KV {
    if (!this.kv) throw new Error('the leases are not started');
    return this.kv;
  }

  /**
   * Heartbeats, renews every lease held (one renewed by someone else, or
   * expired on the server, is lost), then balances: above `16 / members` it
   * gives back its highest partitions (after `beforeRelease(p)`, which must
   * leave nothing of p unsettled), below it takes free ones.
   */
  async tick(beforeRelease: (partition: number) => Promise<void>): Promise<void> {
    const kv = this.bucket();
    await kv.put(`member.${this.member}`, this.value());
    for (const [p, lease] of this.held) {
      const sent = performance.now();
      try {
        this.held.set(p, {
          revision: await kv.update(partitionKey(p), this.value(), lease.revision),
          expires: sent + this.ttl,
        });
      } catch {
        // Someone else's now, or gone with the server's expiry: not ours to read. (A server away rejects too,
        // and the lease runs out on our clock while the server may still keep it: the next tick tries again.)
        if (!(await this.stillOurs(p, lease.revision))) this.held.delete(p);
      }
    }
    this.members = Math.max(1, await this.countMembers());
    const target = leaseTarget(this.members);
    for (const p of [...this.held.keys()].sort((a, b) => b - a).slice(0, Math.max(0, this.held.size - target)))
      await this.release(p, beforeRelease);
    for (let p = 0; p < PARTITIONS && this.held.size < target; p++) if (!this.held.has(p)) await this.claim(p);
  }

  /** Whether the key still holds the revision we wrote (a renewal that failed on the way, not on the server). */
  private async stillOurs(partition: number, revision: number): Promise<boolean> {
    const entry = await this.bucket()
      .get(partitionKey(partition))
      .catch(() => undefined);
    return entry !== undefined && entry !== null && entry.operation === 'PUT' && entry.revision === revision;
  }

  private async countMembers(): Promise<number> {
    let members = 0;
    for await (const key of await this.bucket().keys('member.>')) if (key.startsWith('member.')) members++;
    return members;
  }

  /** Takes a partition if nobody holds it: a create fails while its key is there. */
  private async claim(partition: number): Promise<void> {
    const sent = performance.now();
    try {
      const revision = await this.bucket().create(partitionKey(partition), this.value());
      this.held.set(partition, { revision, expires: sent + this.ttl });
    } catch {
      // Held by another member.
    }
  }

  /** Stops reading a partition, lets the collector settle it, and deletes its lease if it is still ours. */
  private async release(partition: number, beforeRelease: (partition: number) => Promise<void>): Promise<void> {
    const lease = this.held.get(partition);
    if (!lease) return;
    this.leaving.add(partition);
    try {
      await beforeRelease(partition);
      await this.bucket()
        .delete(partitionKey(partition), { previousSeq: lease.revision })
        .catch(() => undefined);
    } finally {
      this.held.delete(partition);
      this.leaving.delete(partition);
    }
  }

  /**
   * Keeps the leases until the returned function is called: a {@link tick}
   * every third of the TTL, and one at once whenever a member deletes a lease
   * or its membership (a clean stop, a partition given back), so a released
   * partition is taken without waiting; ticks asked for while one waits are
   * one. Expiries are not seen by the watch: they wait for the next tick. The
   * returned function stops ticking and resolves once the last tick is done.
   */
  keep(beforeRelease: (partition: number) => Promise<void>): () => Promise<void> {
    let ticking: Promise<void> = Promise.resolve();
    let queued = false;
    const tick = () => {
      if (queued) return;
      queued = true;
      // A tick that fails (the server away) leaves the leases to run out on our clock; the next one tries again.
      ticking = ticking
        .then(() => {
          queued = false;
          return this.tick(beforeRelease);
        })
        .catch(() => undefined);
    };
    const timer = setInterval(tick, this.intervalMs);
    const unwatch = new AbortController();
    const watching = this.watchReleases(tick, unwatch.signal).catch(() => undefined);
    return async () => {
      clearInterval(timer);
      unwatch.abort();
      await watching;
      await ticking;
    };
  }

  /** Calls `onRelease` for every delete in the bucket until `signal` aborts. */
  private async watchReleases(onRelease: () => void, signal: AbortSignal): Promise<void> {
    const updates = await this.bucket().watch({ include: KvWatchInclude.UpdatesOnly });
    const stop = () => updates.stop();
    if (signal.aborted) stop();
    signal.addEventListener('abort', stop, { once: true });
    try {
      // Only deletes: every tick puts a heartbeat, and ticking on puts would never end.
      for await (const entry of updates) if (entry.operation !== 'PUT') onRelease();
    } finally {
      signal.removeEventListener('abort', stop);
    }
  }

  /** Releases every lease and leaves the membership, so the others take the partitions at once (watchReleases). */
  async stop(beforeRelease: (partition: number) => Promise<void>): Promise<void> {
    if (!this.kv) return;
    for (const p of [...this.held.keys()]) await this.release(p, beforeRelease);
    await this.kv.delete(`member.${this.member}`).catch(() => undefined);
  }
}
