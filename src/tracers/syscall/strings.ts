/**
 * strace's quoted strings: C escapes (`\n`, `\t`, `\\`, `\"`), octal bytes
 * (`\33`, `\303\274`) and hex bytes (`\x1b`, with `-x`), a trailing `...` when
 * `-s` cut the string. Decoded to the bytes the program used, read as UTF-8
 * (invalid bytes become U+FFFD). The text is the traced program's: it can hold
 * anything, so display goes through the terminal escaper.
 */

/** A decoded string argument. */
export interface StraceString {
  value: string;
  /** strace printed only the first `-s` bytes. */
  truncated: boolean;
}

const SIMPLE: Readonly<Record<string, number>> = { n: 10, t: 9, r: 13, v: 11, f: 12, a: 7, b: 8, e: 27 };

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

/** Decodes escapes in `body` (the text between the quotes) to bytes, then UTF-8. */
export function unescapeStrace(body: string): string {
  if (!body.includes('\\')) {
    let ascii = true;
    for (let i = 0; i < body.length && ascii; i++) if (body.charCodeAt(i) > 0x7e) ascii = false;
    if (ascii) return body;
  }
  const bytes = Buffer.allocUnsafe(Buffer.byteLength(body, 'utf8'));
  let n = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (c !== 0x5c || i + 1 >= body.length) {
      if (c < 0x80) bytes[n++] = c;
      else n += bytes.write(body[i]!, n, 'utf8');
      continue;
    }
    const next = body.charCodeAt(++i);
    if (next >= 0x30 && next <= 0x37) {
      // Up to three octal digits.
      let value = next - 0x30;
      for (let k = 0; k < 2 && i + 1 < body.length; k++) {
        const d = body.charCodeAt(i + 1);
        if (d < 0x30 || d > 0x37) break;
        value = value * 8 + (d - 0x30);
        i++;
      }
      bytes[n++] = value & 0xff;
    } else if (next === 0x78 && i + 2 < body.length && hexValue(body.charCodeAt(i + 1)) >= 0) {
      const high = hexValue(body.charCodeAt(i + 1));
      const low = hexValue(body.charCodeAt(i + 2));
      if (low >= 0) {
        bytes[n++] = high * 16 + low;
        i += 2;
      } else {
        bytes[n++] = high;
        i += 1;
      }
    } else {
      const simple = SIMPLE[String.fromCharCode(next)];
      bytes[n++] = simple ?? next;
    }
  }
  return bytes.toString('utf8', 0, n);
}

/**
 * The string argument `arg` (`"..."`, maybe followed by `...`), decoded; undefined
 * when the argument is not a string (`NULL`, an address).
 */
export function decodeString(arg: string): StraceString | undefined {
  if (arg.charCodeAt(0) !== 0x22) return undefined;
  let end = arg.length;
  let truncated = false;
  if (arg.endsWith('"...')) {
    truncated = true;
    end -= 3;
  }
  if (end < 2 || arg.charCodeAt(end - 1) !== 0x22) return { value: unescapeStrace(arg.slice(1, end)), truncated: true };
  return { value: unescapeStrace(arg.slice(1, end - 1)), truncated };
}
