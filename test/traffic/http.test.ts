import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { type AddressInfo, createServer } from 'node:net';
import { MAX_HTTP_HEAD, parseHttpRequest } from '../../src/traffic/http';
import { captureLoopback, capturedPayloads, tsharkFields } from '../helpers/loopback-capture';

const parse = (text: string) => parseHttpRequest(Buffer.from(text, 'latin1'));

describe('HTTP/1 request heads', () => {
  const heads: [string, string, object][] = [
    [
      'a GET with Host',
      'GET /a?b=1 HTTP/1.1\r\nUser-Agent: x\r\nHost: example.test:8080 \r\n\r\n',
      { method: 'GET', target: '/a?b=1', version: 'HTTP/1.1', host: 'example.test:8080', partial: false },
    ],
    [
      'bare LF line ends',
      'POST /f HTTP/1.0\nhOsT:example.test\n\n',
      { method: 'POST', host: 'example.test', partial: false },
    ],
    [
      'a proxy CONNECT without Host',
      'CONNECT example.test:443 HTTP/1.1\r\n\r\n',
      { target: 'example.test:443', partial: false },
    ],
    ['a head cut before its end', 'GET / HTTP/1.1\r\nAccept: */*\r\nHo', { target: '/', partial: true }],
    ['the first Host of two', 'GET / HTTP/1.1\r\nHost: a.test\r\nHost: b.test\r\n\r\n', { host: 'a.test' }],
    ['control bytes in Host, escaped', 'GET / HTTP/1.1\r\nHost: a\x1b[2J\r\n\r\n', { host: 'a\\027[2J' }],
  ];
  test.each(heads)('%s', (_name, text, expected) => {
    expect(parse(text)).toEqual({ ok: true, request: expect.objectContaining(expected) });
  });

  test('a head without Host has no host field', () => {
    expect(parse('GET / HTTP/1.1\r\n\r\n')).not.toHaveProperty('request.host');
  });

  const rejects: [string, string, string][] = [
    ['a TLS record', '\x16\x03\x01\x00\x05', 'not-http'],
    ['an SSH banner', 'SSH-2.0-OpenSSH_9.2\r\n', 'not-http'],
    ['an HTTP response', 'HTTP/1.1 200 OK\r\n\r\n', 'not-http'],
    ['a method then a tab', 'GET\t/ HTTP/1.1\r\n', 'not-http'],
    ['a bad version', 'GET / HTTP/one\r\n\r\n', 'not-http'],
    ['a version then junk', 'GET / HTTP/1.1 x\r\n', 'not-http'],
    ['a request line cut in the target', 'GET /very/long', 'truncated'],
    ['a request line cut in the method', 'GE', 'truncated'],
    ['nothing', '', 'not-http'],
  ];
  test.each(rejects)('%s is malformed', (_name, text, reason) => {
    expect(parse(text)).toEqual({ ok: false, reason });
  });

  test(`only the first ${MAX_HTTP_HEAD} bytes are read`, () => {
    const late = `GET / HTTP/1.1\r\nX-Pad: ${'p'.repeat(MAX_HTTP_HEAD)}\r\nHost: late.test\r\n\r\n`;
    expect(parse(late)).toEqual({ ok: true, request: expect.objectContaining({ partial: true }) });
    expect(parse(late)).not.toHaveProperty('request.host');
    expect(parse(`GET /${'a'.repeat(MAX_HTTP_HEAD)} HTTP/1.1\r\n\r\n`)).toEqual({ ok: false, reason: 'truncated' });
  });

  test('random bytes and 10 MB payloads never throw', () => {
    let seed = 3;
    for (let i = 0; i < 3000; i++) {
      const bytes = Buffer.from(
        Array.from({ length: i % 64 }, () => (seed = (seed * 1103515245 + 12345) % 2147483648) >> 16),
      );
      expect(() => parseHttpRequest(Buffer.concat([Buffer.from('GET / HTTP/1.1\r\n'), bytes]))).not.toThrow();
    }
    expect(parseHttpRequest(Buffer.alloc(10 * 1024 * 1024, 0x41))).toEqual({ ok: false, reason: 'not-http' });
  });
});

describe('a curl request captured on loopback by tcpdump', () => {
  test('method, target, version and Host agree with tshark', async () => {
    const server = createServer((socket) =>
      socket.once('data', () => socket.end('HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n')),
    );
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const file = await captureLoopback('http.pcap', [port], async () => {
      const curl = spawn('curl', ['-s', '-H', 'Host: example.test', `http://127.0.0.1:${port}/search?q=logsleuth`], {
        stdio: 'ignore',
      });
      await once(curl, 'exit');
    });
    server.close();

    const first = (await capturedPayloads(file)).find(
      ({ packet, payload }) => packet.dstPort === port && payload.length > 0,
    )!;
    const result = parseHttpRequest(first.payload);
    if (!result.ok) throw new Error(`not parsed: ${result.reason}`);
    const { method, target, version, host } = result.request;
    const theirs = tsharkFields(
      file,
      [`tcp.port==${port},http`],
      ['http.request.method', 'http.request.uri', 'http.request.version', 'http.host'],
    );
    expect(theirs).toEqual([[method, target, version, host]]);
    expect(result.request).toEqual({
      method: 'GET',
      target: '/search?q=logsleuth',
      version: 'HTTP/1.1',
      host: 'example.test',
      partial: false,
    });
  }, 30_000);
});
