/**
 * Bytes from a packet as text that is safe to print: printable ASCII as is,
 * everything else as \DDD (RFC 1035's presentation form), so names taken from
 * traffic never carry control characters to a terminal or a report.
 */

/** `bytes[start, end)` as text; the backslash and each of `special` are escaped with a backslash. */
export function printable(bytes: Buffer, start: number, end: number, special = ''): string {
  let text = '';
  for (let i = start; i < end; i++) {
    const byte = bytes[i]!;
    const char = String.fromCharCode(byte);
    if (byte < 0x20 || byte > 0x7e) text += `\\${String(byte).padStart(3, '0')}`;
    else if (byte === 0x5c || special.includes(char)) text += `\\${char}`;
    else text += char;
  }
  return text;
}
