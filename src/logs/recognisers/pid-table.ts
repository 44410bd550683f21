/**
 * Values per process (log source, host and pid), bounded: when full, the
 * entry set longest ago is forgotten. Keyed by number within a (source, host)
 * scope rather than by a composed string: building and hashing that string on
 * every line cost more than the lookup itself.
 */
import { LruMap } from '../../core/lru';

interface Scope<V> {
  /** `source NUL host`, its key in the scopes map. */
  key: string;
  byPid: Map<number, Entry<V>>;
}

interface Entry<V> {
  scope: Scope<V>;
  pid: number;
  value: V;
}

export class PidTable<V> {
  private readonly scopes = new Map<string, Scope<V>>();
  /** Every entry, in the order set: the bound. */
  private readonly order: LruMap<Entry<V>, undefined>;
  /** The scope of the last lookup (consecutive lines mostly share source and host). */
  private last: { source: string; host: string; scope: Scope<V> | undefined } | undefined;

  /** @param capacity most entries kept */
  constructor(capacity: number) {
    this.order = new LruMap(capacity, (entry) => this.unlink(entry));
  }

  get size(): number {
    return this.order.size;
  }

  get(source: string, host: string, pid: number): V | undefined {
    return this.scope(source, host)?.byPid.get(pid)?.value;
  }

  /** Sets the value of a process, as the most recent entry. */
  set(source: string, host: string, pid: number, value: V): void {
    this.delete(source, host, pid);
    let scope = this.scope(source, host);
    if (!scope) {
      const key = `${source}\u0000${host}`;
      scope = { key, byPid: new Map() };
      this.scopes.set(key, scope);
      this.last = { source, host, scope };
    }
    const entry: Entry<V> = { scope, pid, value };
    scope.byPid.set(pid, entry);
    this.order.set(entry, undefined); // may forget the oldest entry, never this one
  }

  delete(source: string, host: string, pid: number): void {
    const entry = this.scope(source, host)?.byPid.get(pid);
    if (!entry) return;
    this.order.delete(entry);
    this.unlink(entry);
  }

  private scope(source: string, host: string): Scope<V> | undefined {
    const last = this.last;
    if (last !== undefined && last.source === source && last.host === host) return last.scope;
    const scope = this.scopes.get(`${source}\u0000${host}`);
    this.last = { source, host, scope };
    return scope;
  }

  private unlink(entry: Entry<V>): void {
    const scope = entry.scope;
    scope.byPid.delete(entry.pid);
    if (scope.byPid.size > 0) return;
    this.scopes.delete(scope.key);
    if (this.last?.scope === scope) this.last = undefined;
  }
}
