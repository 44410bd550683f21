/**
 * Rotated sets, read oldest first: `auth.log.3.gz`, `auth.log.2.gz`,
 * `auth.log.1`, `auth.log`; or with logrotate's `dateext`
 * `auth.log-20250101.gz`, `auth.log-20250102`, `auth.log`.
 */
import { basename, dirname, join } from 'node:path';

/** Where a file name sits in its rotated set. */
export interface RotationName {
  /** The live file's name (`auth.log` for `auth.log.2.gz`). */
  base: string;
  /**
   * Sort key, oldest first: numbered rotations (`.N`, larger N older), then
   * dated ones (`-YYYYMMDD[HH]` or `.YYYYMMDD[HH]`, earlier older), then the live file.
   */
  age: [number, number];
}

function isDigits(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 48 || code > 57) return false;
  }
  return true;
}

/** Parses a file name (no directory) into its set and its age; plain string work, no regex. */
export function rotationName(name: string): RotationName {
  const stem = name.endsWith('.gz') && name.length > 3 ? name.slice(0, -3) : name;
  const cut = Math.max(stem.lastIndexOf('.'), stem.lastIndexOf('-'));
  const suffix = stem.slice(cut + 1);
  if (cut > 0 && isDigits(suffix)) {
    const base = stem.slice(0, cut);
    if (suffix.length === 8 || suffix.length === 10) return { base, age: [1, Number(suffix)] };
    if (stem[cut] === '.' && suffix.length <= 6) return { base, age: [0, -Number(suffix)] };
  }
  return { base: stem, age: [2, 0] };
}

/**
 * Orders paths so each rotated set is read oldest first. Sets keep the order
 * in which their first member appears; `-` (stdin) is its own set.
 */
export function orderRotated(paths: string[]): string[] {
  const sets = new Map<string, Array<{ path: string; age: [number, number] }>>();
  for (const path of paths) {
    const { base, age } = path === '-' ? { base: '-', age: [2, 0] as [number, number] } : rotationName(basename(path));
    const key = path === '-' ? '-' : join(dirname(path), base);
    const members = sets.get(key) ?? [];
    if (members.length === 0) sets.set(key, members);
    members.push({ path, age });
  }
  const ordered: string[] = [];
  for (const members of sets.values()) {
    members.sort(
      (a, b) => a.age[0] - b.age[0] || a.age[1] - b.age[1] || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0),
    );
    for (const member of members) ordered.push(member.path);
  }
  return ordered;
}
