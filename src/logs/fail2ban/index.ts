/**
 * fail2ban's filters as rule packs: every `filter.d` filter of a fail2ban
 * configuration directory, compiled for re2, with the jails that use them.
 * A line a filter matches becomes a hostile event (the filter's name as the
 * rule) when the built-in recognisers found nothing hostile in it.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { LogEvent } from '../../core/event';
import { remoteOf } from '../recognisers/address';
import type { IniFile } from './ini';
import { type FilterError, readFilter } from './filter';
import { type Jail, readJails } from './jails';
import RE2 from 're2';
import { NeedleIndex } from '../../core/needle-index';
import { type Pack, type PackMatch, PackLine, compilePack, matchPack, verdict } from './pack';
import { BufferedPack } from './buffer';
import { MlfidCache, markPending, mergeFailure } from './mlfid';

export type { Pack, PackMatch, PackPattern } from './pack';
export type { Jail } from './jails';
export type { FilterDefinition, FilterError } from './filter';

/** Where fail2ban keeps its configuration. */
export const DEFAULT_FAIL2BAN_DIR = '/etc/fail2ban';

/** Longest line the packs look at (fail2ban's filters are written for syslog-sized lines). */
const MAX_PACK_CHARS = 16 * 1024;

/** Filter names under `dir/filter.d` (`.conf` and `.local` alike). */
function filterNames(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(join(dir, 'filter.d'));
  } catch {
    return [];
  }
  const names = new Set<string>();
  for (const f of entries) {
    const m = /^(.+)\.(conf|local)$/.exec(f);
    if (m) names.add(m[1]!);
  }
  return [...names].sort();
}

/** Options of {@link loadFail2ban}. */
export interface Fail2banOptions {
  /** Load only these filters (by name); default every filter with a failregex. */
  only?: readonly string[];
}

/** The loaded packs of one fail2ban directory, and the matcher over them. */
export class Fail2banPacks {
  /** Each pack's gate literals (group = pack index), case-sensitive, in one Aho-Corasick pass over the line. */
  private readonly exact: NeedleIndex;
  /** The same for gates that ignore case, run over the lowercased line; undefined when there are none. */
  private readonly caseless: NeedleIndex | undefined;
  /** Scratch: which packs' literals the current line holds. */
  private readonly marks: Uint8Array;
  /** The `_daemon` of each filter an enabled jail uses, anchored, for lines a built-in read. */
  private readonly jailDaemons: { filter: string; daemon: RE2 }[] = [];
  /** Program name -> the jailed filter whose daemon it is ('' for none): programs are few. */
  private readonly daemonFilter = new Map<string, string>();
  /**
   * Lines looked at, lines some pack ran on (a literal held, or an ungated pack), lines matched,
   * and packs run (each cuts the date and runs re2): the work per line that dispatch holds down.
   */
  readonly stats = { lines: 0, prefiltered: 0, matched: 0, packRuns: 0 };
  /** The multi-line packs (maxlines > 1) with their buffers: every line of every source joins them. */
  readonly buffered: readonly BufferedPack[];
  /** The `<F-MLFID>` sessions of each pack that tags them. */
  private readonly sessions = new Map<Pack, MlfidCache>();

  constructor(
    readonly dir: string,
    readonly packs: readonly Pack[],
    readonly errors: readonly FilterError[],
    readonly jails: readonly Jail[],
    /** Milliseconds the loading took. */
    readonly loadMs: number,
  ) {
    const exact: string[][] = [];
    const caseless: string[][] = [];
    for (const { gate } of packs) {
      exact.push(gate && !gate.caseless ? gate.needles : []);
      caseless.push(gate?.caseless ? gate.needles : []);
    }
    this.exact = new NeedleIndex(exact);
    this.caseless = caseless.some((n) => n.length > 0) ? new NeedleIndex(caseless) : undefined;
    this.marks = new Uint8Array(packs.length);
    this.buffered = packs.filter((p) => p.maxlines > 1 && !p.disabled).map((p) => new BufferedPack(p));
    for (const p of packs) if (p.mlfid) this.sessions.set(p, new MlfidCache());
    const jailed = new Set(jails.filter((j) => j.enabled).map((j) => j.filter));
    for (const pack of packs) {
      if (pack.disabled || pack.daemon === undefined || !jailed.has(pack.name)) continue;
      try {
        this.jailDaemons.push({ filter: pack.name, daemon: new RE2(`^(?:${pack.daemon})$`) });
      } catch {
        // A daemon pattern re2 cannot compile: the filter's own matches still count for its jail.
      }
    }
  }

