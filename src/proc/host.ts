/**
 * The host's current state, for checking an error against it: is the disk a
 * "No space left on device" names actually full, is memory short after an
 * OOM kill, is the machine loaded. Memory from meminfo, load from loadavg,
 * CPU from stat, traffic from net/dev, disks from the mount table + statfs.
 */
import { statfsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { kilobytes } from './pid-status';
import { readText } from './read';
import { type CpuTimes, readSystemStat, readUptime } from './system-stat';
import { decimal, fields, keyValues } from './text';

/** Memory figures in bytes (from /proc/meminfo). */
export interface MemoryState {
  total: number;
  free: number;
  /** The kernel's estimate of memory available without swapping. */
  available: number;
  buffers: number;
  cached: number;
  swapTotal: number;
  swapFree: number;
  /** 100 * (total - available) / total. */
  usedPercent: number;
}

export interface LoadState {
  one: number;
  five: number;
  fifteen: number;
  /** Runnable scheduling entities now, and all of them. */
  running: number;
  total: number;
}

/** One interface's counters since boot (from /proc/net/dev). */
export interface InterfaceCounters {
  name: string;
  rxBytes: number;
  rxPackets: number;
  rxErrors: number;
  rxDropped: number;
  txBytes: number;
  txPackets: number;
  txErrors: number;
  txDropped: number;
}

/** One mount from the mount table. */
export interface MountEntry {
  device: string;
  mountPoint: string;
  fsType: string;
  options: string[];
}

/** Space and inodes of one mounted filesystem, in bytes and counts. */
export interface DiskUsage extends MountEntry {
  total: number;
  /** Free for root (includes the reserved blocks). */
  free: number;
  /** Free for unprivileged users: what `df` shows as Avail. */
  available: number;
  used: number;
  /** As `df` computes Use%: used / (used + available), rounded up. */
  usedPercent: number;
  inodes: number;
  inodesFree: number;
  inodesUsedPercent: number;
}

export interface HostState {
  memory: MemoryState | null;
  load: LoadState | null;
  cpu: CpuTimes | null;
  /** Seconds since boot. */
  uptime: number | null;
  network: InterfaceCounters[];
  disks: DiskUsage[];
  /** Sources that were unreadable or malformed (files, lines, mounts). */
  skipped: number;
}

/** Parses /proc/meminfo; undefined without MemTotal. */
export function parseMeminfo(text: string): MemoryState | undefined {
  const { values } = keyValues(text);
  const get = (key: string) => kilobytes(values.get(key));
  const total = get('MemTotal');
  if (total === undefined || total === 0) return undefined;
  const free = get('MemFree') ?? 0;
  const available = get('MemAvailable') ?? free;
  return {
    total,
    free,
    available,
    buffers: get('Buffers') ?? 0,
    cached: get('Cached') ?? 0,
    swapTotal: get('SwapTotal') ?? 0,
    swapFree: get('SwapFree') ?? 0,
    usedPercent: (100 * (total - available)) / total,
  };
}

function isDecimalFraction(text: string | undefined): boolean {
  if (text === undefined) return false;
  const [whole, fraction = '0', extra] = text.split('.');
  return extra === undefined && decimal(whole) !== undefined && decimal(fraction) !== undefined;
}

/** Parses /proc/loadavg (`0.85 0.47 0.26 1/92 11938`); undefined when malformed. */
export function parseLoadavg(text: string): LoadState | undefined {
  const f = fields(text.trim());
  const [running, total, extra] = (f[3] ?? '').split('/');
  if (!isDecimalFraction(f[0]) || !isDecimalFraction(f[1]) || !isDecimalFraction(f[2])) return undefined;
  const r = decimal(running);
  const t = decimal(total);
  if (r === undefined || t === undefined || extra !== undefined) return undefined;
  return { one: Number(f[0]), five: Number(f[1]), fifteen: Number(f[2]), running: r, total: t };
}

/** Parses /proc/net/dev (two header lines); malformed lines are counted. */
export function parseNetDev(text: string): { items: InterfaceCounters[]; skipped: number } {
  const items: InterfaceCounters[] = [];
  let skipped = 0;
  const lines = text.split('\n');
  for (let i = 2; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const colon = line.indexOf(':');
    const n = fields(line.slice(colon + 1)).map(decimal);
    if (colon < 0 || n.length < 16 || n.some((v) => v === undefined)) {
      skipped++;
      continue;
    }
    const v = n as number[];
    items.push({
      name: line.slice(0, colon).trim(),
      rxBytes: v[0]!,
      rxPackets: v[1]!,
      rxErrors: v[2]!,
      rxDropped: v[3]!,
      txBytes: v[8]!,
      txPackets: v[9]!,
      txErrors: v[10]!,
      txDropped: v[11]!,
    });
  }
  return { items, skipped };
}

/** Undoes the mount table's octal escapes (`\040` for a space, `\134` for a backslash). */
function unescapeMountField(text: string): string {
  if (!text.includes('\\')) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const octal = text.slice(i + 1, i + 4);
    if (text[i] === '\\' && octal.length === 3 && [...octal].every((c) => c >= '0' && c <= '7')) {
      out += String.fromCharCode(parseInt(octal, 8));
      i += 3;
    } else out += text[i];
  }
  return out;
}

