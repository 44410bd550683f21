/**
 * Literals every match of a pattern contains, for a cheap substring test
 * before re2 runs. A pattern's requirements are clauses: each says "the match
 * holds at least one of these literals". A run of plain characters on the
 * required path is a clause of one; a required group that branches gives a
 * clause of one literal per branch. Optional or repeated-zero parts add none.
 */

import { classEnd, groupEnd, literalEscape, splitBranches } from './syntax';

/** At least one of `needles` occurs in every match; lowercased, and tested on the lowercased line, when `caseless`. */
export interface Clause {
  needles: string[];
  caseless: boolean;
}

/** The shortest needle (spaces aside) worth testing. */
const MIN_NEEDLE = 3;

function digitsAt(pattern: string, i: number): number {
  let j = i;
  while (j < pattern.length && pattern.charCodeAt(j) >= 48 && pattern.charCodeAt(j) <= 57) j++;
  return j;
}

/** The end of a `{m}`, `{m,}` or `{m,n}` quantifier at `i`, or -1 when there is none. */
function braceEnd(pattern: string, i: number): number {
  if (pattern[i] !== '{') return -1;
  let j = digitsAt(pattern, i + 1);
  if (pattern[j] === ',') j = digitsAt(pattern, j + 1);
  return pattern[j] === '}' && j > i + 1 ? j + 1 : -1;
}

function quantifierAt(pattern: string, i: number): boolean {
  const c = pattern[i];
  return c === '?' || c === '*' || c === '+' || braceEnd(pattern, i) >= 0;
}

/** Whether a quantifier at `i` allows zero repetitions. */
function optionalAt(pattern: string, i: number): boolean {
  const c = pattern[i];
  if (c === '?' || c === '*') return true;
  if (braceEnd(pattern, i) < 0) return false;
  const min = pattern.slice(i + 1, digitsAt(pattern, i + 1));
  return Number(min || '0') === 0;
}

function skipQuantifier(pattern: string, i: number): number {
  i = pattern[i] === '{' ? braceEnd(pattern, i) : i + 1;
  if (pattern[i] === '?' || pattern[i] === '+') i++;
  return i;
}

/** The letter a two-letter class such as `[aA]` stands for in either case, else undefined. */
function casePair(pattern: string, open: number): string | undefined {
  if (pattern[open + 3] !== ']') return undefined;
  const a = pattern[open + 1]!;
  const b = pattern[open + 2]!;
  const lower = a.toLowerCase();
  return a !== b && lower === b.toLowerCase() && lower !== a.toUpperCase() ? lower : undefined;
}

/** Whether the pattern ignores case: a `(?i)` flag, alone or with others, anywhere. */
function ignoresCase(pattern: string): boolean {
  for (let i = pattern.indexOf('(?'); i >= 0; i = pattern.indexOf('(?', i + 2)) {
    if (i > 0 && pattern[i - 1] === '\\') continue;
    for (let j = i + 2; j < pattern.length; j++) {
      const c = pattern[j]!;
      if (c === 'i') return true;
      if (c < 'a' || c > 'z') break;
    }
  }
  return false;
}

/**
 * The clause "one of these clauses holds": their needles together, all
 * lowercased when one of them ignores case. Undefined when one is missing
 * (that alternative needs no literal).
 */
export function anyOf(clauses: readonly (Clause | undefined)[]): Clause | undefined {
  if (clauses.length === 0 || clauses.some((c) => c === undefined)) return undefined;
  const caseless = clauses.some((c) => c!.caseless);
  const needles = clauses.flatMap((c) =>
    caseless && !c!.caseless ? c!.needles.map((n) => n.toLowerCase()) : c!.needles,
  );
  return { needles: [...new Set(needles)], caseless };
}

/** The strongest clause of a list: the one whose shortest needle is longest. */
export function strongest(clauses: readonly Clause[]): Clause | undefined {
  let best: Clause | undefined;
  let bestWeight = 0;
  for (const clause of clauses) {
    const weight = Math.min(...clause.needles.map((n) => n.trim().length));
    if (weight > bestWeight) {
      best = clause;
      bestWeight = weight;
    }
  }
  return best;
}

/**
 * The longest piece of a run that the raw line holds: fail2ban cuts the date
 * out of a line before matching, which can bring together brackets (`[]`, `()`)
 * that the raw line keeps apart, so a run is cut between such brackets.
 */
