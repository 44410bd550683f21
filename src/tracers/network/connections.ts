/**
 * Sockets joined to their owners: the rows `ss -tuanp` prints, in the
 * ConnectionData shape the bus and `snapshot --json` use.
 */
import type { ConnectionData } from '../../core/kinds';
import { type NetSocket, type SocketOwner, readComm, readNetSockets, readSocketOwners } from '../../proc';
import { serviceOf } from './services';

/** Connections read from /proc, with what had to be skipped. */
export interface ConnectionSnapshot {
  connections: ConnectionData[];
  /** Malformed socket table lines. */
  skipped: number;
  /** Processes whose descriptors could not be read: their sockets have no owner. */
  ownersSkipped: number;
}

/** Joins one socket to its owners (names looked up through `name`). */
export function toConnection(
  socket: NetSocket,
  owners: readonly SocketOwner[] | undefined,
  name: (pid: number) => string | null,
): ConnectionData {
  const holders = (socket.inode === 0 ? [] : (owners ?? [])).map((o) => ({ ...o, process: name(o.pid) }));
  const connection: ConnectionData = {
    protocol: socket.protocol,
    local: { address: socket.localAddress, port: socket.localPort },
    remote: { address: socket.remoteAddress, port: socket.remotePort },
    state: socket.state,
    inode: socket.inode,
    uid: socket.uid,
    pid: holders[0]?.pid ?? null,
    process: holders[0]?.process ?? null,
    owners: holders,
  };
  const service = serviceOf(connection);
  if (service) connection.service = service;
  return connection;
}

/** Every socket of the four tables with its owning processes, like `ss -tuanp`. */
export function readConnections(procRoot: string): ConnectionSnapshot {
  const sockets = readNetSockets(procRoot);
  const owners = readSocketOwners(procRoot);
  const names = new Map<number, string | null>();
  const name = (pid: number) => {
    if (!names.has(pid)) names.set(pid, readComm(procRoot, pid));
    return names.get(pid)!;
  };
  return {
    connections: sockets.items.map((socket) => toConnection(socket, owners.byInode.get(socket.inode), name)),
    skipped: sockets.skipped,
    ownersSkipped: owners.skipped,
  };
}
