/**
 * A fail2ban configuration as its reader merges it: the files of a name
 * (`X.conf`, `X.d/*.conf`, `X.local`, `X.d/*.local`), each preceded and
 * followed by its `[INCLUDES]` `before`/`after` files (and their `.local`),
 * later files overriding earlier ones option by option, the overridden values
 * kept as `known/...`; and the two interpolations: configparser's `%(name)s`
 * (with fail2ban's `%(section/name)s` and `%(known/name)s`) and fail2ban's own
 * `<name>` tags (resolved innermost first, so `<lt_<logtype>/x>` works).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { type IniFile, type Options, parseIni } from './ini';

/** Most nested interpolations (configparser's MAX_INTERPOLATION_DEPTH). */
const MAX_DEPTH = 10;

/** Files read and not readable while loading. */
export interface ConfigFiles {
  read: string[];
  unreadable: string[];
}

/** A merged configuration: defaults, sections, and the values later files overrode. */
export class MergedConfig {
  readonly defaults: Options = {};
  readonly sections = new Map<string, Options>();
  /** Per section, the values of options before a later file overrode them (fail2ban's `KNOWN/<section>`). */
  private readonly known = new Map<string, Options>();

  constructor(readonly files: ConfigFiles) {}

  /** Merges one file's content over what is there. */
  merge(file: IniFile): void {
    Object.assign(this.defaults, file.defaults);
    for (const [name, options] of file.sections) {
      if (name === 'INCLUDES') continue;
      const existing = this.sections.get(name);
      if (existing) {
        const known = this.known.get(name) ?? {};
        for (const k of Object.keys(options)) if (k in existing) known[k] = existing[k]!;
        this.known.set(name, known);
        Object.assign(existing, options);
      } else this.sections.set(name, { ...options });
    }
  }

  /** The raw (uninterpolated) value of `section`'s option, or of `[DEFAULT]`'s. */
  raw(section: string, option: string): string | undefined {
    const own = this.sections.get(section);
    if (own && option in own) return own[option];
    return option in this.defaults ? this.defaults[option] : undefined;
  }

  /** Names of a section's own options (no defaults). */
  ownOptions(section: string): string[] {
    return Object.keys(this.sections.get(section) ?? {});
  }

  /** Names of a section's options and the defaults'. */
  options(section: string): string[] {
    return [...new Set([...this.ownOptions(section), ...Object.keys(this.defaults)])];
  }

  /**
   * A value as configparser's `get(section, option, vars=vars)` gives it,
   * interpolated; `sec/opt` names another section's option (fail2ban's
   * get_ex). Undefined when there is no such option; throws on a missing
   * reference or too deep a nesting, as configparser does.
   */
  get(section: string, option: string, vars: Options = {}): string | undefined {
    const slash = /^([\w-]+)\/([^\s>]+)$/.exec(option);
    if (slash) {
      const [, sec, opt] = slash as unknown as [string, string, string];
      const lower = sec.toLowerCase();
      if (lower === 'known') {
        const known = this.known.get(section)?.[opt];
        if (known !== undefined) return this.interpolate(section, opt, known, vars, 1);
        return this.get(section, opt, vars);
      }
      const target = lower === 'default' ? 'DEFAULT' : sec;
      if (target !== 'DEFAULT' && !this.sections.has(target)) return undefined;
      return this.get(target, opt);
    }
    const value = option in vars ? vars[option] : this.raw(section, option);
    if (value === undefined) return undefined;
    return this.interpolate(section, option, value, vars, 1);
  }

  private lookup(section: string, name: string, vars: Options): string | undefined {
    if (name === '__name__') return section;
    if (name in vars) return vars[name];
    const direct = this.raw(section, name);
    if (direct !== undefined) return direct;
    // fail2ban's %(section/option)s and %(known/option)s, falling back to [DEFAULT].
    const slash = /^([\w-]+)\/(.+)$/.exec(name);
    if (!slash) return undefined;
    const [, sec, opt] = slash as unknown as [string, string, string];
    const lower = sec.toLowerCase();
    if (lower === 'known') return this.known.get(section)?.[opt] ?? this.defaults[opt];
    if (lower === 'default') return this.defaults[opt];
    const other = this.sections.get(sec);
    if (!other) return undefined;
    return other[opt] ?? this.defaults[opt];
  }

