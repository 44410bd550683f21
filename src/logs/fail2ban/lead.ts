/**
 * The characters an anchored pattern's match must start with, for a test
 * cheaper than re2 on patterns that hold no literal (3proxy's
 * `^\s[+-]\d{4} \S+ ...`). A lead is one set of ASCII characters per position
 * of the text; a character outside ASCII ends the test undecided, so a set
 * only has to be exact on ASCII (each set may hold more than the pattern
 * allows, never less).
 */

import { classEnd, literalEscape, splitBranches } from './syntax';

/** One ASCII set per leading position of every match: 1 where the character may stand there. */
export type Lead = readonly Uint8Array[];

/** Longer leads reject no more lines worth the test. */
const MAX_LEAD = 16;
const ASCII = 128;

function setOf(chars: string): Uint8Array {
  const set = new Uint8Array(ASCII);
  for (let i = 0; i < chars.length; i++) set[chars.charCodeAt(i)] = 1;
  return set;
}

function range(from: number, to: number): Uint8Array {
  const set = new Uint8Array(ASCII);
  for (let c = from; c <= Math.min(to, ASCII - 1); c++) set[c] = 1;
  return set;
}

function complement(set: Uint8Array): Uint8Array {
  return set.map((bit) => 1 - bit);
}

function union(into: Uint8Array, set: Uint8Array): void {
  for (let c = 0; c < ASCII; c++) into[c] = into[c]! | set[c]!;
}

const DIGITS = range(48, 57);
const WORD = setOf('_');
for (const part of [DIGITS, range(65, 90), range(97, 122)]) union(WORD, part);
/** Python's `\s` on text (re2's is narrower: more is allowed, never less). */
const SPACE_MOST = setOf('\t\n\v\f\r \x1c\x1d\x1e\x1f');
/** re2's `\s`, the least any reading of `\s` matches: `\S` is at most its complement. */
const SPACE_LEAST = setOf('\t\n\f\r ');

/** The ASCII sets of the class escapes. */
const ESCAPED_CLASSES: Record<string, Uint8Array> = {
  d: DIGITS,
  D: complement(DIGITS),
  w: WORD,
  W: complement(WORD),
  s: SPACE_MOST,
  S: complement(SPACE_LEAST),
};

const ESCAPED_CHARS: Record<string, string> = { t: '\t', n: '\n', r: '\r', f: '\f', v: '\v' };

/** The value of a hexadecimal digit's code, or -1. */
function hexDigit(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  const lower = code | 32;
  return lower >= 97 && lower <= 102 ? lower - 87 : -1;
}

/** The set of the escape at `i` (its backslash) and its width, or undefined for one that is no single character (`\b`, `\1`). */
function escapeAt(pattern: string, i: number): { set: Uint8Array; width: number } | undefined {
  const c = pattern[i + 1];
  if (c === undefined) return undefined;
  const named = ESCAPED_CLASSES[c] ?? (ESCAPED_CHARS[c] === undefined ? undefined : setOf(ESCAPED_CHARS[c]));
  if (named) return { set: named, width: 2 };
  if (c === 'x') {
    const high = hexDigit(pattern.charCodeAt(i + 2));
    const low = hexDigit(pattern.charCodeAt(i + 3));
    return high < 0 || low < 0 ? undefined : { set: range(high * 16 + low, high * 16 + low), width: 4 };
  }
  // A letter or digit escape that is no class nor named character (`\b`, `\1`) is no single character.
  return literalEscape(c) ? { set: setOf(c), width: 2 } : undefined;
}

