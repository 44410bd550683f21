/**
 * What a log source yields: one line of text with where it came from. Sources
 * (files, .gz, stdin, follow, journald) produce these; format parsers turn them
 * into LogEvents.
 */
export interface SourceLine {
  /** File path, `-` for stdin, or `journald`. */
  source: string;
  /** 1-based line number within the source (after rotation: within that file). */
  line: number;
  /** Offset of the line's first byte within the source's (decompressed) bytes; absent when the source has none (journald). */
  byteOffset?: number;
  /** The line without its terminator (`\n`, `\r\n`); invalid UTF-8 decoded with U+FFFD. */
  text: string;
}

/** What a source could not read: counted, never fatal for the other inputs. */
export interface SourceProblem {
  source: string;
  /** 1-based line number when the problem is one line (e.g. too long), absent for the whole input. */
  line?: number;
  kind: 'too-long' | 'binary' | 'unreadable' | 'truncated' | 'vanished' | 'not-a-file' | 'missing';
  message: string;
}
