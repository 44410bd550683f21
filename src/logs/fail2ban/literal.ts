/**
 * A literal every match of a pattern contains, for a cheap `includes` before
 * re2 runs: the longest run of plain characters on the pattern's required
 * path (outside alternations, optional or repeated-zero parts and classes).
 */

import { branches, classEnd, groupEnd } from './syntax';

/** Escapes whose character stands for itself. */
const LITERAL_ESCAPE = /[^A-Za-z0-9]/;

/** Whether a quantifier at `i` allows zero repetitions. */
function optionalAt(pattern: string, i: number): boolean {
  const c = pattern[i];
  if (c === '?' || c === '*') return true;
  if (c === '{') {
    const m = /^\{(\d*)(,\d*)?\}/.exec(pattern.slice(i, i + 24));
    return m !== null && Number(m[1] || '0') === 0;
  }
  return false;
}

function quantifierAt(pattern: string, i: number): boolean {
  const c = pattern[i];
  return c === '?' || c === '*' || c === '+' || (c === '{' && /^\{\d*,?\d*\}/.test(pattern.slice(i)));
}

/**
 * The required literal runs of `pattern` (Python/re2 syntax). Empty when
 * the pattern ignores case or branches at its top level.
 */
export function requiredLiterals(pattern: string): string[] {
  if (/\(\?[a-z]*i/.test(pattern) || branches(pattern)) return [];
  const runs: string[] = [];
  let run = '';
  const end = (): void => {
    if (run !== '') runs.push(run);
    run = '';
  };
  for (let i = 0; i < pattern.length;) {
    const c = pattern[i]!;
    if (c === '(') {
      end();
      const close = groupEnd(pattern, i);
      const body = pattern.slice(i + 1, close - 1);
      const optional = optionalAt(pattern, close);
      // A group that must occur once and does not branch: its own literals are required too.
      const inner = /^\?(?::|P<\w+>)/.exec(body);
      if (!optional && (inner || !body.startsWith('?')))
        runs.push(...requiredLiterals(body.slice(inner?.[0].length ?? 0)));
      i = close;
      if (quantifierAt(pattern, i)) i = skipQuantifier(pattern, i);
      continue;
    }
    if (c === '[') {
      end();
      i = classEnd(pattern, i);
      if (quantifierAt(pattern, i)) i = skipQuantifier(pattern, i);
      continue;
    }
    let ch: string | undefined;
    let width = 1;
    if (c === '\\') {
      const e = pattern[i + 1];
      width = 2;
      if (e !== undefined && LITERAL_ESCAPE.test(e)) ch = e;
    } else if (!'.^$|)'.includes(c)) ch = c;
    const next = i + width;
    if (ch !== undefined && quantifierAt(pattern, next)) {
      // The character may repeat or vanish: `+` keeps one, others none.
      if (pattern[next] === '+') run += ch;
      end();
      i = skipQuantifier(pattern, next);
      continue;
    }
    if (ch === undefined) {
      end();
      i = next;
      if (quantifierAt(pattern, i)) i = skipQuantifier(pattern, i);
      continue;
    }
    run += ch;
    i = next;
  }
  end();
  return runs;
}

function skipQuantifier(pattern: string, i: number): number {
  if (pattern[i] === '{') i = pattern.indexOf('}', i) + 1;
  else i++;
  if (pattern[i] === '?' || pattern[i] === '+') i++;
  return i;
}

/**
 * The longest required literal of `pattern`, or '' when it has none worth
 * testing. Runs holding `[]` or `()` are left out: fail2ban cuts the date out
 * of a line before matching, which can bring brackets together that the raw
 * line keeps apart.
 */
export function prefilterOf(pattern: string): string {
  let best = '';
  for (const run of requiredLiterals(pattern)) {
    if (run.includes('[]') || run.includes('()')) continue;
    if (run.trim().length > best.trim().length) best = run;
  }
  return best.trim().length >= 3 ? best : '';
}
