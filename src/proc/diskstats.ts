/**
 * /proc/diskstats: I/O counters per block device since boot, for the serve
 * sampler's disk rates. Sectors are always 512 bytes here, whatever the
 * device's own sector size (Documentation/admin-guide/iostats.rst).
 */
import { join } from 'node:path';
import { readText } from './read';
import { decimal, fields } from './text';

/** One block device's counters since boot. */
export interface DiskIoCounters {
  device: string;
  reads: number;
  readBytes: number;
  writes: number;
  writeBytes: number;
  /** Milliseconds spent doing I/O (the busy time behind `iostat`'s %util). */
  ioMs: number;
}

/** The unit of diskstats' sector counts. */
const SECTOR_BYTES = 512;

/** Parses /proc/diskstats; malformed lines are counted. */
export function parseDiskstats(text: string): { items: DiskIoCounters[]; skipped: number } {
  const items: DiskIoCounters[] = [];
  let skipped = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const f = fields(line);
    const n = f.slice(3, 14).map(decimal);
    if (f.length < 14 || n.some((v) => v === undefined)) {
      skipped++;
      continue;
    }
    const v = n as number[];
    items.push({
      device: f[2]!,
      reads: v[0]!,
      readBytes: v[2]! * SECTOR_BYTES,
      writes: v[4]!,
      writeBytes: v[6]! * SECTOR_BYTES,
      ioMs: v[9]!,
    });
  }
  return { items, skipped };
}

/** Reads `procRoot/diskstats`; unreadable counts as one skip. */
export function readDiskstats(procRoot = '/proc'): { items: DiskIoCounters[]; skipped: number } {
  const text = readText(join(procRoot, 'diskstats'));
  return text === undefined ? { items: [], skipped: 1 } : parseDiskstats(text);
}

/** Whole disks and partitions worth showing: loop, ram and device-mapper helpers left out. */
export function isInterestingDisk(device: string): boolean {
  return !device.startsWith('loop') && !device.startsWith('ram') && !device.startsWith('zram');
}

const VIRTUAL = ['loop', 'ram', 'zram', 'dm-'];

const isDigits = (text: string) => text.length > 0 && [...text].every((c) => c >= '0' && c <= '9');

/**
 * A partition is a device named after another listed one plus its number
 * (sda -> sda1, nvme0n1 -> nvme0n1p1). Partitions and virtual devices (loop,
 * ram, device-mapper over partitions) are left out: they would count bytes twice.
 */
function wholeDiskNames(names: readonly string[]): Set<string> {
  const all = new Set(names);
  const whole = new Set<string>();
  for (const name of names) {
    if (VIRTUAL.some((prefix) => name.startsWith(prefix))) continue;
    let partition = false;
    for (let cut = name.length - 1; cut > 0 && !partition; cut--) {
      if (!all.has(name.slice(0, cut))) continue;
      const rest = name.slice(cut);
      partition = isDigits(rest) || (rest.startsWith('p') && isDigits(rest.slice(1)));
    }
    if (!partition) whole.add(name);
  }
  return whole;
}

/** The whole disks among `items`, so summed bytes count each transfer once. */
export function wholeDisks(items: readonly DiskIoCounters[]): DiskIoCounters[] {
  const whole = wholeDiskNames(items.map((item) => item.device));
  return items.filter((item) => whole.has(item.device));
}
