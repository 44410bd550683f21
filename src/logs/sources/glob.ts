/**
 * Shell-style globs for log paths (`/var/log/auth.log*`, `logs/**\/*.log`):
 * Node 20 has no fs.glob. `*` and `?` never cross `/` and never match a
 * leading dot; `[abc]`, `[a-z]`, `[!a]`/`[^a]` are classes; `**` as a whole
 * segment is any depth of directories (symlinked directories are not
 * descended, so there is no loop); `\` escapes the next character.
 * Matching is a linear scan with one backtrack point, no regex.
 */
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';

type Token =
  | { type: 'char'; char: string }
  | { type: 'any' }
  | { type: 'star' }
  | { type: 'class'; negate: boolean; ranges: Array<[string, string]> };

/** True when `pattern` has an unescaped `*`, `?` or `[`. */
export function hasGlob(pattern: string): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i];
    if (char === '\\') i++;
    else if (char === '*' || char === '?' || char === '[') return true;
  }
  return false;
}

/** Parses `[...]` starting at `chars[start]`; undefined when unclosed (then `[` is literal). */
function parseClass(chars: string[], start: number): { token: Token; next: number } | undefined {
  let i = start + 1;
  const negate = chars[i] === '!' || chars[i] === '^';
  if (negate) i++;
  const ranges: Array<[string, string]> = [];
  let first = true;
  while (i < chars.length && (chars[i] !== ']' || first)) {
    first = false;
    let low = chars[i]!;
    if (low === '\\' && i + 1 < chars.length) low = chars[++i]!;
    let high = low;
    if (chars[i + 1] === '-' && i + 2 < chars.length && chars[i + 2] !== ']') {
      high = chars[i + 2]!;
      i += 2;
    }
    ranges.push([low, high]);
    i++;
  }
  if (i >= chars.length) return undefined;
  return { token: { type: 'class', negate, ranges }, next: i + 1 };
}

function tokenize(segment: string): Token[] {
  const chars = Array.from(segment);
  const tokens: Token[] = [];
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i]!;
    if (char === '\\' && i + 1 < chars.length) {
      tokens.push({ type: 'char', char: chars[++i]! });
    } else if (char === '*') {
      if (tokens.at(-1)?.type !== 'star') tokens.push({ type: 'star' });
    } else if (char === '?') {
      tokens.push({ type: 'any' });
    } else if (char === '[') {
      const parsed = parseClass(chars, i);
      if (parsed) {
        tokens.push(parsed.token);
        i = parsed.next - 1;
      } else {
        tokens.push({ type: 'char', char });
      }
    } else {
      tokens.push({ type: 'char', char });
    }
  }
  return tokens;
}

function matchesOne(token: Token, char: string): boolean {
  switch (token.type) {
    case 'char':
      return token.char === char;
    case 'any':
      return true;
    case 'class':
      return token.ranges.some(([low, high]) => char >= low && char <= high) !== token.negate;
    case 'star':
      return false;
  }
}

/** Compiles one path segment (no `/`) into a matcher of names. */
export function segmentMatcher(segment: string): (name: string) => boolean {
  const tokens = tokenize(segment);
  const explicitDot = segment.startsWith('.');
  return (name) => {
    if (name.startsWith('.') && !explicitDot) return false;
    const chars = Array.from(name);
    let t = 0;
    let c = 0;
    let starT = -1;
    let starC = 0;
    while (c < chars.length) {
      const token = tokens[t];
      if (token?.type === 'star') {
        starT = t++;
        starC = c;
      } else if (token && matchesOne(token, chars[c]!)) {
        t++;
        c++;
      } else if (starT >= 0) {
        // Let the last star take one more character and retry from there.
        t = starT + 1;
        c = ++starC;
      } else {
        return false;
      }
    }
    while (tokens[t]?.type === 'star') t++;
    return t === tokens.length;
  };
}

function unescape(segment: string): string {
  let out = '';
  for (let i = 0; i < segment.length; i++) {
    if (segment[i] === '\\' && i + 1 < segment.length) i++;
    out += segment[i];
  }
  return out;
}

async function subdirectories(dir: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (current: string): Promise<void> => {
    found.push(current);
    const entries = await readdir(current, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (entry.isDirectory() && !entry.name.startsWith('.')) await walk(join(current, entry.name));
    }
  };
  await walk(dir);
  return found;
}

/**
 * Existing paths that `pattern` matches, sorted; any type of entry (the caller
 * decides what to read). Unreadable directories on the way match nothing.
 */
export async function expandGlob(pattern: string): Promise<string[]> {
  const absolute = pattern.startsWith('/');
  const segments = pattern.split('/').filter((segment) => segment !== '');
  let bases = [absolute ? '/' : '.'];
  for (const segment of segments) {
    if (segment === '**') {
      const all = await Promise.all(bases.map(subdirectories));
      bases = all.flat();
    } else if (!hasGlob(segment)) {
      const name = unescape(segment);
      bases = bases.map((base) => join(base, name));
    } else {
      const matches = segmentMatcher(segment);
      const next: string[] = [];
      for (const base of bases) {
        const names = await readdir(base).catch(() => [] as string[]);
        for (const name of names.sort()) if (matches(name)) next.push(join(base, name));
      }
      bases = next;
    }
  }
  // Literal segments were joined unchecked: keep what exists.
  const unique = [...new Set(bases)].sort();
  const exists = await Promise.all(
    unique.map((path) =>
      lstat(path).then(
        () => true,
        () => false,
      ),
    ),
  );
  return unique.filter((_, i) => exists[i]);
}
