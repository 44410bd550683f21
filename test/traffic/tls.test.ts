import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { type AddressInfo, createServer } from 'node:net';
import { parseClientHello } from '../../src/traffic/tls';
import { captureLoopback, capturedPayloads, tsharkFields } from '../helpers/loopback-capture';

const u16 = (value: number): Buffer => Buffer.from([value >> 8, value & 0xff]);
const vector16 = (body: Buffer): Buffer => Buffer.concat([u16(body.length), body]);
const extension = (type: number, body: Buffer): Buffer => Buffer.concat([u16(type), vector16(body)]);
const sni = (name: string): Buffer =>
  extension(0, vector16(Buffer.concat([Buffer.from([0]), vector16(Buffer.from(name, 'latin1'))])));
const alpn = (...names: string[]): Buffer =>
  extension(
    16,
    vector16(Buffer.concat(names.map((name) => Buffer.concat([Buffer.from([name.length]), Buffer.from(name)])))),
  );

/** A ClientHello record with a 32-byte session id, two suites and the given extensions. */
function clientHello(extensions: Buffer | null): Buffer {
  const body = Buffer.concat([
    u16(0x0303),
    Buffer.alloc(32, 7),
    Buffer.from([32]),
    Buffer.alloc(32, 9),
    vector16(Buffer.from([0x13, 0x01, 0x13, 0x02])),
    Buffer.from([1, 0]),
    extensions ? vector16(extensions) : Buffer.alloc(0),
  ]);
  const handshake = Buffer.concat([Buffer.from([1, 0, body.length >> 8, body.length & 0xff]), body]);
  return Buffer.concat([Buffer.from([22, 3, 1]), vector16(handshake)]);
}

describe('ClientHello built by hand', () => {
  test('the server name and ALPN protocols come out, whatever other extensions sit around them', () => {
    const hello = clientHello(
      Buffer.concat([extension(10, Buffer.alloc(6)), sni('example.test'), alpn('h2', 'http/1.1')]),
    );
    expect(parseClientHello(hello)).toEqual({
      ok: true,
      hello: {
        recordVersion: 0x0301,
        clientVersion: 0x0303,
        serverName: 'example.test',
        alpn: ['h2', 'http/1.1'],
        partial: false,
      },
    });
  });

  test('a hello without extensions has no server name', () => {
    expect(parseClientHello(clientHello(null))).toMatchObject({ ok: true, hello: { alpn: [], partial: false } });
    expect(parseClientHello(clientHello(null))).not.toHaveProperty('hello.serverName');
  });

  test('a hello cut by its segment after the server name still gives it, marked partial', () => {
    const hello = clientHello(Buffer.concat([sni('example.test'), extension(21, Buffer.alloc(400))]));
    expect(parseClientHello(hello.subarray(0, hello.length - 100))).toMatchObject({
      ok: true,
      hello: { serverName: 'example.test', partial: true },
    });
  });

  test('a control character in the server name is escaped', () => {
    expect(parseClientHello(clientHello(sni('evil\x1b]0;x\x07.test')))).toMatchObject({
      hello: { serverName: 'evil\\027]0;x\\007.test' },
    });
  });

  const rejects: [string, Buffer, string][] = [
    ['an HTTP request', Buffer.from('GET / HTTP/1.1\r\n\r\n'), 'not-handshake'],
    ['a ServerHello', Buffer.from([22, 3, 3, 0, 4, 2, 0, 0, 0]), 'not-client-hello'],
    ['a record header alone', Buffer.from([22, 3, 1, 0, 200]), 'truncated'],
    [
      'an extension longer than the block',
      clientHello(Buffer.concat([u16(0), u16(50), Buffer.alloc(4)])),
      'bad-length',
    ],
    [
      'a server_name list that disagrees with its extension',
      clientHello(extension(0, Buffer.from([0, 9, 0, 0, 1, 0x61]))),
      'bad-length',
    ],
  ];
  test.each(rejects)('%s is malformed', (_name, payload, reason) => {
    expect(parseClientHello(payload)).toEqual({ ok: false, reason });
  });

  test('every truncation and random bit flips never throw', () => {
    const full = clientHello(Buffer.concat([sni('example.test'), alpn('h2')]));
    for (let length = 0; length <= full.length; length++)
      expect(() => parseClientHello(full.subarray(0, length))).not.toThrow();
    let seed = 1;
    for (let i = 0; i < 5000; i++) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      const bytes = Buffer.from(full);
      bytes[seed % bytes.length] = seed >> 8;
      expect(() => parseClientHello(bytes)).not.toThrow();
    }
  });
});

describe('an openssl s_client hello captured on loopback by tcpdump', () => {
  test('the server name and ALPN agree with tshark', async () => {
    // The ClientHello comes before any reply: a listener that hangs up is enough.
    const server = createServer((socket) => socket.once('data', () => socket.destroy()));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const file = await captureLoopback('tls.pcap', [port], async () => {
      const client = spawn(
        'openssl',
        ['s_client', '-connect', `127.0.0.1:${port}`, '-servername', 'example.test', '-alpn', 'h2,http/1.1'],
        { stdio: ['ignore', 'ignore', 'ignore'] },
      );
      await once(client, 'exit');
    });
    server.close();

    const hellos = (await capturedPayloads(file))
      .filter(({ packet, payload }) => packet.dstPort === port && payload.length > 0)
      .slice(0, 1) // the flow's first payload; what follows (an alert) is not a hello
      .map(({ payload }) => parseClientHello(payload));
    const ours = hellos.map((result) =>
      result.ok ? [result.hello.serverName ?? '', result.hello.alpn.join(',')] : [result.reason],
    );
    const theirs = tsharkFields(
      file,
      [`tcp.port==${port},tls`],
      ['tls.handshake.extensions_server_name', 'tls.handshake.extensions_alpn_str'],
    );
    expect(ours).toEqual([['example.test', 'h2,http/1.1']]);
    expect(ours).toEqual(theirs);
  }, 30_000);
});
