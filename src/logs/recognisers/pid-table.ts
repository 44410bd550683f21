/**
 * Values per process (log source, host and pid), bounded: when full, the
 * entry set longest ago is forgotten. Keyed by number within a (source, host)
 * scope rather than by a composed string: building and hashing that string on
 * every line cost more than the lookup itself.
 */

/** The processes of one source and host. */
export interface Scope<V> {
  /** `source NUL host`, its key in the scopes map. */
  key: string;
  byPid: Map<number, V>;
}

/**
 * The fields the table keeps on each value: it threads the values themselves
 * on its list (a wrapper object per value would be garbage on every line).
 */
export interface PidEntry<V> {
  scope?: Scope<V>;
  pid?: number;
  /** The value set before this one (the list runs from the oldest to the newest). */
  older?: V;
  newer?: V;
}

export class PidTable<V extends PidEntry<V>> {
  private readonly scopes = new Map<string, Scope<V>>();
  private oldest: V | undefined;
  private newest: V | undefined;
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
    return this.scope(source, host)?.byPid.get(pid);
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
    value.scope = scope;
    value.pid = pid;
    value.older = this.newest;
    value.newer = undefined;
    if (this.newest) this.newest.newer = value;
    else this.oldest = value;
    this.newest = value;
    this.count++;
    scope.byPid.set(pid, value);
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

  private remove(entry: V): void {
    if (entry.older) entry.older.newer = entry.newer;
    else this.oldest = entry.newer;
    if (entry.newer) entry.newer.older = entry.older;
    else this.newest = entry.older;
    entry.older = undefined;
    entry.newer = undefined;
    this.count--;
    const scope = entry.scope!;
    scope.byPid.delete(entry.pid!);
    if (scope.byPid.size > 0) return;
    this.scopes.delete(scope.key);
    if (this.last?.scope === scope) this.last = undefined;
  }
}
