/**
 * fail2ban's patterns made into re2 patterns: its tags (`<HOST>`, `<F-USER>`,
 * ...) replaced as server/failregex.py replaces them, then the Python syntax
 * re2 lacks rewritten where the rewrite keeps the meaning; what cannot be
 * rewritten is reported with the reason and the pattern is not used.
 */
import RE2 from 're2';

/** IPAddr.IP_4_RE. */
const IP4 = String.raw`(?:\d{1,3}\.){3}\d{1,3}`;
/**
 * IPAddr.IP_6_RE less its lookbehind: `(?<=:):` follows a repetition whose
 * every branch ends in `:`, so the lookbehind always holds and `:` alone means the same.
 */
const IP6 = String.raw`(?:[0-9a-fA-F]{1,4}::?|::){1,7}(?:[0-9a-fA-F]{1,4}|:)`;

const R_IP4 = String.raw`(?:::f{4,6}:)?(?P<ip4>${IP4})`;
const R_IP6 = `(?P<ip6>${IP6})`;
const R_DNS = String.raw`(?P<dns>[\w\-.^_]*\w)`;
const R_ADDR = String.raw`\[?(?:${R_IP4}|${R_IP6})\]?`;
const R_HOST = `(?:${R_ADDR}|${R_DNS})`;
const R_CIDR = String.raw`(?P<cidr>\d+)`;
const R_SUBNET = String.raw`\[?(?:${R_IP4}|${R_IP6})(?:/${R_CIDR})?\]?`;

/** failregex.py's RH4TAG. */
const STATIC_TAGS: Readonly<Record<string, string>> = {
  HOST: R_HOST,
  IP4: R_IP4,
  'F-IP4/': R_IP4,
  IP6: R_IP6,
  'F-IP6/': R_IP6,
  ADDR: R_ADDR,
  'F-ADDR/': R_ADDR,
  CIDR: R_CIDR,
  'F-CIDR/': R_CIDR,
  SUBNET: R_SUBNET,
  'F-SUBNET/': R_SUBNET,
  DNS: R_DNS,
  'F-DNS/': R_DNS,
  'F-ID/': String.raw`(?P<fid>\S+)`,
  'F-PORT/': String.raw`(?P<fport>\w+)`,
};

const GROUP_OF_TAG: Readonly<Record<string, string>> = { id: 'fid', port: 'fport' };

/** Options of {@link resolveTags}. */
export interface TagOptions {
  /** fail2ban's `usedns`: `no` makes `<HOST>` an address only. */
  useDns?: string;
}

/**
 * failregex.py's _resolveHostTag: the address tags, `<F-NAME>...</F-NAME>`
 * as the named group `name` (`F-ID` as `fid`, `F-PORT` as `fport`), and
 * `<SKIPLINES>` (left for {@link toRe2} to refuse: it spans lines).
 */
export function resolveTags(pattern: string, options: TagOptions = {}): string {
  const open = new Set<string>();
  return pattern.replace(/<\/?[\w-]+\/?>/g, (tag) => {
    const name = tag.slice(1, -1);
    if (name === 'HOST') return options.useDns === 'no' ? R_ADDR : R_HOST;
    const fixed = STATIC_TAGS[name];
    if (fixed !== undefined) return fixed;
    const custom = /^(\/?)F-([A-Z0-9_-]+)$/.exec(name);
    if (!custom) return tag;
    const [, closing, id] = custom as unknown as [string, string, string];
    if (closing) return open.has(id) ? ')' : tag;
    open.add(id);
    const lower = id.toLowerCase();
    return `(?P<${GROUP_OF_TAG[lower] ?? lower}>`;
  });
}

/** A pattern ready for re2, or why it is not. */
export type Translation =
  { ok: true; source: string; re: RE2; rewrites: string[] } | { ok: false; source: string; reason: string };

/** Constructs re2 has not, each with the reason a pattern holding it is skipped. */
const UNSUPPORTED: readonly (readonly [RegExp, string])[] = [
  [/\(\?<[=!]/, 'lookbehind'],
  [/\(\?[=!]/, 'lookahead'],
  [/\(\?P=\w+\)|\\[1-9]/, 'backreference'],
  [/\(\?\(\w+\)/, 'conditional group'],
  [/\(\?>/, 'atomic group'],
  [/[*+?}][+]/, 'possessive quantifier'],
];

/**
 * Rewrites that keep the meaning: fail2ban's own global-to-local flag mapping
 * (`((?i)x)` as `(?i:x)`), Python's `{,n}` as `{0,n}`, `\Z` as `\z`, and
 * comments `(?#...)` dropped.
 */
function rewrite(pattern: string, rewrites: string[]): string {
  let out = pattern;
  const step = (re: RegExp, to: string, what: string): void => {
    const next = out.replace(re, to);
    if (next !== out) rewrites.push(what);
    out = next;
  };
  step(/(?<!\\)\((?:\?:)?(\(\?[a-z]+)\)/g, '$1:', 'global flags made local, as fail2ban does');
  step(/(?<!\\)\{,(\d+)\}/g, '{0,$1}', '{,n} as {0,n}');
  step(/\\Z/g, '\\z', '\\Z as \\z');
  step(/\(\?#[^)]*\)/g, '', 'comment dropped');
  return out;
}

/**
 * A fail2ban pattern (tags already resolved by {@link resolveTags}) as an
 * re2 pattern: rewritten where that keeps the meaning, else refused with the
 * construct that stops it.
 */
export function toRe2(pattern: string): Translation {
  if (pattern.includes('<SKIPLINES>') || pattern.includes('\\n'))
    return { ok: false, source: pattern, reason: 'spans lines (SKIPLINES, \\n)' };
  const rewrites: string[] = [];
  const source = rewrite(pattern, rewrites);
  try {
    return { ok: true, source, re: new RE2(source), rewrites };
  } catch (error) {
    for (const [construct, reason] of UNSUPPORTED) if (construct.test(source)) return { ok: false, source, reason };
    return { ok: false, source, reason: `re2 refuses it: ${(error as Error).message}` };
  }
}