  /** The jailed filter whose `_daemon` names `program`, if any. */
  private jailedFilterOf(program: string): string | undefined {
    let filter = this.daemonFilter.get(program);
    if (filter === undefined) {
      filter = this.jailDaemons.find((j) => j.daemon.test(program))?.filter ?? '';
      if (this.daemonFilter.size < 1024) this.daemonFilter.set(program, filter);
    }
    return filter === '' ? undefined : filter;
  }

  /** The first pack that matches `line` as a failure, or undefined. */
  match(raw: string): PackMatch | undefined {
    this.stats.lines++;
    if (raw.length > MAX_PACK_CHARS) return undefined;
    const line = new PackLine(raw);
    const marks = this.marks;
    marks.fill(0);
    this.exact.mark(raw, marks);
    this.caseless?.mark(line.lowered(), marks);
    let reached = false;
    for (let i = 0; i < this.packs.length; i++) {
      const pack = this.packs[i]!;
      // A multi-line pack runs on its buffers (see feed).
      if (pack.disabled || pack.maxlines > 1 || (pack.gate && marks[i] === 0)) continue;
      reached = true;
      this.stats.packRuns++;
      const found = matchPack(pack, line);
      const m = found && this.failureOf(pack, found);
      if (m) {
        this.stats.prefiltered++;
        this.stats.matched++;
        return m;
      }
    }
    if (reached) this.stats.prefiltered++;
    return undefined;
  }

  /**
   * A pack's match as fail2ban counts it: merged with its `<F-MLFID>` session when
   * it tags one; none when `<F-NOFAIL>` or when no address is known (yet).
   */
  private failureOf(pack: Pack, found: PackMatch): PackMatch | undefined {
    const id = found.groups.mlfid;
    const cache = this.sessions.get(pack);
    if (id === undefined || cache === undefined) return !found.nofail && found.host !== undefined ? found : undefined;
    const session = mergeFailure(cache, id, { ...found.groups, user: found.user });
    const m = verdict(pack, session.groups);
    if (m.nofail) return undefined;
    if (m.host === undefined) markPending(session);
    return m.host === undefined ? undefined : m;
  }

  /**
   * Every line of `event` joins the buffers of the multi-line packs (whatever read it:
   * fail2ban sees every line); the first failure a buffer then holds, if any.
   */
  private feed(event: LogEvent): PackMatch | undefined {
    let failure: PackMatch | undefined;
    const text = event.format === 'journald' ? lineOf(event) : event.raw;
    for (let start = 0; start <= text.length;) {
      const nl = text.indexOf('\n', start);
      const end = nl < 0 ? text.length : nl;
      if (end - start > MAX_PACK_CHARS) {
        for (const b of this.buffered) b.clear(event.source);
      } else {
        const line = new PackLine(end - start === text.length ? text : text.slice(start, end));
        for (const b of this.buffered) {
          const found = b.push(event.source, line.raw, line.lowered);
          const m = found && this.failureOf(b.pack, verdict(b.pack, found.groups));
          failure ??= m;
        }
      }
      if (nl < 0) break;
      start = nl + 1;
    }
    return failure;
  }

  /** `<F-MLFID>` sessions dropped to make room for newer ones (fail2ban's mlfidCache holds 100 per filter). */
  evictedSessions(): number {
    let n = 0;
    for (const cache of this.sessions.values()) n += cache.evicted;
    return n;
  }

