/**
 * Running the CLI in-process for the hostile-input tests, and checking that
 * what it printed cannot drive a terminal.
 */
export { cli, type CliOutcome } from '../helpers/cli';

/** Bidi controls (Trojan Source) a terminal or editor would reorder text with. */
const BIDI = new Set([0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069]);

/**
 * Every character of `text` that a terminal would interpret rather than show
 * (C0 controls but newline, DEL, C1 controls, bidi controls), as `U+XXXX at N`.
 */
export function terminalControls(text: string): string[] {
  const found: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const control = (code < 0x20 && code !== 0x0a) || code === 0x7f || (code >= 0x80 && code <= 0x9f) || BIDI.has(code);
    if (control)
      found.push(
        `U+${code.toString(16).padStart(4, '0')} at ${i}: ${JSON.stringify(text.slice(Math.max(0, i - 30), i + 30))}`,
      );
  }
  return found;
}
