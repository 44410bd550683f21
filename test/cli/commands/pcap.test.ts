import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { schemaProblems } from '../../../src/core/schemas';
import type { FlowSummary, PcapReport } from '../../../src/traffic/pcap-report';
import { cli } from '../../helpers/cli';
import { openStore } from '../../../src/store/store';
import { once } from 'node:events';
import { type AddressInfo, type Server, connect, createServer } from 'node:net';
import { createSocket, type Socket } from 'node:dgram';
import {
  captureLoopback,
  dnsMessage,
  dnsServer,
  type LoopbackPeers,
  loopbackPeers,
  loopbackTraffic,
} from '../../traffic/loopback';

const dir = mkdtempSync(join(tmpdir(), 'pcap-cli-'));

describe('logsleuth pcap', () => {
  let peers: LoopbackPeers;
  let file: string;
  beforeAll(async () => {
    peers = await loopbackPeers();
    const { serverPort, udpPort, closed } = peers;
    file = await captureLoopback(join(dir, 'lo.pcap'), [], [serverPort, udpPort, ...closed], () =>
      loopbackTraffic(peers),
    );
  }, 30_000);
  afterAll(() => peers.server.close());

  test("keeps the capture's flows in gold_flows and, with --cases, its cases", async () => {
    const path = join(dir, 'capture.duckdb');
    const flows = await cli(['pcap', file, '--json', '--store', path]);
    expect(flows.stderr).toBe('');
    const report = JSON.parse(flows.stdout) as PcapReport;
    const cases = await cli(['pcap', file, '--cases', '--json', '--store', path]);
    expect(cases.stderr).toBe('');
    const suspects = (JSON.parse(cases.stdout) as { cases: { ip: string }[] }).cases;
    const store = await openStore(path, { readOnly: true });
    try {
      const runs = await store.query("SELECT count(*) AS n FROM runs WHERE command = 'pcap' AND finished IS NOT NULL");
      expect(runs).toEqual([{ n: 2 }]);
      const stored = await store.query(
        'SELECT protocol, initiator, responder_port AS port, packets_out + packets_in AS packets FROM gold_flows',
      );
      expect(stored.length).toBe(2 * report.flows.list.length);
      const tcp = report.flows.list.find((f) => f.responderPort === peers.serverPort)!;
      expect(stored).toContainEqual({
        protocol: 'tcp',
        initiator: tcp.initiator,
        port: peers.serverPort,
        packets: tcp.packetsOut + tcp.packetsIn,
      });
      expect((await store.query('SELECT ip FROM gold_cases')).map((r) => r['ip'])).toEqual(suspects.map((c) => c.ip));
    } finally {
      store.close();
    }
  });

  test('prints the files, the packets, the scan suspect and the largest flow first', async () => {
    const { code, stdout, stderr } = await cli(['pcap', file]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toMatch(/^\/.*lo\.pcap: pcap, \d+ packets$/);
    expect(stdout).toMatch(/\n\d+ packets read, \d+ decoded into 14 flows\n/);
    expect(stdout).toContain('\nSYN-scan suspects (1)\n  127.0.0.1: 13 host:port pairs probed, 1 handshakes completed');
    const flowsAt = lines.indexOf('Flows by bytes (14 of 14)');
    expect(lines[flowsAt + 1]).toContain(`-> 127.0.0.1:${peers.serverPort}`);
    expect(lines[flowsAt + 1]).toContain('  handshake');
    expect(stdout).toContain(`-> 127.0.0.1:${peers.closed[0]}`);
    expect(stdout).toContain('no handshake  reset by responder');
  });

  test('--json prints one object valid against the schema', async () => {
    const { code, stdout } = await cli(['pcap', file, '--json']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as PcapReport;
    expect(schemaProblems('pcap-report', report)).toEqual([]);
    expect(report.files).toEqual([expect.objectContaining({ name: file, format: 'pcap', error: null })]);
    expect(report.packets.decoded).toBe(report.packets.read);
    expect(report.flows.count).toBe(14);
    const established = report.flows.list[0]!;
    expect(established).toMatchObject({
      protocol: 'tcp',
      initiator: '127.0.0.1',
      responderPort: peers.serverPort,
      handshakeCompleted: true,
      resetBy: null,
    });
    expect(established.tcpFlags).toEqual(expect.arrayContaining(['SYN', 'ACK', 'FIN']));
    expect(report.flows.list.find((flow) => flow.responderPort === peers.udpPort)).toMatchObject({
      protocol: 'udp',
      packetsOut: 1,
    });
    expect(report.synScans).toEqual([expect.objectContaining({ source: '127.0.0.1', probed: 13, completed: 1 })]);
  });

  test('--ndjson prints one flow per line', async () => {
    const { code, stdout } = await cli(['pcap', file, '--ndjson']);
    expect(code).toBe(0);
    const flows = stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as FlowSummary);
    expect(flows).toHaveLength(14);
    expect(flows[0]!.responderPort).toBe(peers.serverPort);
  });

  test('two copies of a capture merge into the same flows, counted twice', async () => {
    const { stdout } = await cli(['pcap', file, file, '--json']);
    const once = JSON.parse((await cli(['pcap', file, '--json'])).stdout) as PcapReport;
    const twice = JSON.parse(stdout) as PcapReport;
    expect(twice.flows.count).toBe(14);
    expect(twice.packets.read).toBe(2 * once.packets.read);
  });

  test('a garbage file is a one-line error and exit 1', async () => {
    const garbage = join(dir, 'garbage.pcap');
    writeFileSync(garbage, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    const { code, stdout, stderr } = await cli(['pcap', garbage]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(`logsleuth: ${garbage}: not a pcap or pcapng capture (magic 0x47455420) at byte 0\n`);
  });

  test('a truncated capture is still reported, with an error line and exit 1', async () => {
    const cut = join(dir, 'cut.pcap');
    const bytes = readFileSync(file);
    writeFileSync(cut, bytes.subarray(0, bytes.length - 5));
    const { code, stdout, stderr } = await cli(['pcap', cut]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^logsleuth: .*cut\.pcap: truncated: the last \d+ bytes are a partial record\n$/);
    expect(stdout).toMatch(/cut\.pcap: pcap, \d+ packets, truncated \(\d+ bytes left over\)/);
  });

  test('a missing file is a one-line error', async () => {
    const { code, stderr } = await cli(['pcap', join(dir, 'none.pcap')]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^logsleuth: .*none\.pcap: ENOENT: no such file or directory, open '.*none\.pcap'\n$/);
  });
});

describe('logsleuth pcap --cases', () => {
  let peers: LoopbackPeers;
  let dns: { socket: Socket; address: string };
  let file: string;
  beforeAll(async () => {
    peers = await loopbackPeers();
    dns = await dnsServer();
    const { serverPort, closed } = peers;
    file = await captureLoopback(join(dir, 'scan.pcap'), [], [53, serverPort, ...closed], async () => {
      // The scanner looks its target up first.
      const client = createSocket('udp4');
      const reply = once(client, 'message');
      client.send(dnsMessage(1, 'target.example.test'), 53, dns.address);
      await reply;
      client.close();
      await loopbackTraffic(peers);
    });
  }, 30_000);
  afterAll(() => {
    peers.server.close();
    dns.socket.close();
  });

  test('the scanner of the capture is a case scored for the ports it probed', async () => {
    const { code, stdout, stderr } = await cli(['pcap', file, '--cases', '--json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as {
      cases: { ip: string; score: number; reasons: { code: string }[] }[];
      inputs: { source: string }[];
    };
    expect(schemaProblems('report', result)).toEqual([]);
    expect(result.inputs).toEqual([expect.objectContaining({ source: file })]);
    expect(result.cases.map((c) => c.ip)).toEqual(['127.0.0.1']);
    expect(result.cases[0]!.reasons.map((r) => r.code)).toEqual(expect.arrayContaining(['ports']));
  });

  test("the scanner's case carries the names it looked up", async () => {
    const json = JSON.parse((await cli(['pcap', file, '--cases', '--json'])).stdout) as {
      cases: { ip: string; traffic?: { dns: unknown[] } }[];
    };
    expect(json.cases[0]!.traffic!.dns).toEqual([{ name: 'target.example.test', answers: ['192.0.2.7'], count: 2 }]);
    const { stdout } = await cli(['pcap', file, '--cases']);
    expect(stdout).toContain('       dns target.example.test -> 192.0.2.7 (x2)\n');
  });
});

describe('logsleuth pcap --cases with listed addresses', () => {
  // A listener on a loopback alias, so the listed address is not also the client (127.0.0.1).
  const LISTED = '127.0.0.77';
  let file: string;
  let server: Server;
  beforeAll(async () => {
    server = createServer((socket) => {
      socket.on('data', () => socket.end('ok\n'));
      socket.on('error', () => undefined);
    });
    server.listen(0, LISTED);
    await once(server, 'listening');
    const port = (server.address() as AddressInfo).port;
    file = await captureLoopback(join(dir, 'listed.pcap'), [], [port], async () => {
      const client = connect(port, LISTED);
      await once(client, 'connect');
      client.write('hello\n');
      await once(client, 'data');
      client.end();
      await once(client, 'close');
    });
  }, 30_000);
  afterAll(() => server.close());

  test('a flow with a --known-bad address makes it a case, the flow as its evidence', async () => {
    const { code, stdout, stderr } = await cli(['pcap', file, '--cases', '--json', '--known-bad', `${LISTED}/32`]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { cases: { ip: string; reasons: { code: string }[]; timeline: unknown[] }[] };
    expect(schemaProblems('report', report)).toEqual([]);
    expect(report.cases.map((c) => c.ip)).toEqual([LISTED]);
    expect(report.cases[0]!.reasons.map((r) => r.code)).toContain('known_malicious');
    expect(JSON.stringify(report.cases[0])).toMatch(
      /TCP 127\.0\.0\.1:\d+ -> 127\.0\.0\.77:\d+, \d+ packets, handshake completed/,
    );
  });

  test('a reputation database lists its blacklisted addresses the same way; nothing listed, no case', async () => {
    const reputation = join(dir, 'reputation.json');
    const db = JSON.parse(readFileSync(join(__dirname, '..', '..', 'fixtures', 'reputation', 'host-a.json'), 'utf8'));
    const entry = { ...db.entries[0], ip: LISTED, type: 'localhost', range: 'Loopback', subnet: '127.0.0.0/8' };
    writeFileSync(reputation, JSON.stringify({ ...db, entries: [{ ...entry, blacklisted: true }] }));
    const listed = await cli(['pcap', file, '--cases', '--json', '--reputation', reputation]);
    expect(listed.stderr).toBe('');
    expect((JSON.parse(listed.stdout) as { cases: { ip: string }[] }).cases.map((c) => c.ip)).toContain(LISTED);
    const none = await cli(['pcap', file, '--cases', '--json']);
    expect((JSON.parse(none.stdout) as { cases: unknown[] }).cases).toEqual([]);
  });
});
