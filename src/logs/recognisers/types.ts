/**
 * The shape of a recogniser table: what a log message means (action, outcome,
 * who it is about, whether it counts against the remote address).
 */
import RE2 from 're2';
import type { Action, Level, LogEvent, Outcome } from '../../core/event';

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
}

/** A rule as written in a table: the pattern as text, compiled once by {@link rules}. */
export type RuleSpec = Omit<Rule, 'pattern' | 'hostileIn'> & {
  pattern: string;
  /** Default: every mode when `outcome` is failure, else none. */
  hostileIn?: readonly HostileMode[];
};

/** Compiles a table. Patterns are our own text, so a bad one fails at load time. */
export function rules<T extends RuleSpec>(specs: readonly T[]): (Rule & Omit<T, keyof RuleSpec>)[] {
  return specs.map((spec) => ({
    ...spec,
    pattern: new RE2(spec.pattern),
    hostileIn: spec.hostileIn ?? (spec.outcome === 'failure' ? ALL_MODES : []),
  }));
}

/** First rule of `table` matching `message`, with its groups. */
export function firstMatch<R extends Rule>(
  table: readonly R[],
  message: string,
): { rule: R; groups: Groups } | undefined {
  for (const rule of table) {
    if (!message.includes(rule.prefilter)) continue;
    if (rule.capture === false) {
      if (rule.pattern.test(message)) return { rule, groups: {} };
      continue;
    }
    const match = rule.pattern.exec(message);
    if (match) return { rule, groups: (match.groups ?? {}) as Groups };
  }
  return undefined;
}

/** What a recogniser may set on an event. */
export type Recognised = Pick<LogEvent, 'action' | 'outcome' | 'hostile'> &
  Partial<Pick<LogEvent, 'ip' | 'port' | 'user' | 'domain' | 'level'>>;
