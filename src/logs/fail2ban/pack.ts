/**
 * fail2ban filters compiled for re2 and matched the way fail2ban's
 * Filter.findFailure matches a one-line buffer: the date cut out, ignoreregex,
 * prefregex (its `content` group becomes what the failregexes see), the
 * failregexes in order (the first that matches decides), the address from
 * `ip4`/`ip6`/`dns` (else the failure id `fid`).
 */
import RE2 from 're2';
import type { FilterDefinition } from './filter';
import { type Clause, anyOf, holds, prefilterOf, strongest } from './literal';
import { type Check, type Translation, passes, resolveTags, toRe2 } from './translate';
import { type DatePatterns, compileDatePattern, withoutDate } from './date';
import { type Lead, leadOf, mayLead } from './lead';

/** One pattern of a pack as loaded. */
export interface PackPattern {
  kind: 'prefregex' | 'failregex' | 'ignoreregex';
  /** As the filter writes it (after interpolation). */
  original: string;
  /** The re2 pattern, or undefined when skipped. */
  re?: RE2;
  /** The literals tested before re2 runs (undefined when none: the pattern always runs). */
  prefilter: Clause | undefined;
  /** What the text must start with, tested before re2 runs (undefined: not anchored, or on a multi-line buffer). */
  lead?: Lead;
  rewrites: string[];
  /** Conditions tested on each match (lookaheads and backreferences re2 lacks). */
  checks: Check[];
  /** Why the pattern is not used. */
  skipped?: string;
}

/** A filter compiled for re2. */
export interface Pack {
  name: string;
  files: string[];
  /** Lines a match may span (more than 1: the pack runs on a buffer, see buffer.ts). */
  maxlines: number;
  /** Its patterns tag a multi-line failure id (`<F-MLFID>`): matches merge per id (see mlfid.ts). */
  mlfid: boolean;
  datepattern: string | undefined;
  /** The datepattern compiled (undefined: fail2ban's default templates). */
  dates: DatePatterns;
  journalmatch: string | undefined;
  /** The filter's `_daemon` (a pattern of program names), when it sets one. */
  daemon: string | undefined;
  prefregex: PackPattern | undefined;
  failregex: PackPattern[];
  ignoreregex: PackPattern[];
  /** A prefregex that cannot run makes every failregex unusable; this says why. */
  disabled?: string;
  /**
   * Literals a line must hold for the pack to match, whatever its date or prefix:
   * the prefregex's, or one of every failregex's, whichever is stronger.
   * Undefined when neither exists (the pack runs on every line).
   */
  gate: Clause | undefined;
}

/** What a pack found in a line. */
export interface PackMatch {
  filter: string;
  /** The address or host name (`ip4`, `ip6`, `dns`), else the failure id. */
  host: string | undefined;
  user: string | undefined;
  /** The pattern matched but fail2ban counts it as no failure (`<F-NOFAIL>`). */
  nofail: boolean;
  groups: Record<string, string | undefined>;
}

function compile(kind: PackPattern['kind'], original: string, useDns?: string, multiline?: boolean): PackPattern {
  const resolved = resolveTags(original, { useDns });
  const t: Translation = toRe2(resolved, { multiline });
  const prefilter = prefilterOf(resolved);
  if (!t.ok) return { kind, original, prefilter, rewrites: [], checks: [], skipped: t.reason };
  // `^` of a multi-line buffer stands at each of its lines.
  const lead = multiline ? undefined : leadOf(resolved);
  return { kind, original, re: t.re, prefilter, lead, rewrites: t.rewrites, checks: t.checks };
}

/** Compiles a filter definition; never throws (what cannot run is marked skipped). */
export function compilePack(def: FilterDefinition): Pack {
  const useDns = def.options.usedns;
  const multiline = def.maxlines > 1;
  const prefregex = def.prefregex === undefined ? undefined : compile('prefregex', def.prefregex, useDns, multiline);
  const failregex = def.failregex.map((p) => compile('failregex', p, useDns, multiline));
  const pack: Pack = {
    name: def.name,
    files: def.files,
    maxlines: def.maxlines,
    mlfid: [def.prefregex ?? '', ...def.failregex].some((p) => p.includes('<F-MLFID>')),
    datepattern: def.datepattern,
    dates: compileDatePattern(def.datepattern),
    journalmatch: def.journalmatch,
    daemon: def.options['_daemon'],
    prefregex,
    failregex,
    ignoreregex: def.ignoreregex.map((p) => compile('ignoreregex', p, useDns, multiline)),
    gate: undefined,
  };
  if (prefregex?.skipped) pack.disabled = `prefregex skipped (${prefregex.skipped})`;
  // A failregex without a literal of its own is gated by the prefregex's.
  for (const p of failregex) p.prefilter ??= prefregex?.prefilter;
  const usable = failregex.filter((p) => p.re);
  if (usable.length === 0) pack.disabled ??= 'no failregex runs on re2';
  const eitherFailregex = anyOf(usable.map((p) => p.prefilter));
  pack.gate = strongest([prefregex?.prefilter, eitherFailregex].filter((c) => c !== undefined));
  return pack;
}

