/**
 * `--fail2ban [DIR]` / `--no-fail2ban`: which fail2ban configuration's filters
 * to load as rule packs. Without the flag: `LOGSLEUTH_FAIL2BAN` when set (a
 * directory, or `off`), else /etc/fail2ban when it exists.
 */
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_FAIL2BAN_DIR, type Fail2banPacks, loadFail2ban } from '../logs/fail2ban';
import { escapeForTerminal } from '../report/terminal-escape';
import { type CliRun, fail } from './io';

/** The flag as commander gives it: undefined (absent), true (no DIR), false (--no-fail2ban) or DIR. */
export type Fail2banFlag = string | boolean | undefined;

/** The directory to load, or undefined for none. */
export function fail2banDir(flag: Fail2banFlag, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (flag === false) return undefined;
  if (typeof flag === 'string') return flag;
  if (flag === undefined) {
    const fromEnv = env.LOGSLEUTH_FAIL2BAN;
    if (fromEnv !== undefined) return fromEnv === '' || fromEnv === 'off' ? undefined : fromEnv;
    return existsSync(join(DEFAULT_FAIL2BAN_DIR, 'filter.d')) ? DEFAULT_FAIL2BAN_DIR : undefined;
  }
  return DEFAULT_FAIL2BAN_DIR;
}

/** Loads the packs the flag asks for; throws (with the reason) when a named directory cannot be read. */
export function fail2banPacks(flag: Fail2banFlag): Fail2banPacks | undefined {
  const dir = fail2banDir(flag);
  return dir === undefined ? undefined : loadFail2ban(dir);
}

/** The help text of the flag. */
export const FAIL2BAN_HELP =
  "also flag lines fail2ban's filters match (DIR/filter.d, default /etc/fail2ban when it exists)";

/** Adds `--fail2ban [dir]` and `--no-fail2ban` to a command. */
export function addFail2banFlags(command: Command): Command {
  return command.option('--fail2ban [dir]', FAIL2BAN_HELP).option('--no-fail2ban', "do not load fail2ban's filters");
}

/** The packs the flag asks for; null after reporting that they cannot be loaded (exit 2). */
export function packsOrFail(run: CliRun, flag: Fail2banFlag): Fail2banPacks | undefined | null {
  try {
    return fail2banPacks(flag);
  } catch (error) {
    fail(run, `--fail2ban: ${escapeForTerminal((error as Error).message)}`, 2);
    return null;
  }
}
