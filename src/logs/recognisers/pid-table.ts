/**
 * Values per process (log source, host and pid), bounded: when full, the
 * entry set longest ago is forgotten. Keyed by number within a (source, host)
 * scope rather than by a composed string: building and hashing that string on
 * every line cost more than the lookup itself.
 */

interface Scope<V> {
  /** `source NUL host`, its key in the scopes map. */
  key: string;
  byPid: Map<number, Entry<V>>;
}

interface Entry<V> {
  scope: Scope<V>;
  pid: number;
  value: V;
  /** The entry set before this one (the list runs from the oldest to the newest). */
  older: Entry<V> | undefined;
  newer: Entry<V> | undefined;
}

export class PidTable<V> {
  private readonly scopes = new Map<string, Scope<V>>();
  private oldest: Entry<V> | undefined;
  private newest: Entry<V> | undefined;
  private count = 0;
  /** The scope of the last lookup (consecutive lines mostly share source and host). */
  private last: { source: string; host: string; scope: Scope<V> | undefined } | undefined;

  /** @param capacity most entries kept (at least 1) */
  constructor(private readonly capacity: number) {
    if (!(capacity >= 1)) throw new RangeError(`capacity must be at least 1, got ${capacity}`);
  }

  get size(): number {
    return this.count;
  }

  get(source: string, host: string, pid: number): V | undefined {
    return this.scope(source, host)?.byPid.get(pid)?.value;
  }

  /** Sets the value of a process, as the newest entry. */
  set(source: string, host: string, pid: number, value: V): void {
    this.delete(source, host, pid);
    if (this.count >= this.capacity) this.remove(this.oldest!);
    let scope = this.scope(source, host);
    if (!scope) {
      const key = `${source}\u0000${host}`;
      scope = { key, byPid: new Map() };
      this.scopes.set(key, scope);
      this.last = { source, host, scope };
    }
    const entry: Entry<V> = { scope, pid, value, older: this.newest, newer: undefined };
    if (this.newest) this.newest.newer = entry;
    else this.oldest = entry;
    this.newest = entry;
    this.count++;
    scope.byPid.set(pid, entry);
  }

  delete(source: string, host: string, pid: number): void {
    const entry = this.scope(source, host)?.byPid.get(pid);
    if (entry) this.remove(entry);
  }

  private scope(source: string, host: string): Scope<V> | undefined {
    const last = this.last;
    if (last !== undefined && last.source === source && last.host === host) return last.scope;
    const scope = this.scopes.get(`${source}\u0000${host}`);
    this.last = { source, host, scope };
    return scope;
  }

  private remove(entry: Entry<V>): void {
    if (entry.older) entry.older.newer = entry.newer;
    else this.oldest = entry.newer;
    if (entry.newer) entry.newer.older = entry.older;
    else this.newest = entry.older;
    this.count--;
    const scope = entry.scope;
    scope.byPid.delete(entry.pid);
    if (scope.byPid.size > 0) return;
    this.scopes.delete(scope.key);
    if (this.last?.scope === scope) this.last = undefined;
  }
}
