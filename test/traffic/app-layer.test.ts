import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createSocket, type Socket } from 'node:dgram';
import { createReadStream } from 'node:fs';
import { type AddressInfo, createServer, type Server } from 'node:net';
import { schemaProblems } from '../../src/core/schemas';
import { renderPcapText } from '../../src/report/pcap-text';
import { AppLayerTable, MAX_ENTRIES_PER_KIND, MAX_RETAINED_CHARS, MAX_TARGET } from '../../src/traffic/app-layer';
import { PacketView } from '../../src/traffic/decode';
import { buildPcapReport, type PcapReport } from '../../src/traffic/pcap-report';
import { captureLoopback, tsharkFields } from '../helpers/loopback-capture';
import { dnsMessage, dnsServer } from './loopback';

const u16 = (value: number): Buffer => Buffer.from([value >> 8, value & 0xff]);

const ipv4 = (text: string): number => text.split('.').reduce((number, part) => number * 256 + Number(part), 0);

interface PacketFields {
  src?: string;
  dst?: string;
  protocol?: number;
  srcPort?: number;
  dstPort?: number;
}

/** A decoded UDP/TCP packet whose payload is the whole of `payload` (what the table reads from a frame). */
function packet(fields: PacketFields, payload: Buffer): PacketView {
  const view = new PacketView();
  view.srcId = ipv4(fields.src ?? '198.51.100.7');
  view.dstId = ipv4(fields.dst ?? '192.0.2.53');
  view.protocol = fields.protocol ?? 17;
  view.srcPort = fields.srcPort ?? 40000;
  view.dstPort = fields.dstPort ?? 53;
  view.payloadLength = payload.length;
  return view;
}

describe('the application-layer table', () => {
  test('a query and its answer are one lookup of the client, with the answer', () => {
    const table = new AppLayerTable();
    const query = dnsMessage(1, 'www.example.test');
    table.add(packet({}, query), query);
    const reply = dnsMessage(1, 'www.example.test', [192, 0, 2, 7]);
    table.add(packet({ src: '192.0.2.53', dst: '198.51.100.7', srcPort: 53, dstPort: 40000 }, reply), reply);
    expect(table.list()).toEqual([
      {
        address: '198.51.100.7',
        dns: [{ name: 'www.example.test', answers: ['192.0.2.7'], count: 2 }],
        tls: [],
        http: [],
        untracked: { dns: 0, tls: 0, http: 0 },
      },
    ]);
  });

  test(`past ${MAX_ENTRIES_PER_KIND} names an address's further names are counted, not kept`, () => {
    const table = new AppLayerTable();
    for (let i = 0; i < MAX_ENTRIES_PER_KIND + 8; i++) {
      const query = dnsMessage(i, `host${i}.example.test`);
      table.add(packet({}, query), query);
    }
    const [entry] = table.list();
    expect(entry!.dns).toHaveLength(MAX_ENTRIES_PER_KIND);
    expect(entry!.untracked.dns).toBe(8);
  });

  test('past the address limit observations are counted, not kept', () => {
    const table = new AppLayerTable(2);
    const query = dnsMessage(1, 'a.test');
    for (const src of ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4']) table.add(packet({ src }, query), query);
    expect(table.list().map((entry) => entry.address)).toEqual(['10.0.0.1', '10.0.0.2']);
    expect(table.untrackedObservations).toBe(2);
  });

  test('names escaped from hostile bytes stop being kept at the text budget, and are counted', () => {
    const table = new AppLayerTable();
    // Three labels of 63 control bytes (each byte kept as \\DDD): over 750 characters a name.
    const label = '\x01'.repeat(63);
    const addresses = Math.ceil(MAX_RETAINED_CHARS / (2 * 750 * MAX_ENTRIES_PER_KIND)) + 10;
    for (let a = 0; a < addresses; a++) {
      for (let n = 0; n < MAX_ENTRIES_PER_KIND; n++) {
        const query = dnsMessage(n, `${label}.${label}.${label}.n${n}`);
        table.add(packet({ src: `10.0.${a >> 8}.${a & 0xff}` }, query), query);
      }
    }
    const list = table.list();
    const kept = list.reduce(
      (sum, entry) => sum + entry.dns.reduce((chars, lookup) => chars + lookup.name.length, 0),
      0,
    );
    const untracked = list.reduce((sum, entry) => sum + entry.untracked.dns, 0);
    expect(list[0]!.dns[0]!.name.startsWith('\\001\\001')).toBe(true);
    expect(2 * kept).toBeLessThanOrEqual(MAX_RETAINED_CHARS);
    expect(2 * kept).toBeGreaterThan(MAX_RETAINED_CHARS - 2 * 800);
    expect(untracked).toBeGreaterThan(MAX_ENTRIES_PER_KIND * 9);
  });

  test('a port-53 payload that is no DNS message (a name pointing at itself) is counted as malformed', () => {
    const table = new AppLayerTable();
    const loop = Buffer.concat([u16(1), u16(0x0100), u16(1), u16(0), u16(0), u16(0), u16(0xc00c)]);
    table.add(packet({}, loop), loop);
    expect(table.dnsMalformed).toBe(1);
    expect(table.list()).toEqual([]);
  });

  test(`an HTTP target longer than ${MAX_TARGET} characters is cut and marked`, () => {
    const table = new AppLayerTable();
    const request = Buffer.from(`GET /${'a'.repeat(400)} HTTP/1.1\r\nHost: example.test\r\n\r\n`);
    table.add(packet({ protocol: 6, srcPort: 50000, dstPort: 80 }, request), request);
    const [http] = table.list()[0]!.http;
    expect(http).toEqual({
      method: 'GET',
      target: `/${'a'.repeat(MAX_TARGET - 1)}...`,
      host: 'example.test',
      server: '192.0.2.53',
      serverPort: 80,
      count: 1,
    });
  });

  test('TCP payloads that are neither a hello nor a request are passed over', () => {
    const table = new AppLayerTable();
    for (const text of ['SSH-2.0-OpenSSH_9.2\r\n', 'hello\n', '\x16\x03\x03\x00\x04\x02\x00\x00\x00']) {
      const payload = Buffer.from(text, 'latin1');
      table.add(packet({ protocol: 6, srcPort: 50000, dstPort: 22 }, payload), payload);
    }
    expect(table.list()).toEqual([]);
  });
});

async function listen(
  onConnection: (socket: import('node:net').Socket) => void,
): Promise<{ server: Server; port: number }> {
  const server = createServer(onConnection);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: (server.address() as AddressInfo).port };
}

