/**
 * fail2ban's configuration files as Python's configparser reads them (the
 * rules fail2ban's SafeConfigParserWithIncludes keeps): `[section]` headers,
 * `name = value` or `name: value` (names lower-cased), values continued on
 * indented lines, whole-line comments starting with `#` or `;` (indented too),
 * inline comments after whitespace and `;`, a `[DEFAULT]` section every other
 * section sees.
 */

/** One section's options, by lower-cased name. */
export type Options = Record<string, string>;

/** What one file holds. */
export interface IniFile {
  defaults: Options;
  /** Sections in file order (`DEFAULT` excluded). */
  sections: Map<string, Options>;
}

/** Strips an inline comment: `;` preceded by whitespace (configparser's inline_comment_prefixes). */
function stripInline(value: string): string {
  for (let i = 1; i < value.length; i++) {
    if (value[i] === ';' && (value[i - 1] === ' ' || value[i - 1] === '\t')) return value.slice(0, i);
  }
  return value;
}

/** Parses the text of one configuration file; never throws (a line that is no option is ignored). */
export function parseIni(text: string): IniFile {
  const defaults: Options = {};
  const sections = new Map<string, Options>();
  let current: Options | undefined;
  let key: string | undefined;
  let indentOfKey = 0;
  for (const rawLine of text.split(/\r?\n/)) {
    const stripped = rawLine.trim();
    if (stripped.startsWith('#') || stripped.startsWith(';')) continue;
    const indent = rawLine.length - rawLine.trimStart().length;
    if (stripped === '') {
      // Empty lines inside a value belong to it (empty_lines_in_values), trailing ones are trimmed below.
      if (current && key !== undefined) current[key] += '\n';
      continue;
    }
    if (current && key !== undefined && indent > indentOfKey) {
      current[key] += '\n' + stripInline(stripped).trim();
      continue;
    }
    const header = /^\[([^\]]+)\]/.exec(stripped);
    if (header && indent === 0) {
      const name = header[1]!;
      key = undefined;
      if (name === 'DEFAULT') current = defaults;
      else {
        current = sections.get(name) ?? {};
        sections.set(name, current);
      }
      continue;
    }
    if (!current) continue; // configparser: option before any section (MissingSectionHeaderError); skipped
    const eq = stripped.indexOf('=');
    const colon = stripped.indexOf(':');
    const at = eq < 0 ? colon : colon < 0 ? eq : Math.min(eq, colon);
    if (at <= 0) {
      key = undefined;
      continue;
    }
    key = stripped.slice(0, at).trim().toLowerCase();
    indentOfKey = indent;
    current[key] = stripInline(stripped.slice(at + 1)).trim();
  }
  for (const options of [defaults, ...sections.values()]) {
    for (const k of Object.keys(options)) options[k] = options[k]!.replace(/\n+$/, '');
  }
  return { defaults, sections };
}
