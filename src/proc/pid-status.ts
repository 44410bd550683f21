/**
 * /proc/[pid]/status: `Key:\tvalue` lines. Memory figures are in kB; logsleuth
 * reports bytes.
 */
import { decimal, fields, keyValues } from './text';

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

/** Parses a status file; never throws, fills in only the fields it found well-formed. */
export function parseProcStatus(text: string): ProcStatus {
  const { values, malformed } = keyValues(text);
  const memory: ProcStatus['memory'] = {};
  for (const field of MEMORY_FIELDS) {
    const bytes = kilobytes(values.get(field));
    if (bytes !== undefined) memory[field] = bytes;
  }
  // Read from the raw first line, not the trimmed value: a name may end in spaces.
  const end = text.indexOf('\n');
  const first = end < 0 ? text : text.slice(0, end);
  return {
    name: first.startsWith('Name:\t') ? unescapeName(first.slice(6)) : undefined,
    uids: ids(values.get('Uid')),
    gids: ids(values.get('Gid')),
    threads: decimal(values.get('Threads')),
    memory,
    voluntaryContextSwitches: decimal(values.get('voluntary_ctxt_switches')),
    nonvoluntaryContextSwitches: decimal(values.get('nonvoluntary_ctxt_switches')),
    malformed,
  };
}