/** The set of a class `[...]` opened at `open`, or undefined when it is negated or holds what is not read here. */
function classSet(pattern: string, open: number, close: number): Uint8Array | undefined {
  if (pattern[open + 1] === '^') return undefined;
  const set = new Uint8Array(ASCII);
  const last = close - 1;
  for (let i = open + 1; i < last;) {
    let from: number;
    if (pattern[i] === '\\') {
      const escape = escapeAt(pattern, i);
      // A negated escape inside a class, or one that is no character: not worth reading.
      if (!escape || 'DWS'.includes(pattern[i + 1]!)) return undefined;
      i += escape.width;
      if (escape.width === 2 && ESCAPED_CLASSES[pattern[i - 1]!]) {
        union(set, escape.set);
        continue;
      }
      from = escape.set.indexOf(1);
    } else if (pattern[i] === '[') return undefined;
    else from = pattern.charCodeAt(i++);
    if (pattern[i] === '-' && i + 1 < last) {
      const to = pattern[i + 1] === '\\' ? undefined : pattern.charCodeAt(i + 1);
      if (to === undefined || to < from) return undefined;
      union(set, range(from, to));
      i += 2;
    } else if (from < ASCII) set[from] = 1;
  }
  return set;
}

/** The atom at `i`: its set and where it ends, or undefined for what is no single character. */
function atomAt(pattern: string, i: number): { set: Uint8Array; end: number } | undefined {
  const c = pattern[i]!;
  if (c === '[') {
    const close = classEnd(pattern, i);
    const set = classSet(pattern, i, close);
    return set && { set, end: close };
  }
  if (c === '\\') {
    const escape = escapeAt(pattern, i);
    return escape && { set: escape.set, end: i + escape.width };
  }
  if ('.()|^$?*+{'.includes(c)) return undefined;
  const code = pattern.charCodeAt(i);
  return code < ASCII ? { set: range(code, code), end: i + 1 } : undefined;
}

/** The repeat count `{m}` at `i` and where it ends, else undefined. */
function exactRepeat(pattern: string, i: number): { times: number; end: number } | undefined {
  if (pattern[i] !== '{') return undefined;
  let j = i + 1;
  while (j < pattern.length && pattern.charCodeAt(j) >= 48 && pattern.charCodeAt(j) <= 57) j++;
  if (j === i + 1 || pattern[j] !== '}') return undefined;
  // A lazy `{m}?` still takes exactly m.
  return { times: Number(pattern.slice(i + 1, j)), end: pattern[j + 1] === '?' ? j + 2 : j + 1 };
}

/** Whether the pattern sets a flag (`(?i)`, `(?x)`, `(?i:...)`), which changes what its characters match. */
function hasFlags(pattern: string): boolean {
  for (let i = pattern.indexOf('(?'); i >= 0; i = pattern.indexOf('(?', i + 2)) {
    if (i > 0 && pattern[i - 1] === '\\') continue;
    if ('aiLmsux-'.includes(pattern[i + 2] ?? ')')) return true;
  }
  return false;
}

/**
 * The lead of `pattern` (Python/re2 syntax, one line, tags resolved): the
 * atoms after its `^` up to the first that may repeat or vanish. Undefined
 * when it is not anchored, branches, ignores case or leads with nothing.
 */
export function leadOf(pattern: string): Lead | undefined {
  if (!pattern.startsWith('^') || splitBranches(pattern).length > 1 || hasFlags(pattern)) return undefined;
  const lead: Uint8Array[] = [];
  for (let i = 1; i < pattern.length && lead.length < MAX_LEAD;) {
    const atom = atomAt(pattern, i);
    if (!atom) break;
    const next = pattern[atom.end];
    const repeat = exactRepeat(pattern, atom.end);
    if (repeat) {
      for (let n = 0; n < repeat.times && lead.length < MAX_LEAD; n++) lead.push(atom.set);
      i = repeat.end;
      continue;
    }
    // `+` keeps one; `?`, `*` and other counts may keep none.
    if (next === '+') lead.push(atom.set);
    if (next === '+' || next === '?' || next === '*' || next === '{') break;
    lead.push(atom.set);
    i = atom.end;
  }
  return lead.length > 0 ? lead : undefined;
}

/** Whether `text` may start as the lead says: false only when re2 cannot match the pattern at its start. */
export function mayLead(lead: Lead, text: string): boolean {
  // Each atom takes one code point, one or two UTF-16 units: a shorter text cannot match.
  if (text.length < lead.length) return false;
  for (let i = 0; i < lead.length; i++) {
    const code = text.charCodeAt(i);
    // Past a character outside ASCII the positions may no longer line up: undecided.
    if (code >= ASCII) return true;
    if (lead[i]![code] === 0) return false;
  }
  return true;
}
