/**
 * Loopback traffic the traffic tests make themselves, captured by a real
 * tcpdump: a listener, a client, a UDP datagram, a scan of closed ports and a
 * DNS server on port 53.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { createServer, type AddressInfo, connect, type Server } from 'node:net';

/** A port that was free a moment ago (a listener bound and closed). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

/** Runs tcpdump on lo for the given ports while `traffic` runs, writing `file`. */
export async function captureLoopback(
  file: string,
  args: string[],
  ports: number[],
  traffic: () => Promise<void>,
): Promise<string> {
  const filter = `host 127.0.0.1 and (${ports.map((p) => `port ${p}`).join(' or ')})`;
  const tcpdump = spawn('tcpdump', ['-i', 'lo', '-U', ...args, '-w', file, filter], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  await new Promise<void>((resolve) =>
    tcpdump.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes('listening on')) resolve();
    }),
  );
  // tcpdump says 'listening' a moment before its filter sees packets.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  await traffic();
  await new Promise((resolve) => setTimeout(resolve, 1000));
  tcpdump.kill('SIGINT');
  await once(tcpdump, 'exit');
  return file;
}

/** A listener that answers one line, its port, a free UDP port and closed ports to scan. */
export interface LoopbackPeers {
  server: Server;
  serverPort: number;
  udpPort: number;
  closed: number[];
}

export async function loopbackPeers(closedCount = 12): Promise<LoopbackPeers> {
  const server = createServer((socket) => {
    socket.on('data', () => socket.end('ok\n'));
    socket.on('error', () => undefined);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const serverPort = (server.address() as AddressInfo).port;
  const udpPort = await freePort();
  const closed: number[] = [];
  for (let i = 0; i < closedCount; i++) closed.push(await freePort());
  return { server, serverPort, udpPort, closed };
}

/** One TCP exchange with the listener, one UDP datagram, then a connect to each closed port. */
export async function loopbackTraffic(peers: LoopbackPeers): Promise<void> {
  const client = connect(peers.serverPort, '127.0.0.1');
  await once(client, 'connect');
  client.write('hello over loopback\n');
  await once(client, 'data');
  client.end();
  await once(client, 'close');
  const udp = createSocket('udp4');
  await new Promise<void>((resolve) => udp.send('ping', peers.udpPort, '127.0.0.1', () => resolve()));
  udp.close();
  for (const port of peers.closed) {
    const probe = connect(port, '127.0.0.1');
    await once(probe, 'error');
  }
}

const u16 = (value: number): Buffer => Buffer.from([value >> 8, value & 0xff]);
const labels = (name: string): Buffer =>
  Buffer.concat([
    ...name.split('.').map((part) => Buffer.concat([Buffer.from([part.length]), Buffer.from(part, 'latin1')])),
    Buffer.from([0]),
  ]);

/** A query for `name` (type A); with `address`, its answer (the name compressed as a pointer to the question). */
export function dnsMessage(id: number, name: string, address?: number[]): Buffer {
  const header = Buffer.concat([u16(id), u16(address ? 0x8180 : 0x0100), u16(1), u16(address ? 1 : 0), u16(0), u16(0)]);
  const question = Buffer.concat([labels(name), u16(1), u16(1)]);
  if (!address) return Buffer.concat([header, question]);
  const answer = Buffer.concat([u16(0xc00c), u16(1), u16(1), Buffer.from([0, 0, 1, 44]), u16(4), Buffer.from(address)]);
  return Buffer.concat([header, question, answer]);
}

/** A DNS server on port 53 of a loopback address of its own (127/8 is all lo), answering every A query. */
export async function dnsServer(): Promise<{ socket: Socket; address: string }> {
  for (;;) {
    const address = `127.${2 + Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 256)}.53`;
    const socket = createSocket('udp4');
    socket.on('message', (request: Buffer, peer: RemoteInfo) => {
      // The query with the QR bit, one answer (192.0.2.7) and the name as a pointer to the question.
      const answer = Buffer.from([0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 7]);
      const reply = Buffer.concat([request, answer]);
      reply.writeUInt16BE(0x8180, 2);
      reply.writeUInt16BE(1, 6);
      socket.send(reply, peer.port, peer.address);
    });
    const bound = await new Promise<boolean>((resolve) => {
      socket.once('error', () => resolve(false));
      socket.bind(53, address, () => resolve(true));
    });
    if (bound) return { socket, address };
    socket.close();
  }
}
