/**
 * `--token FILE` of the commands that serve HTTP (`serve`, `collect --serve`):
 * the bearer token is read from a file, never given on the command line
 * (where `ps` shows it).
 */
import { readFileSync } from 'node:fs';
import { escapeForTerminal } from '../report/terminal-escape';
import { type CliRun, fail } from './io';

/** The token the file holds, or null (after a one-line error, exit 2) when it cannot be read. */
export function readTokenFile(run: CliRun, path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    fail(run, `--token: ${escapeForTerminal((error as Error).message)}`, 2);
    return null;
  }
}
