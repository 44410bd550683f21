/**
 * A real nats-server with JetStream for tests: 127.0.0.1, a free port, its
 * store in a temp dir; `stop()` kills it and removes the dir. `halt()` and
 * `restart()` stop it and start it again on the same port and store.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type NatsConnection, connect } from '@nats-io/transport-node';

/** A running test server. */
export interface NatsServer {
  url: string;
  port: number;
  stop(): Promise<void>;
  /** Stops the server (SIGTERM) and keeps its store. */
  halt(): Promise<void>;
  /** Starts it again on the same port and store. */
  restart(): Promise<void>;
}

const NATS_SERVER = '/usr/sbin/nats-server';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Resolves once something accepts on the port; rejects if the process exits first. */
async function untilListening(port: number, child: ChildProcess, stderr: () => string): Promise<void> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nats-server exited ${child.exitCode}: ${stderr()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ port, host: '127.0.0.1' });
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Runs `nats-server -js` on 127.0.0.1:port with its store in `dir`, and the
 * configuration file `dir/server.conf` when `configured`; resolves once it accepts.
 */
async function launch(dir: string, port: number, configured: boolean): Promise<ChildProcess> {
  const args = ['-js', '-sd', dir, '-a', '127.0.0.1', '-p', String(port)];
  if (configured) args.push('-c', join(dir, 'server.conf'));
  const child = spawn(NATS_SERVER, args, {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  try {
    await untilListening(port, child, () => stderr);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return child;
}

async function halt(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/**
 * Starts `nats-server -js` on 127.0.0.1 and a free port. `config`, when given,
 * is more of the server's configuration file (TLS, authorization), which the
 * test writes knowing the store directory.
 */
export async function startNatsServer(config?: (dir: string) => string): Promise<NatsServer> {
  const dir = await mkdtemp(join(tmpdir(), 'logsleuth-nats-'));
  const port = await freePort();
  let child: ChildProcess;
  try {
    if (config) await writeFile(join(dir, 'server.conf'), `${config(dir)}\n`);
    child = await launch(dir, port, config !== undefined);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    async stop() {
      await halt(child);
      await rm(dir, { recursive: true, force: true });
    },
    halt: () => halt(child),
    async restart() {
      await halt(child);
      child = await launch(dir, port, config !== undefined);
    },
  };
}

/** The server and a client connection {@link useNatsServer} holds for its tests. */
export interface NatsFixture {
  readonly server: NatsServer;
  readonly connection: NatsConnection;
}

/**
 * A nats-server and one connection to it for the tests of the enclosing
 * `describe` (or file): started before them, closed and stopped after them.
 * Read its fields inside hooks and tests, once they have started.
 */
export function useNatsServer(): NatsFixture {
  let server: NatsServer | undefined;
  let connection: NatsConnection | undefined;
  beforeAll(async () => {
    server = await startNatsServer();
    connection = await connect({ servers: server.url });
  });
  afterAll(async () => {
    await connection?.close();
    await server?.stop();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('useNatsServer: read before its beforeAll ran');
    return value;
  };
  return {
    get server() {
      return started(server);
    },
    get connection() {
      return started(connection);
    },
  };
}
