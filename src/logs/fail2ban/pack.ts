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
import { type Translation, resolveTags, toRe2 } from './translate';
import { withoutDate } from './date';

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
  /** Why the pattern is not used. */
  skipped?: string;
}

/** A filter compiled for re2. */
export interface Pack {
  name: string;
  files: string[];
  maxlines: number;
  datepattern: string | undefined;
  journalmatch: string | undefined;
  prefregex: PackPattern | undefined;
  failregex: PackPattern[];
  ignoreregex: PackPattern[];
  /** A prefregex that cannot run makes every failregex unusable; this says why. */
  disabled?: string;
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
  if (!t.ok) return { kind, original, prefilter, rewrites: [], skipped: t.reason };
  return { kind, original, re: t.re, prefilter, rewrites: t.rewrites };
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
    journalmatch: def.journalmatch,
    prefregex,
    failregex,
    ignoreregex: def.ignoreregex.map((p) => compile('ignoreregex', p, useDns)),
  };
  if (prefregex?.skipped) pack.disabled = `prefregex skipped (${prefregex.skipped})`;
  // A failregex without a literal of its own is gated by the prefregex's.
  for (const p of failregex) if (p.prefilter === '' && prefregex) p.prefilter = prefregex.prefilter;
  return pack;
}

function groupsOf(m: RegExpExecArray): Record<string, string | undefined> {
  return (m.groups ?? {}) as Record<string, string | undefined>;
}

/** Matches one pack on one line (the raw line, date still in). */
export function matchPack(pack: Pack, line: string, stripped = withoutDate(line)): PackMatch | undefined {
  if (pack.disabled) return undefined;
  for (const ig of pack.ignoreregex) if (ig.re?.test(stripped)) return undefined;
  let text = stripped;
  let pre: Record<string, string | undefined> = {};
  if (pack.prefregex) {
    const m = pack.prefregex.re!.exec(stripped);
    if (!m) return undefined;
    pre = groupsOf(m);
    if (pre.content) text = pre.content;
  }
  for (const p of pack.failregex) {
    if (!p.re || (p.prefilter !== '' && !line.includes(p.prefilter))) continue;
    const m = p.re.exec(text);
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
