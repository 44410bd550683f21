/**
 * Run by races/permissions tests as an unprivileged user: reads the live
 * /proc through the readers and prints what it saw as JSON. Processes of
 * other users have unreadable io, fd and exe; nothing may throw.
 */
import { processContext, readProcesses, readUsers } from '../../src/proc';
import { readConnections } from '../../src/tracers/network/connections';

const table = readProcesses(processContext('/proc', readUsers()));
const sockets = readConnections('/proc');
const own = process.pid;
process.stdout.write(
  JSON.stringify({
    processes: table.items.map((p) => ({ pid: p.pid, uid: p.uid, io: p.io !== null, fds: p.fdCount, exe: p.exe })),
    self: own,
    connections: sockets.connections.map((c) => ({ inode: c.inode, pid: c.pid, uid: c.uid })),
    ownersSkipped: sockets.ownersSkipped,
  }),
);
