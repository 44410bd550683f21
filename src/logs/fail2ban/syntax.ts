/**
 * Reading the structure of a Python/re2 pattern: where a group or a class
 * ends, whether a sequence branches. Escapes and classes are skipped as such.
 */

/** Index just past the group opened at `open` (the matching `)`), or the length when unbalanced. */
export function groupEnd(pattern: string, open: number): number {
  let depth = 0;
  let inClass = false;
  for (let i = open; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') {
      inClass = true;
      if (pattern[i + 1] === '^') i++;
      if (pattern[i + 1] === ']') i++;
    } else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i + 1;
  }
  return pattern.length;
}

/** Index just past a class opened at `open`. */
export function classEnd(pattern: string, open: number): number {
  let i = open + 1;
  if (pattern[i] === '^') i++;
  if (pattern[i] === ']') i++;
  for (; i < pattern.length; i++) {
    if (pattern[i] === '\\') i++;
    else if (pattern[i] === ']') return i + 1;
  }
  return pattern.length;
}

/** The top-level branches of `body` (split at each `|` outside groups and classes); one when it does not branch. */
export function splitBranches(body: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '\\') i++;
    else if (c === '[') i = classEnd(body, i) - 1;
    else if (c === '(') i = groupEnd(body, i) - 1;
    else if (c === '|') {
      out.push(body.slice(start, i));
      start = i + 1;
    }
  }
  out.push(body.slice(start));
  return out;
}

/** Escapes whose character stands for itself. */
export function literalEscape(c: string | undefined): boolean {
  if (c === undefined) return false;
  const code = c.charCodeAt(0);
  const alnum = (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
  return !alnum;
}
