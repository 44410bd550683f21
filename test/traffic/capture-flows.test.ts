import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, mkdtempSync } from 'node:fs';
import { createServer, type AddressInfo, connect, type Server } from 'node:net';
import { createSocket } from 'node:dgram';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureFlows, type CaptureFlows } from '../../src/traffic/capture-flows';
import { findSynScans } from '../../src/traffic/syn-scan';

const dir = mkdtempSync(join(tmpdir(), 'pcap-'));

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

/** Runs tcpdump on lo for the given ports while `traffic` runs; returns the file. */
async function capture(name: string, args: string[], ports: number[], traffic: () => Promise<void>): Promise<string> {
  const file = join(dir, name);
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

async function loopbackTraffic(server: Server, serverPort: number, udpPort: number, closed: number[]): Promise<void> {
  const client = connect(serverPort, '127.0.0.1');
  await once(client, 'connect');
  client.write('hello over loopback\n');
  await once(client, 'data');
  client.end();
  await once(client, 'close');
  const udp = createSocket('udp4');
  await new Promise<void>((resolve) => udp.send('ping', udpPort, '127.0.0.1', () => resolve()));
  udp.close();
  for (const port of closed) {
    const probe = connect(port, '127.0.0.1');
    await once(probe, 'error');
  }
  void server;
}

interface Conversation {
  key: string;
  packets: number;
  bytes: number;
}

/** tshark's TCP and UDP conversations, keyed by both endpoints in sorted order. */
function tsharkConversations(file: string): Conversation[] {
  const text = execFileSync('tshark', ['-q', '-z', 'conv,tcp', '-z', 'conv,udp', '-r', file], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const rows: Conversation[] = [];
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields[1] !== '<->') continue;
    const key = [fields[0]!, fields[2]!].sort().join(' ');
    // fields: A <-> B framesIn bytesIn unit framesOut bytesOut unit frames bytes unit ...
    rows.push({ key, packets: Number(fields[9]), bytes: Number(fields[10]) * (fields[11] === 'kB' ? 1000 : 1) });
  }
  return rows.sort((a, b) => a.key.localeCompare(b.key));
}

function ourConversations(result: CaptureFlows): Conversation[] {
  return result.flows
    .map((flow) => ({
      key: [`${flow.initiator}:${flow.initiatorPort}`, `${flow.responder}:${flow.responderPort}`].sort().join(' '),
      packets: flow.packetsOut + flow.packetsIn,
      bytes: flow.bytesOut + flow.bytesIn,
    }))
    .sort((a, b) => a.key.localeCompare(b.key));
}

describe('loopback captures made by tcpdump', () => {
  let server: Server;
  let serverPort: number;
  let udpPort: number;
  let closed: number[];

  beforeAll(async () => {
    server = createServer((socket) => {
      socket.on('data', () => socket.end('ok\n'));
      socket.on('error', () => undefined);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    serverPort = (server.address() as AddressInfo).port;
    udpPort = await freePort();
    closed = [];
    for (let i = 0; i < 12; i++) closed.push(await freePort());
  });
  afterAll(() => server.close());

  const formats: [string, string[]][] = [
    ['pcap', []],
    ['pcap with nanosecond timestamps', ['--time-stamp-precision=nano']],
    ['pcapng (rewritten by editcap)', []],
  ];
  test.each(formats)(
    '%s: the same flows, packets and bytes as tshark, and the scan found',
    async (name, args) => {
      const file = await capture(`${name.replace(/\W+/g, '-')}.cap`, args, [serverPort, udpPort, ...closed], () =>
        loopbackTraffic(server, serverPort, udpPort, closed),
      );
      if (name.startsWith('pcapng')) execFileSync('editcap', ['-F', 'pcapng', file, `${file}ng`]);
      const read = name.startsWith('pcapng') ? `${file}ng` : file;
      const result = await captureFlows(createReadStream(read));
      expect(result.reader.format).toBe(name.startsWith('pcapng') ? 'pcapng' : 'pcap');
      expect(ourConversations(result)).toEqual(tsharkConversations(read));
      expect(result.flows).toHaveLength(14);
      const established = result.flows.find((flow) => flow.responderPort === serverPort)!;
      expect(established).toMatchObject({ handshakeCompleted: true, initiator: '127.0.0.1', resetBy: null });
      const probes = result.flows.filter((flow) => closed.includes(flow.responderPort));
      expect(probes.every((flow) => !flow.handshakeCompleted && flow.resetBy === 'responder')).toBe(true);
      const suspects = findSynScans(result.flows);
      expect(suspects).toEqual([
        expect.objectContaining({ source: '127.0.0.1', probed: 13, completed: 1, targets: ['127.0.0.1'] }),
      ]);
      const first = Math.min(...result.flows.map((flow) => flow.first));
      expect(Math.abs(first - Date.now() / 1000)).toBeLessThan(60);
    },
    30_000,
  );
});
