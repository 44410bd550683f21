/**
 * How deep JSON text nests, found without parsing it: JSON.parse reads any
 * depth, but what reads its result recursively (revivers, JSON.stringify, ajv)
 * overflows the stack on a hostile 10,000-deep document.
 */

/**
 * The deepest nesting of objects and arrays in JSON text (brackets inside
 * strings do not count), in one linear pass without parsing. Tells a hostile
 * 10,000-deep document from a real one before a recursive reader sees it.
 */
export function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === 92) i++;
      else if (code === 34) inString = false;
    } else if (code === 34) inString = true;
    else if (code === 123 || code === 91) deepest = Math.max(deepest, ++depth);
    else if (code === 125 || code === 93) depth--;
  }
  return deepest;
}
