/**
 * The shape of a recogniser table: what a log message means (action, outcome,
 * who it is about, whether it counts against the remote address).
 */
import RE2 from 're2';
import type { Action, Level, LogEvent, Outcome } from '../../core/event';
import { NeedleIndex } from '../../core/needle-index';

/**
 * How wide the net for `hostile` is, named as fail2ban names its filter modes:
 * `normal` counts authentication failures; `ddos` adds connection-level abuse
 * (no identification string, preauth disconnects, resets); `extra` adds
 * negotiation failures; `aggressive` is all of them (the default).
 */
export type HostileMode = 'normal' | 'ddos' | 'extra' | 'aggressive';

/** Every mode, for rules that count in all of them. */
export const ALL_MODES: readonly HostileMode[] = ['normal', 'ddos', 'extra', 'aggressive'];

/** Named groups a rule's pattern may capture. */
export type Groups = Record<string, string | undefined>;

/** One row of a recogniser table. */
export interface Rule {
  /** Stable id, used in tests and in `fields.rule`. */
  name: string;
  /** A fixed substring every matching message contains (tested with `includes` first). */
  prefilter: string;
  /** Anchored re2 pattern; groups `host`, `port`, `user` fill the event. */
  pattern: RE2;
  action: Action;
  outcome: Outcome;
  /** Modes in which a match counts against the address (empty: never). */
  hostileIn: readonly HostileMode[];
  level?: Level;
  /** False when the code using the rule reads the fields itself: only `test` runs (no match object). */
  capture?: boolean;
  /**
   * A hand-written reader of the row's most frequent shapes: the groups the
   * pattern captures, null when it cannot match, or undefined to let the
   * pattern decide (held to the pattern by a property test).
   */
  read?: (message: string) => Groups | null | undefined;
  /** The text every match starts with (from an anchored pattern's leading literal; '' when none). */
  lead: string;
}

/** A rule as written in a table: the pattern as text, compiled once by {@link rules}. */
export type RuleSpec = Omit<Rule, 'pattern' | 'hostileIn' | 'lead'> & {
  pattern: string;
  /** Default: every mode when `outcome` is failure, else none. */
  hostileIn?: readonly HostileMode[];
};

/** Characters that end a leading literal. */
const META = '\\.^$|?*+()[]{}';

/** Whether `pattern` has a `|` outside every group (where `^` binds only the first branch). */
function hasTopLevelBranch(pattern: string): boolean {
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') {
      inClass = true;
      if (pattern[i + 1] === '^') i++;
      if (pattern[i + 1] === ']') i++; // a leading `]` is a member
    } else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) return true;
  }
  return false;
}

/**
 * The literal text every match of `pattern` starts with: the characters after
 * a leading `^` up to the first metacharacter (less the last one when a
 * quantifier follows it); '' when the pattern is not anchored or branches at
 * the top level.
 */
export function leadingLiteral(pattern: string): string {
  if (pattern[0] !== '^' || hasTopLevelBranch(pattern)) return '';
  let end = 1;
  while (end < pattern.length && !META.includes(pattern[end]!)) end++;
  const next = pattern[end];
  if (next === '?' || next === '*' || next === '{' || next === '+') end--;
  return end > 1 ? pattern.slice(1, end) : '';
}

/** Compiles a table. Patterns are our own text, so a bad one fails at load time. */
export function rules<T extends RuleSpec>(specs: readonly T[]): (Rule & Omit<T, keyof RuleSpec>)[] {
  return specs.map((spec) => ({
    ...spec,
    pattern: new RE2(spec.pattern),
    hostileIn: spec.hostileIn ?? (spec.outcome === 'failure' ? ALL_MODES : []),
    lead: leadingLiteral(spec.pattern),
  }));
}

/**
 * Work counters of rule dispatch, for tests that hold a line's cost constant:
 * `prefilterScans` counts passes over a message looking for prefilters (one per
 * row of a short table, one per message for a long one), `rowsTried` the rows
 * whose lead and prefilter held (each then runs its reader or pattern),
 * `patternRuns` the re2 calls. Reset before a measurement.
 */
export const dispatchStats = { prefilterScans: 0, rowsTried: 0, patternRuns: 0 };

/** Tables at least this long find their candidate rows in one pass over the message. */
const INDEXED_TABLE = 8;

/** Each long table's prefilters in one Aho-Corasick automaton, with its scratch marks. */
const indexes = new WeakMap<readonly Rule[], { needles: NeedleIndex; marks: Uint8Array }>();

function indexOf(table: readonly Rule[]): { needles: NeedleIndex; marks: Uint8Array } {
  let index = indexes.get(table);
  if (!index) {
    index = { needles: new NeedleIndex(table.map((rule) => [rule.prefilter])), marks: new Uint8Array(table.length) };
    indexes.set(table, index);
  }
  return index;
}

/** Runs one row whose lead and prefilter held: its reader, else its pattern. */
function tryRule<R extends Rule>(rule: R, message: string): { rule: R; groups: Groups } | null | undefined {
  dispatchStats.rowsTried++;
  const read = rule.read?.(message);
  if (read) return { rule, groups: read };
  if (read === null) return undefined;
  dispatchStats.patternRuns++;
  if (rule.capture === false) return rule.pattern.test(message) ? { rule, groups: {} } : undefined;
  const match = rule.pattern.exec(message);
  return match ? { rule, groups: (match.groups ?? {}) as Groups } : undefined;
}

/**
 * First rule of `table` matching `message`, with its groups. A row is tried
 * only when the message starts with its lead and holds its prefilter; its
 * reader, when it has one, answers before the pattern. A long table finds the
 * rows whose prefilter the message holds in one pass (the same rows, in the
 * same order, as testing each prefilter would).
 */
export function firstMatch<R extends Rule>(
  table: readonly R[],
  message: string,
): { rule: R; groups: Groups } | undefined {
  if (table.length >= INDEXED_TABLE) return indexedMatch(table, message);
  for (const rule of table) {
    dispatchStats.prefilterScans++;
    if (!message.startsWith(rule.lead) || !message.includes(rule.prefilter)) continue;
    const found = tryRule(rule, message);
    if (found) return found;
  }
  return undefined;
}

function indexedMatch<R extends Rule>(table: readonly R[], message: string): { rule: R; groups: Groups } | undefined {
  const { needles, marks } = indexOf(table);
  dispatchStats.prefilterScans++;
  if (!needles.mark(message, marks)) return undefined;
  let found: { rule: R; groups: Groups } | undefined;
  for (let i = 0; i < table.length; i++) {
    if (marks[i] === 0) continue;
    marks[i] = 0;
    if (found) continue; // clear the rest of the marks for the next message
    const rule = table[i] as R;
    if (message.startsWith(rule.lead)) found = tryRule(rule, message) ?? undefined;
  }
  return found;
}

/** What a recogniser may set on an event. */
export type Recognised = Pick<LogEvent, 'action' | 'outcome' | 'hostile'> &
  Partial<Pick<LogEvent, 'ip' | 'port' | 'user' | 'domain' | 'level'>>;