/** The pattern's match on `text` that passes its checks, or null. */
function run(p: PackPattern, text: string): RegExpExecArray | null {
  if (p.lead && !mayLead(p.lead, text)) return null;
  const m = p.re!.exec(text);
  return m && (p.checks.length === 0 || passes(p.checks, m, text)) ? m : null;
}

/**
 * {@link run} on a multi-line buffer: when re2's match fails its checks, the search goes on
 * from the next line, where Python's backtracking would also look (mongodb-auth: connection
 * A's failure, then B's failure and end: re2 starts at A, the backreference fails, B's matches).
 */
function runOnLines(p: PackPattern, text: string): RegExpExecArray | null {
  if (p.checks.length === 0) return run(p, text);
  for (let from = 0; from < text.length;) {
    const rest = from === 0 ? text : text.slice(from);
    const m = p.re!.exec(rest);
    if (!m) return null;
    if (passes(p.checks, m, rest)) {
      m.index += from;
      return m;
    }
    const nl = text.indexOf('\n', from + m.index);
    if (nl < 0) return null;
    from = nl + 1;
  }
  return null;
}

function groupsOf(m: RegExpExecArray): Record<string, string | undefined> {
  return (m.groups ?? {}) as Record<string, string | undefined>;
}

/** A line as the packs read it: raw, lowercased and less its date by the default templates, both made once when asked. */
export class PackLine {
  private lower: string | undefined;
  private stripped: string | undefined;
  constructor(readonly raw: string) {}
  lowered = (): string => (this.lower ??= this.raw.toLowerCase());
  withoutDate(): string {
    return (this.stripped ??= withoutDate(this.raw));
  }
}

/** `line` less its date, as `pack` cuts it (its datepattern, else fail2ban's default templates). */
export function dateless(pack: Pack, line: PackLine): string {
  return pack.dates === undefined ? line.withoutDate() : withoutDate(line.raw, pack.dates);
}

/** A failregex's match: its groups (the prefregex's under them, less `content`), where it matched, in what text. */
export interface FailregexMatch {
  groups: Record<string, string | undefined>;
  /** The text the failregex ran on: the dateless text, or the prefregex's `content` of it. */
  text: string;
  index: number;
  end: number;
}

/**
 * The prefregex, then the failregexes in order on `text` (a dateless line, or a
 * multi-line buffer): the first that matches, or undefined. `mayRun` is a
 * pattern's literal test (on whatever holds the text's literals).
 */
export function searchFailregex(
  pack: Pack,
  text: string,
  mayRun: (p: PackPattern) => boolean,
): FailregexMatch | undefined {
  let searched = text;
  let pre: Record<string, string | undefined> = {};
  if (pack.prefregex) {
    const m = run(pack.prefregex, text);
    if (!m) return undefined;
    pre = groupsOf(m);
    if (pre.content) searched = pre.content;
  }
  for (const p of pack.failregex) {
    if (p.re === undefined || !mayRun(p)) continue;
    const m = pack.maxlines > 1 ? runOnLines(p, searched) : run(p, searched);
    if (!m) continue;
    const groups = { ...pre, ...groupsOf(m) };
    delete groups.content;
    return { groups, text: searched, index: m.index, end: m.index + m[0].length };
  }
  return undefined;
}

/** Whether an ignoreregex of `pack` matches `text`. */
export function ignored(pack: Pack, text: string): boolean {
  for (const ig of pack.ignoreregex) if (ig.re && run(ig, text)) return true;
  return false;
}

/** A failregex's groups as a pack's verdict: the address (`ip4`, `ip6`, `dns`, else `fid`), the user, `<F-NOFAIL>`. */
export function verdict(pack: Pack, groups: Record<string, string | undefined>): PackMatch {
  return {
    filter: pack.name,
    host: groups.ip4 ?? groups.ip6 ?? groups.dns ?? groups.fid,
    user: groups.user ?? groups.alt_user ?? undefined,
    nofail: groups.nofail !== undefined,
    groups,
  };
}

/** Matches one pack on one line (the raw line, date still in), as a one-line buffer: no state. */
export function matchPack(pack: Pack, input: string | PackLine): PackMatch | undefined {
  if (pack.disabled) return undefined;
  const line = typeof input === 'string' ? new PackLine(input) : input;
  // The literal test first: cutting the date and running the prefregex cost more than every `includes`.
  if (pack.gate && !holds(pack.gate, line.raw, line.lowered)) return undefined;
  const mayRun = (p: PackPattern) => p.prefilter === undefined || holds(p.prefilter, line.raw, line.lowered);
  // No failregex may run: nothing matches, whatever the date cut, ignoreregex and prefregex would say.
  if (!pack.failregex.some((p) => p.re !== undefined && mayRun(p))) return undefined;
  const stripped = dateless(pack, line);
  if (ignored(pack, stripped)) return undefined;
  const found = searchFailregex(pack, stripped, mayRun);
  return found && verdict(pack, found.groups);
}
