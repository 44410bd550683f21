/**
 * /proc/diskstats: sectors read and written per block device since boot. The
 * sector of these counters is always 512 bytes, whatever the device's own.
 */
import { join } from 'node:path';
import { readText } from './read';
import { decimal, fields } from './text';

export interface DiskCounters {
  device: string;
  readBytes: number;
  writtenBytes: number;
}

const SECTOR = 512;

const VIRTUAL = ['loop', 'ram', 'zram', 'dm-'];

const isDigits = (text: string) => text.length > 0 && [...text].every((c) => c >= '0' && c <= '9');

/**
 * A partition is a device named after another listed one plus its number
 * (sda -> sda1, nvme0n1 -> nvme0n1p1). Partitions and virtual devices (loop,
 * ram, device-mapper over partitions) are left out: they would count bytes twice.
 */
function wholeDisks(names: readonly string[]): Set<string> {
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

/** Parses /proc/diskstats; malformed lines are counted. */
export function parseDiskstats(text: string): { items: DiskCounters[]; skipped: number } {
  const rows: DiskCounters[] = [];
  let skipped = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const f = fields(line);
    const device = f[2];
    const read = decimal(f[5]);
    const written = decimal(f[9]);
    if (device === undefined || read === undefined || written === undefined) {
      skipped++;
      continue;
    }
    rows.push({ device, readBytes: read * SECTOR, writtenBytes: written * SECTOR });
  }
  const whole = wholeDisks(rows.map((row) => row.device));
  return { items: rows.filter((row) => whole.has(row.device)), skipped };
}

/** Reads procRoot/diskstats; empty when unreadable. */
export function readDiskstats(procRoot: string): { items: DiskCounters[]; skipped: number } {
  const text = readText(join(procRoot, 'diskstats'));
  return text === undefined ? { items: [], skipped: 1 } : parseDiskstats(text);
}
