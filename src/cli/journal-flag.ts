/**
 * `--journal [unit]` takes an optional value, so `--journal /var/log/auth.log`
 * would read the path as a unit name. A systemd unit name never holds a `/`
 * (systemd.unit(5)); a value with one, or naming an existing file or
 * directory, is a log path given after the flag, not a unit.
 */
import { existsSync } from 'node:fs';

/** What the three reading commands get from their paths and `--journal` value. */
export interface JournalChoice {
  /** The log paths, with a path mistaken for the flag's value put back first. */
  paths: string[];
  /** Whether to read journald and which unit; undefined without `--journal`. */
  journal: { unit?: string } | undefined;
}

/** Splits commander's `--journal [unit]` value into a unit or a path. */
export function journalChoice(paths: string[], flag: string | boolean | undefined): JournalChoice {
  if (flag === undefined || flag === false) return { paths, journal: undefined };
  if (flag === true) return { paths, journal: {} };
  if (flag.includes('/') || existsSync(flag)) return { paths: [flag, ...paths], journal: {} };
  return { paths, journal: { unit: flag } };
}
