/**
 * Socket owners sample after sample, with a readlink only where an fd may
 * have changed. Listing /proc/[pid]/fd is needed anyway (the fd count);
 * reading every link behind it was the costliest part of a `record` sample.
 * A link is read again when:
 * - its process is new (a pid and start time not seen at the previous sample: a fork inherits fds);
 * - its fd number is new for the process;
 * - the socket it led to has left the kernel's tables (closed: the number may hold anything now);
 * - its socket is also held by a link read this sample (after a fork, the parent may have closed its copy);
 * - a socket new to the tables is held by no link known: its fd may have reused a number that
 *   held something else (a file, a unix socket), so every link is read, at most once every
 *   {@link FULL_READ_SAMPLES} samples: where sockets of processes out of sight (other users',
 *   another pid namespace's) come and go, that would otherwise be every sample.
 * What this still misses: a process that closes a socket another process keeps open and reuses
 * the number for something else, without any new socket appearing: it stays listed as an owner
 * until the socket closes.
 */
import { socketInode } from './pid-fd';
import { listDir, readLink } from './read';
import type { SocketOwner, SocketOwners } from './socket-owners';
import { decimal } from './text';

/** Samples from one reading of every link (for a socket no known link holds) to the next, at least. */
export const FULL_READ_SAMPLES = 10;

/** A process whose fds are read: a pid reused by a new process has a new start time. */
export interface FdHolder {
  pid: number;
  startTime: number | null;
}

export interface OwnerScan extends SocketOwners {
  /** pid -> open descriptors, for every process whose fd directory could be listed. */
  fdCounts: Map<number, number>;
}

/** One process's fds this sample: fd name -> socket inode (0: not a socket, or unreadable). */
interface Listing {
  pid: number;
  links: Map<string, number>;
  /** The fd names whose link was read this sample. */
  read: Set<string>;
}

export class SocketOwnerTracker {
  /** `pid:startTime` -> fd name -> socket inode (0: not a socket), as of the previous sample. */
  private known = new Map<string, Map<string, number>>();
  /** The tables' inodes at the previous sample. */
  private previous: ReadonlySet<number> = new Set();
  /** Sockets new to the tables since the last full read that no link was seen to hold. */
  private unheld = new Set<number>();
  private samplesSinceFullRead = Infinity;

  constructor(private readonly procRoot: string) {}

  /** The holders of every socket among `processes`' fds; `inodes`: the sockets in the kernel's tables now. */
  scan(processes: readonly FdHolder[], inodes: ReadonlySet<number>): OwnerScan {
    const known = new Map<string, Map<string, number>>();
    const listings: Listing[] = [];
    const fresh = new Set<number>();
    const fdCounts = new Map<number, number>();
    let skipped = 0;
    for (const { pid, startTime } of processes) {
      const names = listDir(`${this.procRoot}/${pid}/fd`);
      if (names === undefined) {
        skipped++;
        continue;
      }
      fdCounts.set(pid, names.length);
      const key = `${pid}:${startTime ?? ''}`;
      const before = this.known.get(key);
      const listing: Listing = { pid, links: new Map(), read: new Set() };
      for (const name of names) {
        const inode = before?.get(name);
        if (inode === undefined || (this.previous.has(inode) && !inodes.has(inode))) this.read(listing, name, fresh);
        else listing.links.set(name, inode);
      }
      known.set(key, listing.links);
      listings.push(listing);
    }
    for (const listing of listings)
      for (const [name, inode] of listing.links)
        if (inode !== 0 && fresh.has(inode) && !listing.read.has(name)) this.read(listing, name, fresh);
    const held = new Set<number>();
    for (const listing of listings) for (const inode of listing.links.values()) held.add(inode);
    for (const inode of inodes)
      if (inode !== 0 && !this.previous.has(inode) && !held.has(inode)) this.unheld.add(inode);
    for (const inode of this.unheld) if (!inodes.has(inode) || held.has(inode)) this.unheld.delete(inode);
    this.samplesSinceFullRead++;
    if (this.unheld.size && this.samplesSinceFullRead >= FULL_READ_SAMPLES) {
      for (const listing of listings)
        for (const name of listing.links.keys()) if (!listing.read.has(name)) this.read(listing, name, fresh);
      this.unheld.clear();
      this.samplesSinceFullRead = 0;
    }
    this.known = known;
    this.previous = inodes;
    return { byInode: byInode(listings), skipped, fdCounts };
  }

  /**
   * Reads one link into `listing`. One that cannot be read (closed since the
   * listing, or not ours to read: a container's pid 1) counts as no socket, so
   * it is not tried again at every sample.
   */
  private read(listing: Listing, name: string, fresh: Set<number>): void {
    const target = readLink(`${this.procRoot}/${listing.pid}/fd/${name}`);
    const inode = (target === undefined ? undefined : socketInode(target)) ?? 0;
    listing.read.add(name);
    listing.links.set(name, inode);
    if (inode !== 0) fresh.add(inode);
  }
}

function byInode(listings: readonly Listing[]): Map<number, SocketOwner[]> {
  const owners = new Map<number, SocketOwner[]>();
  for (const { pid, links } of listings) {
    for (const [name, inode] of links) {
      const fd = decimal(name);
      if (inode === 0 || fd === undefined) continue;
      const holders = owners.get(inode);
      if (holders) holders.push({ pid, fd });
      else owners.set(inode, [{ pid, fd }]);
    }
  }
  return owners;
}
