/**
 * `logsleuth snapshot --json` against `ss -tuanpH` on the same machine: the
 * same sockets with the same states and owners, up to sockets that opened or
 * closed in between (ss runs just before and just after; either may vouch).
 */
import { execFileSync } from 'node:child_process';
import { type AddressInfo, type Socket, connect, createServer } from 'node:net';
import { main } from '../../../src/cli/main';
import type { CliIo } from '../../../src/cli/io';
import { normaliseAddress } from '../../../src/proc/address';
import { readConnections } from '../../../src/tracers/network/connections';
import { type LoopbackPair, startLoopbackPair } from './loopback-pair';

const hasSs = (() => {
  try {
    execFileSync('ss', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** ss's state names -> the kernel's. */
const SS_STATES: Record<string, string> = {
  ESTAB: 'ESTABLISHED',
  LISTEN: 'LISTEN',
  'SYN-SENT': 'SYN_SENT',
  'SYN-RECV': 'SYN_RECV',
  'FIN-WAIT-1': 'FIN_WAIT1',
  'FIN-WAIT-2': 'FIN_WAIT2',
  'TIME-WAIT': 'TIME_WAIT',
  'CLOSE-WAIT': 'CLOSE_WAIT',
  'LAST-ACK': 'LAST_ACK',
  CLOSING: 'CLOSING',
  UNCONN: 'UNCONN',
};

function endpoint(text: string): string {
  const colon = text.lastIndexOf(':');
  let host = text.slice(0, colon);
  const port = text.slice(colon + 1);
  // ss prints a dual-stack wildcard as `*`, our tcp6/udp6 rows as `::`.
  if (host === '*') host = '::';
  return `${normaliseAddress(host) ?? `?${host}`}:${port === '*' ? 0 : port}`;
}

/** One socket as a comparable key, and its owning pids (sorted, comma-joined). */
type Sockets = Map<string, string>;

function ssSockets(): Sockets {
  const out: Sockets = new Map();
  for (const line of execFileSync('ss', ['-tuanpH'], { encoding: 'utf8' }).split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 6) continue;
    const [netid, state, , , local, peer] = f;
    const rest = f.slice(6).join(' ');
    const pids = [...rest.matchAll(/pid=(\d+)/g)].map((m) => Number(m[1])).sort((a, b) => a - b);
    const kernelState = netid === 'tcp' && state === 'UNCONN' ? 'CLOSE' : (SS_STATES[state!] ?? state!);
    out.set(`${netid} ${endpoint(local!)} ${endpoint(peer!)} ${kernelState}`, [...new Set(pids)].join(','));
  }
  return out;
}

/** A socket as a comparable key: ss's netid, both endpoints, the kernel state. */
function keyOf(c: Pick<SnapshotConnection, 'protocol' | 'local' | 'remote' | 'state'>): string {
  const netid = c.protocol.startsWith('udp') ? 'udp' : 'tcp';
  return `${netid} ${c.local.address}:${c.local.port} ${c.remote.address}:${c.remote.port} ${c.state}`;
}

interface SnapshotConnection {
  protocol: string;
  local: { address: string; port: number };
  remote: { address: string; port: number };
  state: string;
  inode: number;
  uid: number;
  pid: number | null;
  process: string | null;
}

async function snapshotJson(): Promise<{ connections: SnapshotConnection[] }> {
  let out = '';
  const io: CliIo = { out: (t) => void (out += t), err: () => {}, isTTY: false, stdin: process.stdin };
  expect(await main(['node', 'logsleuth', 'snapshot', '--json'], io)).toBe(0);
  return JSON.parse(out);
}

(hasSs ? describe : describe.skip)('snapshot agrees with ss -tuanp', () => {
  let pair: LoopbackPair;
  beforeAll(async () => {
    pair = await startLoopbackPair();
    // 150 connections closed by the client first leave 150 client sockets in
    // TIME_WAIT (the server answers the FIN by closing): /proc/net/tcp then spans many kernel reads.
    const server = createServer(() => {});
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const closeFromClient = () =>
      new Promise<void>((resolve, reject) => {
        const socket: Socket = connect(port, '127.0.0.1', () => socket.end());
        socket.on('close', () => resolve()).on('error', reject);
      });
    await Promise.all(Array.from({ length: 150 }, closeFromClient));
    await new Promise((resolve) => server.close(resolve));
  });
  afterAll(() => pair.stop());

  it('has the (local, remote, state) sockets and owning pids of ss taken just before and after', async () => {
    const before = ssSockets();
    const snapshot = await snapshotJson();
    const after = ssSockets();

    // What is still open once ss has run again: anything here was open during that ss.
    const still = new Set(readConnections('/proc').connections.map(keyOf));

    const ours = new Map(snapshot.connections.map((c) => [keyOf(c), c.pid]));
    const endpointsOf = (key: string) => key.slice(0, key.lastIndexOf(' '));
    const ssEndpoints = new Set([...before.keys(), ...after.keys()].map(endpointsOf));
    const unexplained: string[] = [];
    const wrongOwner: string[] = [];
    for (const [key, pid] of ours) {
      const owners = [before.get(key), after.get(key)].filter((o) => o !== undefined);
      if (owners.length > 0) {
        // ss lists every holder; we name one of them.
        if (!owners.some((o) => (pid === null ? o === '' : o.split(',').includes(String(pid))))) wrongOwner.push(key);
      } else if (!ssEndpoints.has(endpointsOf(key)) && still.has(key)) {
        // Neither ss saw it, in any state, yet it was still open after the second ss ran.
        unexplained.push(key);
      }
      // Otherwise it changed state between the reads, or opened and closed between the two ss runs.
    }
    // Every socket ss saw both times, in the same state, is in ours.
    const missing = [...before.keys()].filter((key) => after.has(key) && !ours.has(key));

    expect({ unexplained, wrongOwner, missing }).toEqual({ unexplained: [], wrongOwner: [], missing: [] });
    // The comparison covered the live pair: both listeners and both directions of both connections.
    const pairKeys = [...ours].filter(([, pid]) => pid === pair.server.pid || pid === pair.client.pid);
    expect(pairKeys).toHaveLength(6);
    expect([...ours.keys()].filter((key) => key.endsWith('TIME_WAIT')).length).toBeGreaterThanOrEqual(100);
  });
});
