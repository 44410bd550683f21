/**
 * Reverse DNS with the three bounds a forensics tool needs when an attacker
 * controls the PTR records: a timeout per lookup, a bounded cache (answers
 * and misses alike, so a flood of addresses cannot grow memory), and a limit
 * on lookups in flight.
 */
import { LruMap } from '../../core/lru';
import type { Resolver } from '../../core/options';

export interface ReverseDnsOptions {
  /** Longest wait for one lookup, in ms (default 2000). A timed-out lookup answers `[]` and is not cached. */
  timeoutMs?: number;
  /** Addresses whose answers are kept (default 1024). */
  cacheSize?: number;
  /** Lookups in flight at once (default 4); others queue. */
  concurrency?: number;
}

/** What the resolver did, for reports and tests. */
export interface ReverseDnsStats {
  lookups: number;
  cacheHits: number;
  timeouts: number;
  failures: number;
}

export class ReverseDns {
  private readonly timeoutMs: number;
  private readonly concurrency: number;
  private readonly cache: LruMap<string, string[]>;
  /** Lookups under way, shared by concurrent callers for the same address. */
  private readonly pending = new Map<string, Promise<string[]>>();
  private readonly queue: (() => void)[] = [];
  private active = 0;
  private readonly counters: ReverseDnsStats = { lookups: 0, cacheHits: 0, timeouts: 0, failures: 0 };

  constructor(
    private readonly resolver: Resolver,
    options: ReverseDnsOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 2000;
    this.concurrency = Math.max(1, options.concurrency ?? 4);
    this.cache = new LruMap(Math.max(1, options.cacheSize ?? 1024));
  }

  /** Host names for `ip`; `[]` when there are none, the lookup failed or timed out. Never rejects. */
  reverse(ip: string): Promise<string[]> {
    const cached = this.cache.get(ip);
    if (cached) {
      this.counters.cacheHits++;
      return Promise.resolve(cached);
    }
    let lookup = this.pending.get(ip);
    if (!lookup) {
      lookup = this.lookup(ip).finally(() => this.pending.delete(ip));
      this.pending.set(ip, lookup);
    }
    return lookup;
  }

  stats(): ReverseDnsStats & { cached: number; evicted: number } {
    return { ...this.counters, cached: this.cache.size, evicted: this.cache.evicted };
  }

  private async lookup(ip: string): Promise<string[]> {
    await this.slot();
    this.counters.lookups++;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.timeoutMs);
      timer.unref();
    });
    try {
      const answer = await Promise.race([this.resolver.reverse(ip), timeout]);
      if (answer === 'timeout') {
        this.counters.timeouts++;
        return [];
      }
      const names = [...new Set(answer.filter((name) => typeof name === 'string' && name.length > 0))].sort();
      this.cache.set(ip, names);
      return names;
    } catch (error) {
      // NXDOMAIN / no PTR is an answer ("no name"), worth caching; other errors are transient.
      const code = (error as NodeJS.ErrnoException | undefined)?.code;
      if (code === 'ENOTFOUND' || code === 'ENODATA') this.cache.set(ip, []);
      else this.counters.failures++;
      return [];
    } finally {
      clearTimeout(timer);
      this.release();
    }
  }

  private slot(): Promise<void> {
    if (this.active < this.concurrency) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.queue.push(resolve));
  }

  private release(): void {
    const next = this.queue.shift();
    // The slot passes straight to the next waiter, so `active` stays the same.
    if (next) next();
    else this.active--;
  }
}
