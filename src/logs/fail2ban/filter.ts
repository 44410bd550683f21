/**
 * One fail2ban filter (`filter.d/NAME`) read as fail2ban's FilterReader reads
 * it: `[Definition]` options interpolated with the jail's parameters as
 * variables, `[Init]` options (and the jail's parameters) overriding them,
 * then fail2ban's `<tag>` substitution over the whole.
 */
import { join } from 'node:path';
import type { IniFile, Options } from './ini';
import { type MergedConfig, filesOf, readConfig, substituteTags } from './config';

/** A filter's definition, its patterns still as fail2ban writes them (tags like `<HOST>` unresolved). */
export interface FilterDefinition {
  name: string;
  /** The files read, in merge order. */
  files: string[];
  prefregex: string | undefined;
  /** One entry per line of `failregex` (blank lines dropped). */
  failregex: string[];
  ignoreregex: string[];
  datepattern: string | undefined;
  maxlines: number;
  journalmatch: string | undefined;
  /** The filter's options after interpolation (for `rules` and tests). */
  options: Options;
}

/** A filter that could not be read, with why. */
export interface FilterError {
  name: string;
  error: string;
}

function lines(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

const PATTERN_OPTIONS = ['prefregex', 'failregex', 'ignoreregex'];

/** The combined options of a filter (fail2ban's getOptions then getCombined). */
function combined(config: MergedConfig, params: Options): Options {
  const definition: Options = {};
  if (config.sections.has('Definition')) {
    for (const opt of config.options('Definition')) {
      try {
        definition[opt] = config.get('Definition', opt, params) ?? '';
      } catch (error) {
        // An option nothing uses may refer to what is missing; the patterns may not.
        if (PATTERN_OPTIONS.includes(opt)) throw error;
      }
    }
  }
  const init: Options = {};
  if (config.sections.has('Init')) {
    for (const opt of config.ownOptions('Init')) {
      const v = config.get('Init', opt) ?? '';
      if (!opt.startsWith('known/')) init[`known/${opt}`] = v;
      init[opt] = v;
    }
  }
  const all: Options = { ...definition, ...init, ...params };
  const resolve = (tag: string): string | undefined => {
    if (tag in all) return all[tag];
    try {
      // fail2ban's getCombOption: another section's option (`lt_file/__prefix_line`).
      return tag.includes('/') ? config.get('Definition', tag, params) : undefined;
    } catch {
      return undefined;
    }
  };
  const out: Options = {};
  for (const [k, v] of Object.entries(all)) out[k] = substituteTags(v, resolve);
  return out;
}

/**
 * Reads filter `name` from `dir/filter.d` with the jail's `params`
 * (`filter = sshd[mode=aggressive]`). Throws with a reason when the files
 * do not make a filter (no `[Definition]`, a broken interpolation).
 */
export function readFilter(
  dir: string,
  name: string,
  params: Options = {},
  cache?: Map<string, IniFile | null>,
): FilterDefinition {
  const files = filesOf(join(dir, 'filter.d', name));
  if (files.length === 0) throw new Error(`no filter.d/${name}.conf or .local`);
  const config = readConfig(files, cache);
  if (!config.sections.has('Definition')) throw new Error('no [Definition] section');
  const options = combined(config, params);
  const maxlines = Number(options.maxlines ?? '1');
  return {
    name,
    files: config.files.read,
    prefregex: options.prefregex?.trim() || undefined,
    failregex: lines(options.failregex),
    ignoreregex: lines(options.ignoreregex),
    datepattern: options.datepattern?.trim() || undefined,
    maxlines: Number.isInteger(maxlines) && maxlines > 0 ? maxlines : 1,
    journalmatch: options.journalmatch?.trim() || undefined,
    options,
  };
}
