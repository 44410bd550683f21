/**
 * fail2ban's patterns made into re2 patterns: its tags (`<HOST>`, `<F-USER>`,
 * ...) replaced as server/failregex.py replaces them, then the Python syntax
 * re2 lacks rewritten where the rewrite keeps the meaning; what cannot be
 * rewritten is reported with the reason and the pattern is not used.
 */
import RE2 from 're2';
import { classEnd, groupEnd } from './syntax';

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
 * `<SKIPLINES>` as any number of whole lines (the fewest), captured as
 * `skiplinesN` so a match can give them back to the buffer.
 */
export function resolveTags(pattern: string, options: TagOptions = {}): string {
  const open = new Set<string>();
  let skips = 0;
  return pattern.replace(/<\/?[\w-]+\/?>/g, (tag) => {
    const name = tag.slice(1, -1);
    if (name === 'HOST') return options.useDns === 'no' ? R_ADDR : R_HOST;
    if (name === 'SKIPLINES') return `\\n(?P<skiplines${skips++}>(?:.*\\n)*?)`;
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

/**
 * A condition re2 cannot test inside the pattern, tested on its match: a
 * lookahead at the pattern's top level (on the text from where group
 * `group` starts to the end of the input) or a backreference (group `group`
 * must equal group `equals`).
 */
export type Check =
  | { kind: 'lookahead'; group: string; re: RE2; negative: boolean }
  | { kind: 'tempered'; group: string; re: RE2 }
  | { kind: 'conditional'; yes: string; no: string; name: string }
  | { kind: 'backreference'; group: string; equals: string };

/** A pattern ready for re2, or why it is not. */
export type Translation =
  | { ok: true; source: string; re: RE2; rewrites: string[]; checks: Check[] }
  | { ok: false; source: string; reason: string };

interface Lookahead {
  at: number;
  end: number;
  negative: boolean;
  /** `(?:(?!A).)` and its quantifier: a tempered token, `A` excluded from every position of its span. */
  tempered?: { end: number };
}

/** The spans of groups a quantifier repeats (inside them a position is visited more than once). */
function repeatedSpans(pattern: string): [number, number][] {
  const spans: [number, number][] = [];
  const open: number[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') i++;
    else if (c === '[') i = classEnd(pattern, i) - 1;
    else if (c === '(') open.push(i);
    else if (c === ')') {
      const start = open.pop();
      const q = pattern[i + 1];
      if (start !== undefined && (q === '*' || q === '+' || q === '{')) spans.push([start, i + 1]);
    }
  }
  return spans;
}

/** Length of the quantifier at `i` (`*`, `+?`, `{2,5}`), 0 when none. */
function quantifierLength(pattern: string, i: number): number {
  const m = /^(?:[*+?]|\{\d*,?\d*\})\??/.exec(pattern.slice(i, i + 16));
  return m ? m[0].length : 0;
}

/** Every lookahead of `pattern`, tempered tokens marked. */
function lookaheads(pattern: string): Lookahead[] {
  const out: Lookahead[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') i++;
    else if (c === '[') i = classEnd(pattern, i) - 1;
    else if (pattern.startsWith('(?:(?!', i)) {
      const inner = groupEnd(pattern, i + 3);
      const close = groupEnd(pattern, i);
      const q = quantifierLength(pattern, close);
      if (pattern.slice(inner, close) === '.)' && q > 0) {
        out.push({ at: i + 3, end: inner, negative: true, tempered: { end: close + q } });
        i = close + q - 1;
      }
    } else if (pattern.startsWith('(?=', i) || pattern.startsWith('(?!', i)) {
      const end = groupEnd(pattern, i);
      out.push({ at: i, end, negative: pattern[i + 2] === '!' });
      i = end - 1;
    }
  }
  return out;
}

/**
 * Lookaheads made checks on the match (re2 reports where each group
 * matched): `(?!A)` runs as an empty group `(?P<__la0>)` and the match counts
 * only when `A` does not match at the group's place; a tempered token
 * `(?:(?!A).)*` runs as `(?P<__la0>.*)` and counts only when `A` starts
 * nowhere in its span. Sound (every match kept is one Python's engine
 * accepts; a match only another parse gives is missed). Undefined when a
 * lookahead sits in a repeated group (re2 reports only the last repetition)
 * or its body is no re2 pattern.
 */
function lookaheadChecks(pattern: string): { source: string; checks: Check[] } | undefined {
  const found = lookaheads(pattern);
  if (found.length === 0) return undefined;
  const repeated = repeatedSpans(pattern);
  const checks: Check[] = [];
  let source = '';
  let last = 0;
  for (const [n, la] of found.entries()) {
    if (repeated.some(([a, b]) => a < la.at && la.at < b && !(la.tempered && b <= la.tempered.end))) return undefined;
    let re: RE2;
    const body = pattern.slice(la.at + 3, la.end - 1);
    try {
      re = new RE2(la.tempered ? `(?:${body})` : `^(?:${body})`);
    } catch {
      return undefined;
    }
    const group = `__la${n}`;
    if (la.tempered) {
      const start = la.at - 3;
      const quantifier = pattern.slice(groupEnd(pattern, start), la.tempered.end);
      checks.push({ kind: 'tempered', group, re });
      source += pattern.slice(last, start) + `(?P<${group}>.${quantifier})`;
      last = la.tempered.end;
    } else {
      checks.push({ kind: 'lookahead', group, re, negative: la.negative });
      source += pattern.slice(last, la.at) + `(?P<${group}>)`;
      last = la.end;
    }
  }
  return { source: source + pattern.slice(last), checks };
}

/** Whether `c` is a word character (`[A-Za-z0-9_]`): one that needs no escape in a class. */
function wordChar(c: string): boolean {
  const code = c.charCodeAt(0);
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || c === '_';
}

/**
 * `T+` (T one of `\S`, `\w`) that parts from `literal` within its first characters:
 * `err` with `\S` as `(?:[^\se]|e(?:[^\sr]|r[^\sr]))\S*`.
 */
function partingFrom(literal: string, token: string): string {
  const not = (c: string) => (token === '\\S' ? `[^\\s${c}]` : `[^\\W${c}]`);
  let out = not(literal[literal.length - 1]!);
  for (let i = literal.length - 2; i >= 0; i--) out = `(?:${not(literal[i]!)}|${literal[i]}${out})`;
  return `${out}${token}*`;
}

/**
 * A negative lookahead of a plain word `(?!err)` before `\S+` or `\w+`, inside a repeated
 * group (where a check on the match cannot reach it: re2 reports only the last repetition),
 * as the token's strings that part from the word within its first characters (slapd's
 * `(?:\s(?!err)\S+=\S*)*`). Sound but narrower: a token that is a proper prefix of the
 * word (`e`, `er`) is refused, which Python may accept. Not done when case is ignored.
 */
function wordLookaheads(pattern: string, rewrites: string[]): string {
  if (pattern.includes('(?i')) return pattern;
  const repeated = repeatedSpans(pattern);
  const found: { at: number; end: number; to: string }[] = [];
  for (let at = pattern.indexOf('(?!'); at >= 0; at = pattern.indexOf('(?!', at + 3)) {
    const close = pattern.indexOf(')', at);
    const word = pattern.slice(at + 3, close);
    const token = pattern.slice(close + 1, close + 4);
    if (close < 0 || word === '' || ![...word].every(wordChar)) continue;
    if (token !== '\\S+' && token !== '\\w+') continue;
    if (!repeated.some(([a, b]) => a < at && at < b)) continue;
    found.push({ at, end: close + 4, to: partingFrom(word, token.slice(0, 2)) });
  }
  if (found.length === 0) return pattern;
  rewrites.push('lookahead of a word in a repetition as classes');
  let out = pattern;
  for (const f of found.reverse()) out = out.slice(0, f.at) + f.to + out.slice(f.end);
  return out;
}

/** Index of the first `|` at the top level of `body`, or -1. */
function topLevelBar(body: string): number {
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '\\') i++;
    else if (c === '[') i = classEnd(body, i) - 1;
    else if (c === '(') i = groupEnd(body, i) - 1;
    else if (c === '|') return i;
  }
  return -1;
}

/**
 * Conditional groups `(?(name)yes|no)` made checks: `(?:(?P<__cyN>)yes|(?P<__cnN>)no)`,
 * where the branch taken must agree with whether `name` matched. Sound like
 * {@link lookaheadChecks}.
 */
function conditionalChecks(pattern: string): { source: string; checks: Check[] } | undefined {
  if (!pattern.includes('(?(')) return undefined;
  const checks: Check[] = [];
  let source = pattern;
  for (let at = source.indexOf('(?('); at >= 0; at = source.indexOf('(?(', at + 1)) {
    const head = /^\(\?\((\w+)\)/.exec(source.slice(at));
    if (!head) return undefined;
    const close = groupEnd(source, at);
    const body = source.slice(at + head[0].length, close - 1);
    const bar = topLevelBar(body);
    const yes = bar < 0 ? body : body.slice(0, bar);
    const no = bar < 0 ? '' : body.slice(bar + 1);
    const n = checks.length;
    checks.push({ kind: 'conditional', yes: `__cy${n}`, no: `__cn${n}`, name: head[1]! });
    source = `${source.slice(0, at)}(?:(?P<__cy${n}>)${yes}|(?P<__cn${n}>)${no})${source.slice(close)}`;
  }
  return { source, checks };
}

/**
 * Backreferences `(?P=name)` made checks: a copy of the group's pattern
 * (its own group names dropped) captured as `__brN`, which must equal
 * `name`. Sound like {@link lookaheadChecks}.
 */
function backreferenceChecks(pattern: string): { source: string; checks: Check[] } | undefined {
  if (!pattern.includes('(?P=')) return undefined;
  const checks: Check[] = [];
  let failed = false;
  const source = pattern.replace(/\(\?P=(\w+)\)/g, (whole, name: string) => {
    const open = pattern.indexOf(`(?P<${name}>`);
    if (open < 0) {
      failed = true;
      return whole;
    }
    const body = pattern.slice(open + `(?P<${name}>`.length, groupEnd(pattern, open) - 1).replace(/\(\?P<\w+>/g, '(?:');
    const group = `__br${checks.length}`;
    checks.push({ kind: 'backreference', group, equals: name });
    return `(?P<${group}>${body})`;
  });
  return failed ? undefined : { source, checks };
}

/** Whether `m`, a match of a translated pattern on `input`, passes the pattern's checks. */
export function passes(checks: readonly Check[], m: RegExpExecArray, input: string): boolean {
  const groups = (m.groups ?? {}) as Record<string, string | undefined>;
  const at = (m as RegExpExecArray & { indices?: { groups?: Record<string, [number, number] | undefined> } }).indices
    ?.groups;
  for (const check of checks) {
    if (check.kind === 'conditional') {
      const matched = groups[check.name] !== undefined;
      if ((groups[check.yes] !== undefined && !matched) || (groups[check.no] !== undefined && matched)) return false;
      continue;
    }
    if (check.kind === 'backreference') {
      const copy = groups[check.group];
      // Not taken (an optional part): nothing to compare.
      if (copy !== undefined && copy !== groups[check.equals]) return false;
      continue;
    }
    const span = at?.[check.group];
    if (span === undefined) continue; // its branch was not taken: nothing to check
    const rest = input.slice(span[0]);
    if (check.kind === 'lookahead') {
      if (check.re.test(rest) === check.negative) return false;
    } else {
      const m2 = check.re.exec(rest);
      if (m2 && m2.index < span[1] - span[0]) return false;
    }
  }
  return true;
}

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
 * construct that stops it. `multiline` (a filter with maxlines > 1): the
 * pattern runs on a buffer of lines, each ended by `\n`.
 */
export function toRe2(pattern: string, options: { multiline?: boolean } = {}): Translation {
  if (!options.multiline && /(?:^|[^\\])(?:\\\\)*\\n/.test(pattern))
    return { ok: false, source: pattern, reason: 'spans lines (SKIPLINES, \\n) but maxlines is 1' };
  const rewrites: string[] = [];
  let source = wordLookaheads(rewrite(pattern, rewrites), rewrites);
  const checks: Check[] = [];
  const back = backreferenceChecks(source);
  if (back) {
    source = back.source;
    checks.push(...back.checks);
    rewrites.push('backreference checked on the match');
  }
  const conditional = conditionalChecks(source);
  if (conditional) {
    source = conditional.source;
    checks.push(...conditional.checks);
    rewrites.push('conditional group checked on the match');
  }
  const ahead = lookaheadChecks(source);
  if (ahead) {
    source = ahead.source;
    checks.push(...ahead.checks);
    rewrites.push('lookahead checked on the match');
  }
  try {
    // `d`: where each group matched, for the lookahead checks; `m`: `^` and `$` at each line of a
    // multi-line buffer, as fail2ban compiles the patterns of a filter with maxlines > 1.
    const flags =
      (checks.some((c) => c.kind === 'lookahead' || c.kind === 'tempered') ? 'd' : '') + (options.multiline ? 'm' : '');
    const re = new RE2(source, flags);
    return { ok: true, source, re, rewrites, checks };
  } catch (error) {
    for (const [construct, reason] of UNSUPPORTED) if (construct.test(source)) return { ok: false, source, reason };
    return { ok: false, source, reason: `re2 refuses it: ${(error as Error).message}` };
  }
}