  private interpolate(section: string, option: string, value: string, vars: Options, depth: number): string {
    if (!value.includes('%')) return value;
    if (depth > MAX_DEPTH) throw new Error(`interpolation too deep in [${section}] ${option}`);
    let out = '';
    let i = 0;
    while (i < value.length) {
      const p = value.indexOf('%', i);
      if (p < 0) {
        out += value.slice(i);
        break;
      }
      out += value.slice(i, p);
      const next = value[p + 1];
      if (next === '%') {
        out += '%';
        i = p + 2;
      } else if (next === '(') {
        const close = value.indexOf(')s', p);
        if (close < 0) throw new Error(`bad interpolation in [${section}] ${option}: ${value.slice(p, p + 40)}`);
        const name = value.slice(p + 2, close).toLowerCase();
        const ref = this.lookup(section, name, vars);
        if (ref === undefined) throw new Error(`[${section}] ${option} refers to missing option ${name}`);
        out += this.interpolate(section, name, ref, vars, depth + 1);
        i = close + 2;
      } else throw new Error(`bad '%' in [${section}] ${option}`);
    }
    return out;
  }
}

/** The files of one configuration name: `X.conf`, `X.d/*.conf`, `X.local`, `X.d/*.local` that exist. */
export function filesOf(base: string): string[] {
  const out: string[] = [];
  const dropIns = (ext: string): string[] => {
    try {
      return readdirSync(`${base}.d`)
        .filter((f) => f.endsWith(ext))
        .sort()
        .map((f) => join(`${base}.d`, f));
    } catch {
      return [];
    }
  };
  if (existsSync(`${base}.conf`)) out.push(`${base}.conf`);
  out.push(...dropIns('.conf'));
  if (existsSync(`${base}.local`)) out.push(`${base}.local`);
  out.push(...dropIns('.local'));
  return out;
}

/** Reads and merges a configuration (see the module comment), reading each file once per `cache`. */
export function readConfig(files: readonly string[], cache: Map<string, IniFile | null> = new Map()): MergedConfig {
  const used: ConfigFiles = { read: [], unreadable: [] };
  const config = new MergedConfig(used);
  const load = (path: string): IniFile | null => {
    if (cache.has(path)) return cache.get(path)!;
    let file: IniFile | null;
    try {
      file = parseIni(readFileSync(path, 'utf8'));
    } catch {
      file = null;
    }
    cache.set(path, file);
    return file;
  };
  const withLocal = (names: readonly string[]): string[] => {
    const out: string[] = [];
    for (const name of names) {
      out.push(name);
      const local = name.replace(/\.[^./]*$/, '') + '.local';
      if (local !== name && !names.includes(local) && existsSync(local)) out.push(local);
    }
    return out;
  };
  const expand = (names: readonly string[], seen: readonly string[]): string[] => {
    const out: string[] = [];
    for (const name of withLocal(names)) {
      const file = load(name);
      if (!file) {
        if (!existsSync(name)) continue;
        used.unreadable.push(name);
        continue;
      }
      const includes = file.sections.get('INCLUDES') ?? {};
      const around = (option: 'before' | 'after'): string[] =>
        (includes[option] ?? '')
          .split('\n')
          .map((s) => s.trim())
          .filter((s) => s !== '')
          .map((s) => (isAbsolute(s) ? s : join(dirname(name), s)))
          .filter((s) => !seen.includes(s))
          .flatMap((s) => expand([s], [...seen, name]));
      out.push(...around('before'), name, ...around('after'));
    }
    return out;
  };
  // A file both listed and included (common.conf's `after = common.local`) is read once.
  for (const path of new Set(expand(files, []))) {
    const file = load(path);
    if (!file) continue;
    used.read.push(path);
    config.merge(file);
  }
  return config;
}

/** `name` of `dir/name.conf`. */
export function nameOf(path: string): string {
  return basename(path).replace(/\.(conf|local)$/, '');
}

/** Most rounds of `<tag>` substitution (fail2ban's MAX_TAG_REPLACE_COUNT is per tag; this bounds the whole). */
const MAX_TAG_ROUNDS = 50;

/**
 * fail2ban's substituteRecursiveTags for one value: every `<name>` whose name
 * `resolve` knows is replaced, innermost first, until none is left; the
 * others (`<HOST>`, `<F-USER>`) stay.
 */
export function substituteTags(value: string, resolve: (tag: string) => string | undefined): string {
  for (let round = 0; round < MAX_TAG_ROUNDS; round++) {
    let changed = false;
    value = value.replace(/<([^ <>]+)>/g, (whole, tag: string) => {
      const repl = resolve(tag);
      if (repl === undefined) return whole;
      changed = true;
      return repl;
    });
    if (!changed) return value;
  }
  throw new Error('tags refer to each other without end');
}
