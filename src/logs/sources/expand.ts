/**
 * From what the user typed (paths, globs, directories, `-`) to the ordered list
 * of inputs to read.
 */
import type { Stats } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { SourceProblem } from '../line';
import { expandGlob, hasGlob } from './glob';
import { orderRotated } from './rotation';
import { problemFromError } from './source-failure';

/** One input to read. */
export interface ExpandedInput {
  /** The path (as given or as found in a directory or glob), or `-`. */
  path: string;
  /** `fifo` only when the FIFO was named explicitly (e.g. `<(zcat ...)` as `/dev/fd/63`). */
  type: 'file' | 'fifo' | 'stdin';
}

/** Options of {@link expandInputs}. */
export interface ExpandOptions {
  /** Told about every input that cannot be read (missing, loop, not a file, ...). */
  onProblem?: (problem: SourceProblem) => void;
}

/** How deep a directory is walked: /var/log's services nest one or two levels; a deeper tree is not logs. */
const MAX_DIRECTORY_DEPTH = 8;

/**
 * Binary record files that live among text logs (login accounting, systemd's
 * journal): left out of a directory's files, as reading them yields no line
 * (and a sparse lastlog can be terabytes of holes). Named explicitly, they are read.
 */
const BINARY_RECORDS = new Set(['wtmp', 'btmp', 'utmp', 'lastlog', 'faillog', 'tallylog']);

function isBinaryRecordFile(name: string): boolean {
  if (name.endsWith('.journal') || name.endsWith('.journal~')) return true;
  // wtmp.1 and btmp-20250101.gz are rotated ones
  let end = 0;
  while (end < name.length && name[end] !== '.' && name[end] !== '-') end++;
  return BINARY_RECORDS.has(name.slice(0, end));
}

/** A README or Markdown file beside logs (a sample set, a log archive) describes them; it is no log. */
function isDocumentation(name: string): boolean {
  return name.startsWith('README') || name.endsWith('.md');
}

function describeSpecial(stats: Stats): string {
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

/**
 * Expands inputs into files, in reading order:
 * - `-` is stdin (once, however often given);
 * - a file is itself; a FIFO named explicitly is read (it may block until a
 *   writer comes, as `cat` would); devices and sockets are refused;
 * - a directory gives its regular files and those of its subdirectories
 *   (`/var/log` gives `nginx/access.log`), up to 8 levels, each directory once
 *   however it is linked, leaving out hidden entries, READMEs and Markdown,
 *   and binary record files (wtmp, btmp, lastlog, systemd journals: read those
 *   with `--journal` or by naming them); FIFOs, devices and broken links found there are reported
 *   and skipped, so reading a directory never blocks;
 * - a path that does not exist but has `*`, `?` or `[` is a glob
 *   ({@link expandGlob}); its matches are treated like a directory's entries;
 * - then every rotated set is ordered oldest first ({@link orderRotated}), and
 *   a path given twice is read once.
 * Problems go to `onProblem`; the other inputs are still expanded.
 */
export async function expandInputs(inputs: string[], options: ExpandOptions = {}): Promise<ExpandedInput[]> {
  const onProblem = options.onProblem ?? (() => {});
  const found = new Map<string, ExpandedInput>();
  const add = (path: string, type: ExpandedInput['type']) => {
    if (!found.has(path)) found.set(path, { path, type });
  };

  const walked = new Set<string>();
  /** A directory's files, depth first in name order: how many entries it had, undefined when not listed now. */
  const addDirectory = async (path: string, depth: number): Promise<number | undefined> => {
    let names: string[];
    try {
      const real = await realpath(path);
      if (walked.has(real)) return undefined; // a link back up the tree, or a directory given twice
      walked.add(real);
      names = await readdir(path);
    } catch (error) {
      onProblem(problemFromError(path, error));
      return undefined;
    }
    const visible = names.filter((name) => !name.startsWith('.'));
    for (const name of visible.filter((name) => !isBinaryRecordFile(name) && !isDocumentation(name)).sort())
      await addFound(join(path, name), depth + 1);
    return visible.length;
  };

  /** A path found inside a directory or by a glob: regular files (and a directory's), never blocking. */
  const addFound = async (path: string, depth?: number): Promise<void> => {
    let stats: Stats;
    try {
      stats = await stat(path);
    } catch (error) {
      onProblem(problemFromError(path, error));
      return;
    }
    if (stats.isFile()) add(path, 'file');
    else if (stats.isDirectory()) {
      if (depth !== undefined && depth < MAX_DIRECTORY_DEPTH) await addDirectory(path, depth);
    } else {
      onProblem({
        source: path,
        kind: 'not-a-file',
        message: `${describeSpecial(stats)}, skipped (name it explicitly to read it)`,
      });
    }
  };

  for (const input of inputs) {
    if (input === '-') {
      add('-', 'stdin');
      continue;
    }
    let stats: Stats;
    try {
      stats = await stat(input);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' && hasGlob(input)) {
        const matches = await expandGlob(input);
        if (matches.length === 0)
          onProblem({ source: input, kind: 'missing', message: 'no file matches this pattern' });
        for (const match of matches) await addFound(match);
      } else {
        onProblem(problemFromError(input, error));
      }
      continue;
    }
    if (stats.isFile()) add(input, 'file');
    else if (stats.isFIFO()) add(input, 'fifo');
    else if (stats.isDirectory()) {
      const before = found.size;
      const entries = await addDirectory(input, 0);
      if (entries === 0) onProblem({ source: input, kind: 'missing', message: 'empty directory' });
      else if (entries !== undefined && found.size === before)
        onProblem({ source: input, kind: 'missing', message: 'no log file in this directory' });
    } else {
      onProblem({ source: input, kind: 'not-a-file', message: `${describeSpecial(stats)}, not a log file` });
    }
  }
  const ordered = orderRotated([...found.keys()]);
  return ordered.map((path) => found.get(path)!);
}