/** Parses a mount table (/proc/self/mounts); malformed lines are counted. */
export function parseMounts(text: string): { items: MountEntry[]; skipped: number } {
  const items: MountEntry[] = [];
  let skipped = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const f = fields(line);
    if (f.length < 4) {
      skipped++;
      continue;
    }
    items.push({
      device: unescapeMountField(f[0]!),
      mountPoint: unescapeMountField(f[1]!),
      fsType: f[2]!,
      options: f[3]!.split(','),
    });
  }
  return { items, skipped };
}

/** Reads the mount table of the reader's mount namespace under `procRoot`. */
export function readMounts(procRoot = '/proc'): { items: MountEntry[]; skipped: number } {
  const text = readText(join(procRoot, 'self', 'mounts'));
  return text === undefined ? { items: [], skipped: 1 } : parseMounts(text);
}

/** Filesystems with no disk behind them: their statfs figures say nothing about space. */
const PSEUDO_FS = new Set([
  'proc',
  'sysfs',
  'cgroup',
  'cgroup2',
  'devpts',
  'mqueue',
  'securityfs',
  'debugfs',
  'tracefs',
  'pstore',
  'bpf',
  'configfs',
  'fusectl',
  'binfmt_misc',
  'autofs',
  'hugetlbfs',
  'rpc_pipefs',
  'nsfs',
  'efivarfs',
  'selinuxfs',
]);

function usage(mount: MountEntry, path: string): DiskUsage | undefined {
  let stats;
  try {
    stats = statfsSync(path);
  } catch {
    return undefined;
  }
  const total = stats.blocks * stats.bsize;
  const free = stats.bfree * stats.bsize;
  const available = stats.bavail * stats.bsize;
  const used = total - free;
  const inodesUsed = stats.files - stats.ffree;
  return {
    ...mount,
    total,
    free,
    available,
    used,
    usedPercent: used + available > 0 ? Math.ceil((100 * used) / (used + available)) : 0,
    inodes: stats.files,
    inodesFree: stats.ffree,
    inodesUsedPercent: stats.files > 0 ? Math.ceil((100 * inodesUsed) / stats.files) : 0,
  };
}

/**
 * Space on the filesystem holding `path` (a file named in an error, say),
 * with the mount it is on: the mount table entry with the longest matching
 * mount point. Undefined when the path is on no known mount or statfs fails
 * (a path that no longer exists is measured at its nearest existing parent).
 */
export function diskUsageFor(path: string, procRoot = '/proc'): DiskUsage | undefined {
  const target = resolve(path);
  let best: MountEntry | undefined;
  for (const mount of readMounts(procRoot).items) {
    const point = mount.mountPoint;
    const inside = target === point || target.startsWith(point === '/' ? '/' : `${point}/`);
    // Later entries win ties: they are mounted over earlier ones.
    if (inside && (!best || point.length >= best.mountPoint.length)) best = mount;
  }
  if (!best) return undefined;
  for (let dir = target; ; dir = resolve(dir, '..')) {
    const found = usage(best, dir);
    if (found || dir === best.mountPoint || dir === '/') return found;
  }
}

/** Usage of every mounted filesystem with space to speak of (pseudo filesystems left out). */
export function readDiskUsage(procRoot = '/proc'): { items: DiskUsage[]; skipped: number } {
  const mounts = readMounts(procRoot);
  const items: DiskUsage[] = [];
  let skipped = mounts.skipped;
  for (const mount of mounts.items) {
    if (PSEUDO_FS.has(mount.fsType)) continue;
    const found = usage(mount, mount.mountPoint);
    if (!found) skipped++;
    else if (found.total > 0) items.push(found);
  }
  return { items, skipped };
}

/** Reads everything at once: the host's memory, load, CPU, uptime, interfaces and disks. */
export function readHostState(procRoot = '/proc'): HostState {
  let skipped = 0;
  const read = <T>(file: string, parse: (text: string) => T | undefined): T | null => {
    const text = readText(join(procRoot, file));
    const value = text === undefined ? undefined : parse(text);
    if (value === undefined) skipped++;
    return value ?? null;
  };
  const memory = read('meminfo', parseMeminfo);
  const load = read('loadavg', parseLoadavg);
  const cpu = readSystemStat(procRoot)?.cpu ?? null;
  const uptime = readUptime(procRoot) ?? null;
  const network = read('net/dev', parseNetDev);
  const disks = readDiskUsage(procRoot);
  if (cpu === null) skipped++;
  if (uptime === null) skipped++;
  skipped += (network?.skipped ?? 0) + disks.skipped;
  return { memory, load, cpu, uptime, network: network?.items ?? [], disks: disks.items, skipped };
}
