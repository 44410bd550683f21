/**
 * Which process holds which socket: inode -> {pid, fd} from every
 * /proc/[pid]/fd, the way `ss -p`, `lsof` and psutil find owners. A socket
 * shared after fork has several owners. Processes whose fds cannot be read
 * are counted; their sockets stay without an owner.
 */
import { listPids } from './read';
import { readFdSockets } from './pid-fd';

/** One holder of a socket. */
export interface SocketOwner {
  pid: number;
  fd: number;
}

export interface SocketOwners {
  /** inode -> holders, in the order of the pids scanned (ascending by default). */
  byInode: Map<number, SocketOwner[]>;
  /** Processes whose fd directory could not be read (gone or not permitted). */
  skipped: number;
}

/** Scans the fds of every process under `procRoot` (or of `pids` when given). */
export function readSocketOwners(procRoot: string, pids: readonly number[] = listPids(procRoot)): SocketOwners {
  const byInode = new Map<number, SocketOwner[]>();
  let skipped = 0;
  for (const pid of pids) {
    const sockets = readFdSockets(procRoot, pid);
    if (sockets === undefined) {
      skipped++;
      continue;
    }
    for (const { fd, inode } of sockets) {
      const owners = byInode.get(inode);
      if (owners) owners.push({ pid, fd });
      else byInode.set(inode, [{ pid, fd }]);
    }
  }
  return { byInode, skipped };
}
