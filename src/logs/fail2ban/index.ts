/**
 * fail2ban's filters as rule packs: every `filter.d` filter of a fail2ban
 * configuration directory, compiled for re2, with the jails that use them.
 * A line a filter matches becomes a hostile event (the filter's name as the
 * rule) when the built-in recognisers found nothing hostile in it.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import RE2 from 're2';
import type { LogEvent } from '../../core/event';
import { remoteOf } from '../recognisers/address';
import type { IniFile } from './ini';
import { type FilterError, readFilter } from './filter';
import { type Jail, readJails } from './jails';
import { type Pack, type PackMatch, compilePack, matchPack } from './pack';
import { withoutDate } from './date';

export type { Pack, PackMatch, PackPattern } from './pack';
export type { Jail } from './jails';
export type { FilterDefinition, FilterError } from './filter';

/** Where fail2ban keeps its configuration. */
export const DEFAULT_FAIL2BAN_DIR = '/etc/fail2ban';

/** Longest line the packs look at (fail2ban's filters are written for syslog-sized lines). */
const MAX_PACK_CHARS = 16 * 1024;

function escapeLiteral(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}

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
  /** Matches lines holding no pattern's literal out at once: one re2 run over the line. */
  private readonly gate: RE2 | undefined;
  /** Whether some pattern has no literal, so every line must reach the packs. */
  private readonly ungated: boolean;
  /** Lines looked at, lines that held a pattern's literal (so reached re2), lines matched. */
  readonly stats = { lines: 0, prefiltered: 0, matched: 0 };

  constructor(
    readonly dir: string,
    readonly packs: readonly Pack[],
    readonly errors: readonly FilterError[],
    readonly jails: readonly Jail[],
    /** Milliseconds the loading took. */
    readonly loadMs: number,
  ) {
    const literals = new Set<string>();
    let ungated = false;
    for (const pack of packs) {
      if (pack.disabled) continue;
      for (const p of pack.failregex) {
        if (!p.re) continue;
        if (p.prefilter === '') ungated = true;
        else literals.add(p.prefilter);
      }
    }
    this.ungated = ungated;
    this.gate = literals.size > 0 ? new RE2([...literals].map(escapeLiteral).join('|')) : undefined;
  }

  /** The first pack that matches `line` as a failure, or undefined. */
  match(line: string): PackMatch | undefined {
    this.stats.lines++;
    if (line.length > MAX_PACK_CHARS) return undefined;
    if (!this.ungated && !this.gate?.test(line)) return undefined;
    this.stats.prefiltered++;
    const stripped = withoutDate(line);
    for (const pack of this.packs) {
      const m = matchPack(pack, line, stripped);
      if (m && !m.nofail && m.host !== undefined) {
        this.stats.matched++;
        return m;
      }
    }
    return undefined;
  }

  /**
   * Marks `event` hostile when a pack matches its line and no built-in
   * recogniser read it (the built-in's action wins): address, user, and `fields.rule` =
   * `fail2ban/<filter>`. Returns whether it did.
   */
  apply(event: LogEvent): boolean {
    // A line a built-in recogniser read (a success, a mode's non-failure) keeps its verdict; a
    // plain access line (`http.request`) is only parsed, not judged, so a filter may judge it.
    if (event.hostile || (event.action !== undefined && event.action !== 'http.request')) return false;
    const m = this.match(lineOf(event));
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
