/**
 * Severity 0-100 of an error: the recogniser's base for what happened, moved
 * by the level the program gave it (or, without a level, by the words it
 * used: FATAL, PANIC, WARNING).
 */
import type { Level } from '../../core/event';

/** Points each syslog level adds to (or takes from) a recogniser's base severity. */
export const LEVEL_ADJUSTMENT: Readonly<Record<Level, number>> = {
  emerg: 15,
  alert: 10,
  crit: 10,
  error: 0,
  warning: -15,
  notice: -25,
  info: -30,
  debug: -40,
};

/** Base severity of an error-level line no recogniser explains. */
export const UNRECOGNISED_SEVERITY = 40;

/** Level words a line without a parsed level may carry near its start. */
const WORDS: readonly [string, number][] = [
  ['PANIC', 15],
  ['FATAL', 10],
  ['CRITICAL', 10],
  ['WARNING', -15],
  ['WARN', -15],
];

function clamp(value: number): number {
  return Math.max(0, Math.min(100, Math.round(value)));
}

/** The severity of an error with base `base` in an event of `level` whose text is `text`. */
export function errorSeverity(base: number, level: Level | undefined, text: string): number {
  if (level !== undefined) return clamp(base + LEVEL_ADJUSTMENT[level]);
  const head = text.length > 256 ? text.slice(0, 256) : text;
  for (const [word, points] of WORDS) if (head.includes(word)) return clamp(base + points);
  return clamp(base);
}
