/**
 * Recogniser tables are tested like ESLint rules: lines that must match (with
 * the rule, sub-kind and details they must yield) and near-misses that must not.
 */
import { type LogEventInit, createEvent } from '../../../../src/core/event';
import { recognise } from '../../../../src/tracers/error/recognise';
import type { ErrorDetails } from '../../../../src/tracers/error/types';

export interface MustMatch {
  line: string;
  rule: string;
  subkind: string;
  /** Details that must be present with these values (others may be present too). */
  details?: ErrorDetails;
  event?: Partial<LogEventInit>;
}

/** A near-miss: a line that must not be recognised by `notRule` (or at all, without it). */
export interface NearMiss {
  line: string;
  notRule?: string;
}

export function eventOf(line: string, extra: Partial<LogEventInit> = {}) {
  return createEvent({ source: 'test.log', line: 1, raw: line, ...extra });
}

/** Runs a table: every `matches` row recognised as stated, every near-miss not. */
export function recogniserTable(name: string, matches: readonly MustMatch[], misses: readonly NearMiss[]): void {
  describe(name, () => {
    it.each(matches.map((row) => [row.line, row] as const))('recognises %s', (_line, row) => {
      const found = recognise(eventOf(row.line, row.event));
      expect({ rule: found?.rule, subkind: found?.subkind }).toEqual({ rule: row.rule, subkind: row.subkind });
      if (row.details) expect(found?.details).toMatchObject(row.details);
    });
    if (misses.length > 0) {
      it.each(misses.map((row) => [row.line, row] as const))('does not take %s', (_line, row) => {
        const found = recognise(eventOf(row.line));
        if (row.notRule) expect(found?.rule).not.toBe(row.notRule);
        else expect(found).toBeUndefined();
      });
    }
  });
}
