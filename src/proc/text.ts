/**
 * Plain loops for splitting /proc text: no regex runs on /proc content, and
 * these allocate only the pieces they return.
 */

/** Splits on runs of spaces and tabs, ignoring leading and trailing ones. */
export function fields(line: string): string[] {
  const out: string[] = [];
  let start = -1;
  for (let i = 0; i <= line.length; i++) {
    const c = i < line.length ? line.charCodeAt(i) : 0x20;
    const blank = c === 0x20 || c === 0x09 || c === 0x0d;
    if (blank) {
      if (start >= 0) out.push(line.slice(start, i));
      start = -1;
    } else if (start < 0) start = i;
  }
  return out;
}

/** A non-negative decimal integer of at most 15 digits (exact in a double), else undefined. */
export function decimal(text: string | undefined): number | undefined {
  if (text === undefined || text.length === 0 || text.length > 15) return undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return undefined;
  }
  return Number(text);
}

/** Like `decimal`, also accepting a leading minus sign. */
export function signedDecimal(text: string | undefined): number | undefined {
  if (text?.startsWith('-')) {
    const value = decimal(text.slice(1));
    return value === undefined ? undefined : -value;
  }
  return decimal(text);
}

/**
 * `Key: value` lines (status, meminfo, io) into a map. Lines without a colon
 * are counted as malformed; the first occurrence of a key wins.
 */
export function keyValues(text: string, separator = ':'): { values: Map<string, string>; malformed: number } {
  const values = new Map<string, string>();
  let malformed = 0;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const at = line.indexOf(separator);
    if (at <= 0) {
      malformed++;
      continue;
    }
    const key = line.slice(0, at);
    if (!values.has(key)) values.set(key, line.slice(at + separator.length).trim());
  }
  return { values, malformed };
}
