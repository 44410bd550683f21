/**
 * A live loopback pair for tests: a node server listening on 127.0.0.1 and
 * ::1 (ephemeral ports) and a separate node client connected to both, so
 * /proc holds two listeners and two established pairs with known owners.
 */
import { type ChildProcess, spawn } from 'node:child_process';

const SERVER = `
const net = require('node:net');
const held = [];
const listen = (host) => new Promise((resolve) => {
  const server = net.createServer((socket) => held.push(socket)).listen(0, host, () => resolve(server.address().port));
});
Promise.all([listen('127.0.0.1'), listen('::1')]).then(([v4, v6]) => process.stdout.write(JSON.stringify({ v4, v6 }) + '\\n'));
`;

const CLIENT = `
const net = require('node:net');
const [v4, v6] = process.argv.slice(1).map(Number);
const connect = (host, port) => new Promise((resolve) => {
  const socket = net.connect(port, host, () => resolve(socket));
});
Promise.all([connect('127.0.0.1', v4), connect('::1', v6)]).then((sockets) => {
  process.stdout.write(JSON.stringify(sockets.map((s) => s.localPort)) + '\\n');
});
`;

export interface LoopbackPair {
  server: ChildProcess & { pid: number };
  client: ChildProcess & { pid: number };
  ports: { v4: number; v6: number };
  /** The client's local (ephemeral) ports: to 127.0.0.1 and to ::1. */
  clientPorts: [number, number];
  stop(): void;
}

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const end = text.indexOf('\n');
      if (end >= 0) resolve(text.slice(0, end));
    });
    child.once('exit', (code) => reject(new Error(`child exited with ${code} before answering`)));
  });
}

/** Starts the server, then the client; resolves once both connections are up. */
export async function startLoopbackPair(): Promise<LoopbackPair> {
  const server = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const ports = JSON.parse(await firstLine(server)) as { v4: number; v6: number };
  const client = spawn(process.execPath, ['-e', CLIENT, String(ports.v4), String(ports.v6)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const clientPorts = JSON.parse(await firstLine(client)) as [number, number];
  // Give the server's accept callbacks a moment: the kernel has the pair either way.
  await new Promise((resolve) => setTimeout(resolve, 50));
  return {
    server: server as LoopbackPair['server'],
    client: client as LoopbackPair['client'],
    ports,
    clientPorts,
    stop() {
      client.kill('SIGKILL');
      server.kill('SIGKILL');
    },
  };
}