  /**
   * Marks `event` hostile when a pack matches its line and no built-in
   * recogniser read it (the built-in's action wins): address, user, and `fields.rule` =
   * `fail2ban/<filter>`. Returns whether it did. A hostile line a built-in read, from the
   * `_daemon` of a filter an enabled jail uses, gets that filter as `fields.fail2ban` (its
   * jail counts it).
   */
  apply(event: LogEvent): boolean {
    // A line a built-in recogniser read (a success, a mode's non-failure) keeps its verdict; a
    // plain access line (`http.request`) is only parsed, not judged, so a filter may judge it.
    const buffered = this.buffered.length === 0 ? undefined : this.feed(event);
    if (event.hostile) {
      // A hostile line of a jailed filter's daemon: its jail counts it (running the filter on every
      // hostile line would cost half the analysis again; the daemon's name is what fail2ban keys on).
      const filter =
        event.ip !== undefined && event.program !== undefined ? this.jailedFilterOf(event.program) : undefined;
      if (filter) event.fields = { ...event.fields, fail2ban: filter };
      return false;
    }
    if (event.action !== undefined && event.action !== 'http.request') return false;
    const m = this.match(lineOf(event)) ?? buffered;
    if (!m) return false;
    const remote = remoteOf(m.host);
    if (remote.ip === undefined && remote.domain === undefined) return false;
    event.hostile = true;
    event.outcome = 'failure';
    event.action ??= 'auth.failure';
    if (remote.ip !== undefined) event.ip = remote.ip;
    else event.domain = remote.domain;
    if (m.user !== undefined && m.user !== '' && event.user === undefined) event.user = m.user;
    event.fields = { ...event.fields, rule: `fail2ban/${m.filter}` };
    return true;
  }

  /** The filters loaded and usable, by name. */
  filterNames(): Set<string> {
    return new Set(this.packs.filter((p) => !p.disabled).map((p) => p.name));
  }
}

/**
 * The text fail2ban would have seen: for journal records, `host program[pid]: message`
 * (as fail2ban's systemd backend formats them); else the record's first line.
 */
export function lineOf(event: LogEvent): string {
  if (event.format === 'journald') {
    const who =
      event.program === undefined ? '' : `${event.program}${event.pid === undefined ? '' : `[${event.pid}]`}: `;
    return `${event.host ?? 'localhost'} ${who}${event.message}`;
  }
  const nl = event.raw.indexOf('\n');
  return nl < 0 ? event.raw : event.raw.slice(0, nl);
}

/**
 * Loads the filters (and jails) of a fail2ban configuration directory.
 * Never throws for a filter: one that cannot be read is listed in `errors`.
 * Throws when `dir` has no `filter.d`.
 */
export function loadFail2ban(dir: string = DEFAULT_FAIL2BAN_DIR, options: Fail2banOptions = {}): Fail2banPacks {
  const started = performance.now();
  if (!existsSync(join(dir, 'filter.d')) || !statSync(join(dir, 'filter.d')).isDirectory())
    throw new Error(`${dir} has no filter.d directory`);
  const cache = new Map<string, IniFile | null>();
  let jails: Jail[];
  try {
    jails = readJails(dir, cache);
  } catch {
    jails = [];
  }
  const paramsOf = new Map<string, Record<string, string>>();
  for (const jail of jails) if (jail.enabled && !paramsOf.has(jail.filter)) paramsOf.set(jail.filter, jail.params);
  const packs: Pack[] = [];
  const errors: FilterError[] = [];
  for (const name of options.only ?? filterNames(dir)) {
    try {
      const def = readFilter(dir, name, paramsOf.get(name) ?? {}, cache);
      if (def.failregex.length === 0) continue; // an include (common.conf), not a filter
      packs.push(compilePack(def));
    } catch (error) {
      errors.push({ name, error: (error as Error).message });
    }
  }
  // A file other filters include (common.conf, apache-common.conf) is no filter of its own.
  const included = new Set(packs.flatMap((p) => p.files));
  const own = errors.filter((e) => !included.has(join(dir, 'filter.d', `${e.name}.conf`)));
  return new Fail2banPacks(dir, packs, own, jails, performance.now() - started);
}