function rawPiece(run: string): string {
  let best = '';
  let start = 0;
  for (let i = 1; i <= run.length; i++) {
    const pair = run.slice(i - 1, i + 1);
    if (i < run.length && pair !== '[]' && pair !== '()') continue;
    const piece = run.slice(start, i);
    if (piece.trim().length > best.trim().length) best = piece;
    start = i;
  }
  return best;
}

/**
 * The requirement clauses of `pattern` (Python/re2 syntax), every needle
 * usable. A pattern that ignores case has caseless clauses only.
 */
export function requiredClauses(pattern: string): Clause[] {
  const clauses = sequenceClauses(pattern);
  if (!ignoresCase(pattern)) return clauses;
  return clauses.map((c) => ({ needles: c.needles.map((n) => n.toLowerCase()), caseless: true }));
}

function sequenceClauses(pattern: string): Clause[] {
  const branches = splitBranches(pattern);
  if (branches.length > 1) {
    // Each branch must give a clause, or the pattern can match holding none of them.
    const either = anyOf(branches.map((b) => strongest(sequenceClauses(b))));
    return either ? [either] : [];
  }
  const clauses: Clause[] = [];
  let run = '';
  let caselessRun = false;
  const end = (): void => {
    const piece = rawPiece(run);
    const needle = caselessRun ? piece.toLowerCase() : piece;
    // Short needles occur in too many lines to be worth testing.
    if (needle.trim().length >= MIN_NEEDLE) clauses.push({ needles: [needle], caseless: caselessRun });
    run = '';
    caselessRun = false;
  };
  for (let i = 0; i < pattern.length;) {
    const c = pattern[i]!;
    if (c === '(') {
      end();
      const close = groupEnd(pattern, i);
      const body = pattern.slice(i + 1, close - 1);
      // A group that must occur: its own clauses are required too. Lookarounds,
      // conditionals and flag groups are not matched text.
      if (!optionalAt(pattern, close)) {
        const inner = capturingPrefix(body);
        if (inner >= 0) clauses.push(...sequenceClauses(body.slice(inner)));
      }
      i = close;
      if (quantifierAt(pattern, i)) i = skipQuantifier(pattern, i);
      continue;
    }
    let ch: string | undefined;
    let width = 1;
    let caselessChar = false;
    if (c === '[') {
      width = classEnd(pattern, i) - i;
      ch = casePair(pattern, i);
      caselessChar = ch !== undefined;
    } else if (c === '\\') {
      // `\xhh` names a character by its code: not worth decoding, but its digits are no literal.
      width = pattern[i + 1] === 'x' ? 4 : 2;
      if (literalEscape(pattern[i + 1])) ch = pattern[i + 1];
    } else if (!'.^$|)'.includes(c)) ch = c;
    const next = i + width;
    if (ch !== undefined && quantifierAt(pattern, next)) {
      // The character may repeat or vanish: `+` keeps one, others none.
      if (pattern[next] === '+') add(ch, caselessChar);
      end();
      i = skipQuantifier(pattern, next);
      continue;
    }
    if (ch === undefined) {
      end();
      i = next;
      if (quantifierAt(pattern, i)) i = skipQuantifier(pattern, i);
      continue;
    }
    add(ch, caselessChar);
    i = next;
  }
  end();
  return clauses;

  function add(ch: string, caselessChar: boolean): void {
    if (caselessChar) caselessRun = true;
    run += ch;
  }
}

/** Where the matched text of a group's body starts (after `?:` or `?P<name>`), or -1 for a group that matches no text of its own. */
function capturingPrefix(body: string): number {
  if (!body.startsWith('?')) return 0;
  if (body.startsWith('?:')) return 2;
  if (body.startsWith('?P<')) {
    const close = body.indexOf('>');
    return close < 0 ? -1 : close + 1;
  }
  return -1;
}

/**
 * The clause tested before `pattern` runs: its strongest requirement, or
 * undefined when it has none worth testing (the pattern then runs on every line).
 */
export function prefilterOf(pattern: string): Clause | undefined {
  return strongest(requiredClauses(pattern));
}

/** Whether `line` (and its lowercased form, made by the caller once) holds one of the clause's needles. */
export function holds(clause: Clause, line: string, lowered: () => string): boolean {
  const text = clause.caseless ? lowered() : line;
  // A plain loop: this runs on every line for every multi-line pack.
  for (const needle of clause.needles) if (text.includes(needle)) return true;
  return false;
}
