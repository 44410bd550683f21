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
