/**
 * Attacker-written text (user names, paths, whole log lines) shown on a terminal
 * must not drive it: control characters, escape sequences and bidi overrides are
 * made visible instead of being interpreted.
 */

/** Bidirectional controls that reorder what a reader sees (Trojan Source). */
function isBidiControl(code: number): boolean {
  return (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069) || code === 0x200e || code === 0x200f;
}

function hex(code: number): string {
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
}

/**
 * Escapes C0 and C1 controls (ESC, CR, BEL, ...), DEL and bidi controls as
 * `\xNN` / `\u{NNNN}`; a backslash is doubled so the output is unambiguous.
 * A plain loop, not a regex: it runs on every printed log value.
 */
export function escapeForTerminal(text: string): string {
  let out = '';
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const unsafe = code < 0x20 || code === 0x7f || (code >= 0x80 && code <= 0x9f) || isBidiControl(code);
    if (!unsafe && code !== 0x5c) continue;
    out += text.slice(start, i) + (code === 0x5c ? '\\\\' : hex(code));
    start = i + 1;
  }
  return start === 0 ? text : out + text.slice(start);
}

/** {@link escapeForTerminal} on each line of a multi-line message, keeping its line breaks. */
export function escapeLinesForTerminal(text: string): string {
  return text.split('\n').map(escapeForTerminal).join('\n');
}
