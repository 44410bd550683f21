/**
 * Character scanners for strace's argument text: where a quoted string, an fd
 * annotation (`3</etc/passwd>`, `5<TCP:[a->b]>`) or a bracketed group ends.
 * Plain loops over char codes, no regex: they run on every line and on text
 * the traced program chose (strings it wrote, paths it opened).
 */

const QUOTE = 0x22; // "
const BACKSLASH = 0x5c;
const LT = 0x3c; // <
const GT = 0x3e; // >
const DASH = 0x2d;
const SLASH = 0x2f;

/**
 * Index just past the closing quote of the string opening at `start` (which
 * holds `"`), or `text.length` when it is never closed (a truncated line).
 * A string strace shortened (`-s`) ends `"...`: the dots are left to the caller.
 */
export function skipString(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === BACKSLASH) i++;
    else if (c === QUOTE) return i + 1;
  }
  return text.length;
}

/**
 * Index just past the `>` closing the fd annotation opening at `start` (`<`).
 * Paths nest a device annotation (`</dev/null<char 1:3>>`); sockets hold an
 * arrow (`<TCP:[10.0.0.1:4->10.0.0.2:80]>`) whose `>` does not close. strace
 * escapes `<`, `>` and `"` inside paths (`\76`), so a raw `>` always closes.
 */
export function skipAnnotation(text: string, start: number): number {
  // Only a socket's endpoints hold an arrow; a path (starting with `/`) never does.
  const path = text.charCodeAt(start + 1) === SLASH;
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === BACKSLASH) i++;
    else if (c === LT) depth++;
    else if (c === GT && (path || text.charCodeAt(i - 1) !== DASH)) {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return text.length;
}

/** Whether the `<` at `at` opens an fd annotation: it follows an fd number or `AT_FDCWD`. */
export function opensAnnotation(text: string, at: number): boolean {
  const before = text.charCodeAt(at - 1);
  return (before >= 0x30 && before <= 0x39) || before === 0x44; // digit or the D of AT_FDCWD
}

/**
 * Index of the `)` that closes an argument list whose text starts at `start`
 * (just after the call's `(`), or -1 when the line ends first (an unfinished
 * call, or a cut line). Strings, annotations and nested brackets are skipped.
 */
export function findArgsEnd(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    switch (c) {
      case QUOTE:
        i = skipString(text, i) - 1;
        break;
      case LT:
        if (opensAnnotation(text, i)) i = skipAnnotation(text, i) - 1;
        else if (depth === 0) return -1; // `<unfinished ...>` or `<detached ...>`
        break;
      case 0x28: // (
      case 0x5b: // [
      case 0x7b: // {
        depth++;
        break;
      case 0x29: // )
        if (depth === 0) return i;
        depth--;
        break;
      case 0x5d: // ]
      case 0x7d: // }
        depth--;
        break;
      default:
        break;
    }
  }
  return -1;
}

/**
 * The top-level arguments of an argument text, split on commas outside
 * strings, annotations and brackets, each trimmed. Run only on the calls whose
 * arguments matter (file, network and process calls), not on every line.
 */
export function splitArgs(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) i = skipString(text, i) - 1;
    else if (c === LT && opensAnnotation(text, i)) i = skipAnnotation(text, i) - 1;
    else if (c === 0x28 || c === 0x5b || c === 0x7b) depth++;
    else if (c === 0x29 || c === 0x5d || c === 0x7d) depth--;
    else if (c === 0x2c && depth === 0) {
      out.push(text.slice(from, i).trim());
      from = i + 1;
    }
  }
  const last = text.slice(from).trim();
  if (last.length || out.length) out.push(last);
  return out;
}