async function run(command: string, args: string[]): Promise<void> {
  await once(spawn(command, args, { stdio: 'ignore' }), 'exit');
}

describe('DNS, TLS and HTTP on loopback, captured by tcpdump', () => {
  let report: PcapReport;
  let file: string;
  let tls: { server: Server; port: number };
  let http: { server: Server; port: number };
  let dns: { socket: Socket; address: string };
  beforeAll(async () => {
    dns = await dnsServer();
    tls = await listen((socket) => socket.once('data', () => socket.destroy()));
    http = await listen((socket) =>
      socket.once('data', () => socket.end('HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n')),
    );
    file = await captureLoopback('app-layer.pcap', [53, tls.port, http.port], async () => {
      const client = createSocket('udp4');
      for (const [id, name] of [
        [1, 'www.example.test'],
        [2, 'cdn.example.test'],
      ] as const) {
        const reply = once(client, 'message');
        client.send(dnsMessage(id, name), 53, dns.address);
        await reply;
      }
      client.close();
      await run('openssl', ['s_client', '-connect', `127.0.0.1:${tls.port}`, '-servername', 'secure.example.test']);
      await run('curl', ['-s', '-H', 'Host: web.example.test', `http://127.0.0.1:${http.port}/login?next=%2F`]);
    });
    report = await buildPcapReport([{ name: file, open: () => createReadStream(file) }]);
  }, 30_000);
  afterAll(() => {
    dns.socket.close();
    tls.server.close();
    http.server.close();
  });

  test('the client looked up the names tshark shows, with the answers', () => {
    const theirs = tsharkFields(file, [], ['dns.qry.name', 'dns.a']);
    const client = report.applications.addresses.find((entry) => entry.address === '127.0.0.1')!;
    expect(client.dns).toEqual([
      { name: 'www.example.test', answers: ['192.0.2.7'], count: 2 },
      { name: 'cdn.example.test', answers: ['192.0.2.7'], count: 2 },
    ]);
    const names = [...new Set(theirs.map(([name]) => name))];
    expect(client.dns.map((lookup) => lookup.name)).toEqual(names);
    expect(theirs.filter(([, a]) => a).map(([name, a]) => [name, a])).toEqual(
      client.dns.map((lookup) => [lookup.name, lookup.answers.join(',')]),
    );
  });

  test('the TLS server name and the HTTP request agree with tshark', () => {
    const client = report.applications.addresses.find((entry) => entry.address === '127.0.0.1')!;
    const sni = tsharkFields(file, [`tcp.port==${tls.port},tls`], ['tls.handshake.extensions_server_name']);
    expect(client.tls).toEqual([
      { serverName: 'secure.example.test', server: '127.0.0.1', serverPort: tls.port, count: 1 },
    ]);
    expect(sni).toEqual([[client.tls[0]!.serverName]]);
    const requests = tsharkFields(
      file,
      [`tcp.port==${http.port},http`],
      ['http.request.method', 'http.request.uri', 'http.host'],
    );
    expect(client.http).toEqual([
      {
        method: 'GET',
        target: '/login?next=%2F',
        host: 'web.example.test',
        server: '127.0.0.1',
        serverPort: http.port,
        count: 1,
      },
    ]);
    expect(requests).toEqual([['GET', '/login?next=%2F', 'web.example.test']]);
  });

  test('the report is valid against its schema and its text lists the names', () => {
    expect(schemaProblems('pcap-report', report)).toEqual([]);
    const text = renderPcapText(report);
    expect(text).toContain(
      '\nDNS, TLS and HTTP names by address (1)\n  127.0.0.1\n' +
        '    dns www.example.test -> 192.0.2.7 (x2)\n    dns cdn.example.test -> 192.0.2.7 (x2)\n' +
        `    tls secure.example.test at 127.0.0.1:${tls.port}\n` +
        `    http GET /login?next=%2F Host web.example.test at 127.0.0.1:${http.port}\n`,
    );
  });
});
