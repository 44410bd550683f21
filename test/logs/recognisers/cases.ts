/**
 * Recogniser tables tested like ESLint rules: lines that must match (with the
 * exact fields they yield) and near-misses that must not.
 */
import type { LogEvent } from '../../../src/core/event';
import type { HostileMode } from '../../../src/logs/recognisers';
import { eventOf, summary } from '../helpers';

export interface MatchCase {
  line: string;
  /** The recognised fields (format/service/port are compared when given). */
  expect: Partial<LogEvent>;
  mode?: HostileMode;
  /** Earlier lines of the same file (sessions). */
  context?: string[];
}

export interface MissCase {
  line: string;
  /** What the line is instead (default: nothing recognised). */
  action?: string;
  mode?: HostileMode;
  context?: string[];
}

/** One `describe` with a test per case. */
export function recogniserCases(name: string, cases: { matches: MatchCase[]; misses: (MissCase | string)[] }): void {
  describe(name, () => {
    it.each(cases.matches.map((c) => [c.line, c] as const))('recognises %s', (_line, c) => {
      const event = eventOf(c.line, { mode: c.mode }, c.context);
      const got = summary(event);
      const want: Partial<LogEvent> = {};
      for (const key of Object.keys(c.expect) as (keyof LogEvent)[]) (want as Record<string, unknown>)[key] = got[key];
      expect(want).toEqual(c.expect);
    });
    const misses = cases.misses.map((m) => (typeof m === 'string' ? { line: m } : m));
    it.each(misses.map((m) => [m.line, m] as const))('does not count %s', (_line, m) => {
      const event = eventOf(m.line, { mode: m.mode }, m.context);
      expect({ hostile: event.hostile, action: event.action }).toEqual({ hostile: false, action: m.action });
    });
  });
}
