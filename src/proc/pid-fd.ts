/**
 * /proc/[pid]/fd: one symlink per open file descriptor; sockets read
 * `socket:[INODE]`. Listing it needs the same rights as ptrace: for other
 * users' processes (when not root) the answer is unknown.
 */
import { listDir, readLink } from './read';
import { decimal } from './text';

/** A socket held by a process: the descriptor and the socket's inode. */
export interface FdSocket {
  fd: number;
  inode: number;
}

/** The inode of a `socket:[N]` link target, else undefined. */
export function socketInode(target: string): number | undefined {
  if (!target.startsWith('socket:[') || !target.endsWith(']')) return undefined;
  return decimal(target.slice(8, -1));
}

/** How many descriptors the process has open; undefined when unreadable or gone. */
export function readFdCount(procRoot: string, pid: number): number | undefined {
  return listDir(`${procRoot}/${pid}/fd`)?.length;
}

/**
 * The sockets the process holds. `undefined` when the fd directory cannot be
 * listed; descriptors closed between the listing and the readlink are left out.
 */
export function readFdSockets(procRoot: string, pid: number): FdSocket[] | undefined {
  const dir = `${procRoot}/${pid}/fd`;
  const names = listDir(dir);
  if (names === undefined) return undefined;
  const sockets: FdSocket[] = [];
  for (const name of names) {
    const target = readLink(`${dir}/${name}`);
    const inode = target === undefined ? undefined : socketInode(target);
    const fd = decimal(name);
    if (inode !== undefined && fd !== undefined) sockets.push({ fd, inode });
  }
  return sockets;
}
