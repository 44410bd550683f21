/**
 * The AppArmor denial row read by hand: a kernel log can hold thousands of
 * `apparmor="DENIED"` records, and re2's captures over the lazy gap of the
 * row's pattern cost about 10 µs each. `scanApparmor` gives exactly the groups
 * re2 gives for APPARMOR_PATTERN (held to it by a fast-check property test);
 * text outside plain ASCII is left to re2, which counts code points where
 * this counts UTF-16 units.
 */

/**
 * The row's pattern: the operation, then (after at most 512 characters, the
 * fewest that let the rest match) the path, pid and command.
 */
export const APPARMOR_PATTERN =
  'apparmor="DENIED" operation="(?<message>[^"]{1,32})"[^\\n]{0,512}? name="(?<path>[^"]{1,256})" pid=(?<pid>\\d+) comm="(?<process>[^"]{1,64})"';

const HEAD = 'apparmor="DENIED" operation="';
const NAME = ' name="';
const PID = '" pid=';
const COMM = ' comm="';
const NEWLINE = 10;

/** The end of a `[^"]{1,max}` run from `from` (the index of its closing quote), or -1. */
function quoted(text: string, from: number, max: number): number {
  const end = text.indexOf('"', from);
  return end > from && end - from <= max ? end : -1;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** The groups of ` name="…" pid=… comm="…"` at `at`, or undefined when that tail does not match there. */
function tailAt(text: string, at: number): { path: string; pid: string; process: string } | undefined {
  if (!text.startsWith(NAME, at)) return undefined;
  const pathStart = at + NAME.length;
  const pathEnd = quoted(text, pathStart, 256);
  if (pathEnd < 0 || !text.startsWith(PID, pathEnd)) return undefined;
  const pidStart = pathEnd + PID.length;
  let pidEnd = pidStart;
  while (pidEnd < text.length && isDigit(text.charCodeAt(pidEnd))) pidEnd++;
  // \d+ is greedy and a digit can never start ` comm="`: the longest run is the only one to try.
  if (pidEnd === pidStart || !text.startsWith(COMM, pidEnd)) return undefined;
  const processStart = pidEnd + COMM.length;
  const processEnd = quoted(text, processStart, 64);
  if (processEnd < 0) return undefined;
  return {
    path: text.slice(pathStart, pathEnd),
    pid: text.slice(pidStart, pidEnd),
    process: text.slice(processStart, processEnd),
  };
}

/**
 * The groups re2 captures with APPARMOR_PATTERN in `text` (in its group
 * order), null when it finds no match, undefined when the text is not plain
 * ASCII (re2 decides then).
 */
export function scanApparmor(text: string): Record<string, string> | null | undefined {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return undefined;
  // The leftmost start wins; each start is one occurrence of the head (it cannot overlap itself).
  for (let at = text.indexOf(HEAD); at >= 0; at = text.indexOf(HEAD, at + 1)) {
    const messageStart = at + HEAD.length;
    const messageEnd = quoted(text, messageStart, 32);
    if (messageEnd < 0) continue;
    // The lazy gap: the shortest one (at most 512 characters, no newline) after which the tail matches.
    const gapStart = messageEnd + 1;
    for (let gap = 0; gap <= 512 && gapStart + gap <= text.length; gap++) {
      if (gap > 0 && text.charCodeAt(gapStart + gap - 1) === NEWLINE) break;
      const tail = tailAt(text, gapStart + gap);
      if (tail) return { message: text.slice(messageStart, messageEnd), ...tail };
    }
  }
  return null;
}
