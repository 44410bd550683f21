/**
 * The host's state now, for an error that depends on it: is the disk that a
 * "No space left on device" names still full, how much memory is available
 * after an OOM kill. Read once per signature through the /proc readers.
 */
import { type DiskUsage, type MemoryState, diskUsageFor, readDiskUsage, readHostState } from '../../proc/host';
import type { ErrorCategory, ErrorDetails } from './types';

/** What the check found, with a sentence for people. */
export interface HostCheck {
  /** When the host was checked (ISO 8601): the state is of that moment, not of the log line. */
  checkedAt: string;
  /** "Now: / (/dev/sda1, ext4) is 97% used, 1.2 GiB available; inodes 12% used." */
  summary: string;
  disk?: DiskUsage;
  /** The filesystems at or above 90% (space or inodes) when no path was named. */
  fullDisks?: DiskUsage[];
  memory?: MemoryState;
}

const DISK_SUBKINDS = new Set(['no-space', 'quota']);
const MEMORY_SUBKINDS = new Set([
  'oom-kill',
  'oom-invoked',
  'cgroup-oom-kill',
  'allocation-failure',
  'out-of-memory',
  'java-heap',
  'js-heap',
]);

/** Bytes in binary units, as df -h and free -h show them. */
export function humanBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

function diskSentence(disk: DiskUsage): string {
  return `${disk.mountPoint} (${disk.device}, ${disk.fsType}) is ${disk.usedPercent}% used, ${humanBytes(disk.available)} available; inodes ${disk.inodesUsedPercent}% used`;
}

/** Checks the host for an error of `category/subkind`; undefined when the error does not depend on host state or /proc cannot tell. */
export function checkHost(
  category: ErrorCategory,
  subkind: string,
  details: ErrorDetails,
  procRoot: string,
  now: number,
): HostCheck | undefined {
  const checkedAt = new Date(now).toISOString();
  if (category === 'disk' && DISK_SUBKINDS.has(subkind)) {
    if (details.path?.startsWith('/')) {
      const disk = diskUsageFor(details.path, procRoot);
      if (disk) return { checkedAt, disk, summary: `Now: ${diskSentence(disk)}.` };
    }
    const full = readDiskUsage(procRoot).items.filter((disk) => disk.usedPercent >= 90 || disk.inodesUsedPercent >= 90);
    return {
      checkedAt,
      fullDisks: full,
      summary:
        full.length > 0
          ? `Now: ${full.map(diskSentence).join('; ')}.`
          : 'Now: no filesystem is 90% full or more (space was freed, or the disk is elsewhere).',
    };
  }
  if (category === 'memory' && MEMORY_SUBKINDS.has(subkind)) {
    const memory = readHostState(procRoot).memory;
    if (!memory) return undefined;
    return {
      checkedAt,
      memory,
      summary: `Now: ${humanBytes(memory.available)} of ${humanBytes(memory.total)} memory available (${Math.round(memory.usedPercent)}% used), swap ${humanBytes(memory.swapFree)} free of ${humanBytes(memory.swapTotal)}.`,
    };
  }
  return undefined;
}
