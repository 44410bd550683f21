/**
 * fail2ban filters compiled for re2 and matched the way fail2ban's
 * Filter.findFailure matches a one-line buffer: the date cut out, ignoreregex,
 * prefregex (its `content` group becomes what the failregexes see), the
 * failregexes in order (the first that matches decides), the address from
 * `ip4`/`ip6`/`dns` (else the failure id `fid`).
 */
import RE2 from 're2';
import type { FilterDefinition } from './filter';
import { prefilterOf } from './literal';
import { type Check, type Translation, passes, resolveTags, toRe2 } from './translate';
import { type DatePatterns, compileDatePattern, withoutDate } from './date';

/** One pattern of a pack as loaded. */
export interface PackPattern {
  kind: 'prefregex' | 'failregex' | 'ignoreregex';
  /** As the filter writes it (after interpolation). */
  original: string;
  /** The re2 pattern, or undefined when skipped. */
  re?: RE2;
  /** The literal tested before re2 runs ('' when none: the pattern always runs). */
  prefilter: string;
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
  maxlines: number;
  datepattern: string | undefined;
  /** The datepattern compiled (undefined: fail2ban's default templates). */
  dates: DatePatterns;
  journalmatch: string | undefined;
  prefregex: PackPattern | undefined;
  failregex: PackPattern[];
  ignoreregex: PackPattern[];
  /** A prefregex that cannot run makes every failregex unusable; this says why. */
  disabled?: string;
  /** Every usable failregex has a literal: a line holding none of them cannot match, whatever its date or prefix. */
  gated: boolean;
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

function compile(kind: PackPattern['kind'], original: string, useDns?: string): PackPattern {
  const resolved = resolveTags(original, { useDns });
  const t: Translation = toRe2(resolved);
  const prefilter = prefilterOf(resolved);
  if (!t.ok) return { kind, original, prefilter, rewrites: [], checks: [], skipped: t.reason };
  return { kind, original, re: t.re, prefilter, rewrites: t.rewrites, checks: t.checks };
}

/** Compiles a filter definition; never throws (what cannot run is marked skipped). */
export function compilePack(def: FilterDefinition): Pack {
  const useDns = def.options.usedns;
  const prefregex = def.prefregex === undefined ? undefined : compile('prefregex', def.prefregex, useDns);
  const failregex = def.failregex.map((p) => compile('failregex', p, useDns));
  const pack: Pack = {
    name: def.name,
    files: def.files,
    maxlines: def.maxlines,
    datepattern: def.datepattern,
    dates: compileDatePattern(def.datepattern),
    journalmatch: def.journalmatch,
    prefregex,
    failregex,
    ignoreregex: def.ignoreregex.map((p) => compile('ignoreregex', p, useDns)),
    gated: false,
  };
  if (prefregex?.skipped) pack.disabled = `prefregex skipped (${prefregex.skipped})`;
  // A failregex without a literal of its own is gated by the prefregex's.
  for (const p of failregex) if (p.prefilter === '' && prefregex) p.prefilter = prefregex.prefilter;
  pack.gated = failregex.every((p) => !p.re || p.prefilter !== '');
  return pack;
}

/** The pattern's match on `text` that passes its checks, or null. */
function run(p: PackPattern, text: string): RegExpExecArray | null {
  const m = p.re!.exec(text);
  return m && (p.checks.length === 0 || passes(p.checks, m, text)) ? m : null;
}

function groupsOf(m: RegExpExecArray): Record<string, string | undefined> {
  return (m.groups ?? {}) as Record<string, string | undefined>;
}

/**
 * Matches one pack on one line (the raw line, date still in); `stripped` is
 * the line less its date by the default templates, used when the filter has
 * no datepattern of its own.
 */
export function matchPack(pack: Pack, line: string, stripped?: string): PackMatch | undefined {
  if (pack.disabled) return undefined;
  // The literal test first: cutting the date and running the prefregex cost more than every `includes`.
  if (pack.gated && !pack.failregex.some((p) => p.re && line.includes(p.prefilter))) return undefined;
  stripped = pack.dates === undefined ? (stripped ?? withoutDate(line)) : withoutDate(line, pack.dates);
  for (const ig of pack.ignoreregex) if (ig.re && run(ig, stripped)) return undefined;
  let text = stripped;
  let pre: Record<string, string | undefined> = {};
  if (pack.prefregex) {
    const m = run(pack.prefregex, stripped);
    if (!m) return undefined;
    pre = groupsOf(m);
    if (pre.content) text = pre.content;
  }
  for (const p of pack.failregex) {
    if (!p.re || (p.prefilter !== '' && !line.includes(p.prefilter))) continue;
    const m = run(p, text);
    if (!m) continue;
    const groups = { ...pre, ...groupsOf(m) };
    delete groups.content;
    const host = groups.ip4 ?? groups.ip6 ?? groups.dns ?? groups.fid;
    return {
      filter: pack.name,
      host,
      user: groups.user ?? groups.alt_user ?? undefined,
      nofail: groups.nofail !== undefined,
      groups,
    };
  }
  return undefined;
}
