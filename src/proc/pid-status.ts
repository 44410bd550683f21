/**
 * /proc/[pid]/status: `Key:\tvalue` lines. Memory figures are in kB; logsleuth
 * reports bytes.
 */
import { decimal, fields } from './text';

/** What logsleuth uses of /proc/[pid]/status. Absent lines give undefined. */
export interface ProcStatus {
  name?: string;
  /** Real, effective, saved and filesystem uids. */
  uids?: [number, number, number, number];
  gids?: [number, number, number, number];
  threads?: number;
  /** Memory in bytes: VmRSS, VmSize, VmPeak, VmHWM, VmData, VmSwap, RssAnon, RssFile, RssShmem. */
  memory: Partial<Record<MemoryField, number>>;
  voluntaryContextSwitches?: number;
  nonvoluntaryContextSwitches?: number;
  /** Lines without a `key:` that were skipped. */
  malformed: number;
}

export type MemoryField =
  'VmRSS' | 'VmSize' | 'VmPeak' | 'VmHWM' | 'VmData' | 'VmSwap' | 'RssAnon' | 'RssFile' | 'RssShmem';

const MEMORY_FIELDS: readonly MemoryField[] = [
  'VmRSS',
  'VmSize',
  'VmPeak',
  'VmHWM',
  'VmData',
  'VmSwap',
  'RssAnon',
  'RssFile',
  'RssShmem',
];

function ids(value: string | undefined): [number, number, number, number] | undefined {
  if (value === undefined) return undefined;
  const parts = fields(value).map(decimal);
  if (parts.length !== 4 || parts.some((p) => p === undefined)) return undefined;
  return parts as [number, number, number, number];
}

/** A `N kB` figure in bytes. */
export function kilobytes(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parts = fields(value);
  const n = decimal(parts[0]);
  if (n === undefined || parts.length > 2 || (parts.length === 2 && parts[1] !== 'kB')) return undefined;
  return parts.length === 2 ? n * 1024 : n;
}

/**
 * Undoes the kernel's escaping of the Name line (`\n` for a newline, `\\` for
 * a backslash), so the name matches the one in stat.
 */
function unescapeName(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c === '\\' && i + 1 < value.length) {
      const next = value[++i]!;
      out += next === 'n' ? '\n' : next;
    } else out += c;
  }
  return out;
}

const WANTED = new Set<string>([
  'Uid',
  'Gid',
  'Threads',
  'voluntary_ctxt_switches',
  'nonvoluntary_ctxt_switches',
  ...MEMORY_FIELDS,
]);

/**
 * Parses a status file; never throws, fills in only the fields it found
 * well-formed. A single pass that keeps only the wanted keys: it runs once per
 * process per snapshot, on some 55 lines each.
 */
export function parseProcStatus(text: string): ProcStatus {
  const values = new Map<string, string>();
  let malformed = 0;
  let name: string | undefined;
  for (let start = 0; start < text.length;) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const colon = text.indexOf(':', start);
    if (colon <= start || colon > end) {
      if (end > start) malformed++;
    } else {
      const key = text.slice(start, colon);
      // The name is read raw, not trimmed: a name may end in spaces.
      if (key === 'Name' && name === undefined && text[colon + 1] === '\t')
        name = unescapeName(text.slice(colon + 2, end));
      else if (WANTED.has(key) && !values.has(key)) values.set(key, text.slice(colon + 1, end).trim());
    }
    start = end + 1;
  }
  const memory: ProcStatus['memory'] = {};
  for (const field of MEMORY_FIELDS) {
    const bytes = kilobytes(values.get(field));
    if (bytes !== undefined) memory[field] = bytes;
  }
  return {
    name,
    uids: ids(values.get('Uid')),
    gids: ids(values.get('Gid')),
    threads: decimal(values.get('Threads')),
    memory,
    voluntaryContextSwitches: decimal(values.get('voluntary_ctxt_switches')),
    nonvoluntaryContextSwitches: decimal(values.get('nonvoluntary_ctxt_switches')),
    malformed,
  };
}
