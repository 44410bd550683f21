/**
 * fail2ban's jails (`jail.conf`, `jail.d/*.conf`, `jail.local`,
 * `jail.d/*.local`, with `paths-*.conf` through their includes): which are
 * enabled, their filter (and its parameters, `sshd[mode=aggressive]`), log
 * paths, maxretry and findtime.
 */
import { join } from 'node:path';
import type { IniFile, Options } from './ini';
import { type MergedConfig, filesOf, readConfig } from './config';

/** One jail as configured. */
export interface Jail {
  name: string;
  enabled: boolean;
  /** The filter's name (`filter.d/NAME`). */
  filter: string;
  /** Parameters given to the filter (`mode=aggressive`). */
  params: Options;
  logpath: string[];
  maxretry: number | undefined;
  /** Seconds. */
  findtime: number | undefined;
}

/** fail2ban's time abbreviations (`10m`, `1h`, `1d`, plain seconds). */
export function parseDuration(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const units: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800, mo: 2_592_000, y: 31_536_000 };
  let total = 0;
  let seen = false;
  for (const m of text.trim().matchAll(/(-?\d+(?:\.\d+)?)\s*(mo|[smhdwy])?[a-z]*/gi)) {
    total += Number(m[1]) * (units[(m[2] ?? 's').toLowerCase()] ?? 1);
    seen = true;
  }
  return seen && Number.isFinite(total) ? total : undefined;
}

/** `name[k=v, k2="v 2"]` as the name and its parameters. */
export function parseFilterSpec(spec: string): { name: string; params: Options } {
  const m = /^\s*([^[\s]+)\s*(?:\[(.*)\])?\s*$/s.exec(spec);
  if (!m) return { name: spec.trim(), params: {} };
  const params: Options = {};
  for (const p of (m[2] ?? '').matchAll(/([\w-]+)\s*=\s*("[^"]*"|'[^']*'|[^,]*)/g)) {
    params[p[1]!.toLowerCase()] = p[2]!.trim().replace(/^(["'])(.*)\1$/, '$2');
  }
  return { name: m[1]!, params };
}

function jailOf(config: MergedConfig, name: string): Jail {
  const get = (opt: string): string | undefined => {
    try {
      return config.get(name, opt, { __name__: name });
    } catch {
      return config.raw(name, opt);
    }
  };
  const filterSpec = (get('filter') ?? name).split('\n')[0] ?? name;
  const { name: filter, params } = parseFilterSpec(filterSpec.replace(/%\(__name__\)s/g, name));
  const maxretry = Number(get('maxretry'));
  return {
    name,
    enabled: /^(true|yes|on|1)$/i.test(get('enabled') ?? 'false'),
    filter,
    params,
    logpath: (get('logpath') ?? '')
      .split('\n')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
    maxretry: Number.isInteger(maxretry) ? maxretry : undefined,
    findtime: parseDuration(get('findtime')),
  };
}

/** Every jail defined under `dir` (enabled or not), in file order. */
export function readJails(dir: string, cache?: Map<string, IniFile | null>): Jail[] {
  const config = readConfig(filesOf(join(dir, 'jail')), cache);
  return [...config.sections.keys()].filter((s) => s !== 'Definition' && s !== 'Init').map((s) => jailOf(config, s));
}
