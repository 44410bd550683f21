/**
 * The modification time of an input, the reference for its year-less syslog
 * dates: a log's last line was written at about its mtime.
 */
import { statSync } from 'node:fs';

/** The mtime of `source` in ms, or undefined for stdin, journald or a file that is gone. */
export function modificationTime(source: string): number | undefined {
  if (source === '-') return undefined;
  try {
    return statSync(source).mtimeMs;
  } catch {
    return undefined;
  }
}
