/**
 * Hand-written scanners for the Python layouts most lines take, yielding
 * exactly what the python format's re2 patterns capture: an re2 `exec` with
 * named groups costs several microseconds per line, these a fraction of one.
 * Every choice the patterns leave open is decided as re2 decides it
 * (leftmost-first), and property tests hold each scanner to its pattern.
 * Texts the scanners do not take (a newline, a surrogate) go to re2.
 */

/** The level words of the python format's patterns, in their alternation's order. */
export const LEVEL_WORDS = ['DEBUG', 'INFO', 'WARNING', 'WARN', 'ERROR', 'CRITICAL', 'FATAL', 'EXCEPTION'] as const;

/** The groups of the `LEVEL [name] message` layout; undefined where an optional group did not take part. */
export type LevelGroups = {
  level: string;
  process: string | undefined;
  name: string | undefined;
  name2: string | undefined;
  message: string;
};

const SPACE = 32;

/** re2's `\s`: tab, newline, form feed, carriage return, space. */
function isSpace(c: number): boolean {
  return c === SPACE || c === 9 || c === 10 || c === 12 || c === 13;
}

/** re2's `[\w.]`: ASCII letters, digits, underscore and the dot. */
function isNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 46;
}

/**
 * The level word `text` holds at `at`, `WARNING` before `WARN` as the
 * alternation orders them (`WARN` cannot match where `WARNING` does: every
 * pattern needs a delimiter after the level, and `I` is none).
 */
function levelAt(text: string, at: number): string | undefined {
  for (const word of LEVEL_WORDS) if (text.startsWith(word, at)) return word;
  return undefined;
}

/**
 * The level of Django's verbose layout (`^LEVEL (?P<rest>.*)$`, flag `s`):
 * the word that starts `text` before a space, or undefined. Its rest starts
 * one past the word. Any text (re2's answer does not depend on the encoding here).
 */
export function scanLevelFirst(text: string): string | undefined {
  const level = levelAt(text, 0);
  return level !== undefined && text.charCodeAt(level.length) === SPACE ? level : undefined;
}

/**
 * The groups of the text after a stamp in the `LEVEL [name] message` layouts
 * (`^\]? \[?LEVEL\]?(?:/(?P<process>\S+))? (?:\[(?P<name>[^\]\s]+)\] |(?P<name2>[\w.]+): )?(?P<message>.*)$`,
 * flag `s`), or undefined when it does not match. Only for scannable texts
 * (see `scannable` in access-scan).
 */
export function scanLevelLayout(after: string): LevelGroups | undefined {
  // `\]? \[?`: an optional `]` or `[` cannot be skipped when present (a space or a level must follow).
  let i = after.charCodeAt(0) === 93 ? 1 : 0;
  if (after.charCodeAt(i) !== SPACE) return undefined;
  i++;
  if (after.charCodeAt(i) === 91) i++;
  const level = levelAt(after, i);
  if (level === undefined) return undefined;
  i += level.length;
  if (after.charCodeAt(i) === 93) i++;
  // `(?:/(?P<process>\S+))? `: the whole run up to the next white space, which must be a space.
  let process: string | undefined;
  if (after.charCodeAt(i) === 47) {
    let end = i + 1;
    while (end < after.length && !isSpace(after.charCodeAt(end))) end++;
    if (end === i + 1) return undefined;
    process = after.slice(i + 1, end);
    i = end;
  }
  if (after.charCodeAt(i) !== SPACE) return undefined;
  i++;
  // `(?:\[(?P<name>[^\]\s]+)\] |(?P<name2>[\w.]+): )?`: the first alternative that matches, else neither.
  let name: string | undefined;
  let name2: string | undefined;
  if (after.charCodeAt(i) === 91) {
    let end = i + 1;
    while (end < after.length && after.charCodeAt(end) !== 93 && !isSpace(after.charCodeAt(end))) end++;
    if (end > i + 1 && after.charCodeAt(end) === 93 && after.charCodeAt(end + 1) === SPACE) {
      name = after.slice(i + 1, end);
      i = end + 2;
    }
  }
  if (name === undefined) {
    let end = i;
    while (end < after.length && isNameChar(after.charCodeAt(end))) end++;
    if (end > i && after.charCodeAt(end) === 58 && after.charCodeAt(end + 1) === SPACE) {
      name2 = after.slice(i, end);
      i = end + 2;
    }
  }
  return { level, process, name, name2, message: after.slice(i) };
}
