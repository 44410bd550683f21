import { once } from 'node:events';
import { createSocket, type RemoteInfo } from 'node:dgram';
import { type AddressInfo } from 'node:net';
import { MAX_POINTER_JUMPS, parseDns, parseDnsTcp, type DnsResult } from '../../src/traffic/dns';
import { captureLoopback, capturedPayloads, tsharkFields } from '../helpers/loopback-capture';

const u16 = (value: number): Buffer => Buffer.from([value >> 8, value & 0xff]);
const u32 = (value: number): Buffer =>
  Buffer.from([value >>> 24, (value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff]);
const labels = (...parts: string[]): Buffer =>
  Buffer.concat(parts.map((part) => Buffer.concat([Buffer.from([part.length]), Buffer.from(part, 'latin1')])));
const pointer = (offset: number): Buffer => u16(0xc000 | offset);
const ROOT = Buffer.from([0]);

function header(id: number, flags: number, qd: number, an: number): Buffer {
  return Buffer.concat([u16(id), u16(flags), u16(qd), u16(an), u16(0), u16(0)]);
}
function record(name: Buffer, type: number, rdata: Buffer): Buffer {
  return Buffer.concat([name, u16(type), u16(1), u32(300), u16(rdata.length), rdata]);
}

/** A query for www.example.test A: its question name starts at byte 12, "example" at 16. */
function query(id: number): Buffer {
  return Buffer.concat([header(id, 0x0100, 1, 0), labels('www', 'example', 'test'), ROOT, u16(1), u16(1)]);
}

/** The answer, compressed against the question: CNAME, then A, AAAA, MX and TXT. */
function answer(request: Buffer): Buffer {
  const question = request.subarray(12);
  const head = Buffer.concat([header(request.readUInt16BE(0), 0x8180, 1, 5), question]);
  const cname = record(pointer(12), 5, Buffer.concat([labels('cdn'), pointer(16)]));
  // The CNAME's target sits after its name (2), type, class, ttl and length (10).
  const cdn = pointer(head.length + 12);
  return Buffer.concat([
    head,
    cname,
    record(cdn, 1, Buffer.from([192, 0, 2, 7])),
    record(cdn, 28, Buffer.from('20010db8000000000000000000000007', 'hex')),
    record(pointer(16), 15, Buffer.concat([u16(10), labels('mail'), pointer(16)])),
    record(pointer(16), 16, labels('v=spf1 -all')),
  ]);
}

function ok(result: DnsResult) {
  if (!result.ok) throw new Error(`expected a message, got malformed: ${result.reason}`);
  return result.message;
}

describe('DNS messages built by hand', () => {
  test('an answer with compressed names decodes every record', () => {
    const message = ok(parseDns(answer(query(7))));
    expect(message.header).toMatchObject({
      id: 7,
      response: true,
      recursionDesired: true,
      recursionAvailable: true,
      rcode: 0,
    });
    expect(message.questions).toEqual([{ name: 'www.example.test', type: 1, class: 1 }]);
    expect(message.answers.map((rr) => [rr.name, rr.type, rr.data])).toEqual([
      ['www.example.test', 5, { kind: 'name', name: 'cdn.example.test' }],
      ['cdn.example.test', 1, { kind: 'address', address: '192.0.2.7' }],
      ['cdn.example.test', 28, { kind: 'address', address: '2001:db8::7' }],
      ['example.test', 15, { kind: 'mx', preference: 10, exchange: 'mail.example.test' }],
      ['example.test', 16, { kind: 'txt', texts: ['v=spf1 -all'] }],
    ]);
  });

  test('over TCP the 2-byte length prefix frames the message', () => {
    const message = query(9);
    expect(ok(parseDnsTcp(Buffer.concat([u16(message.length), message]))).questions[0]!.name).toBe('www.example.test');
    expect(parseDnsTcp(Buffer.concat([u16(message.length + 1), message]))).toEqual({ ok: false, reason: 'truncated' });
    expect(parseDnsTcp(Buffer.from([0]))).toEqual({ ok: false, reason: 'truncated' });
  });

  test('a record type without a decoder keeps its type and length', () => {
    const message = Buffer.concat([header(1, 0x8180, 0, 1), record(ROOT, 99, Buffer.from('abc'))]);
    expect(ok(parseDns(message)).answers).toEqual([{ name: '.', type: 99, class: 1, ttl: 300, length: 3 }]);
  });

  test('control bytes and dots inside a label come out escaped, not raw', () => {
    const message = Buffer.concat([header(1, 0, 1, 0), labels('a\x1b[31m', 'b.c'), ROOT, u16(1), u16(1)]);
    expect(ok(parseDns(message)).questions[0]!.name).toBe('a\\027[31m.b\\.c');
  });
});

describe('hostile DNS messages are malformed, never a hang or a throw', () => {
  const question = (name: Buffer) => Buffer.concat([header(1, 0, 1, 0), name, u16(1), u16(1)]);
  const cases: [string, Buffer, string][] = [
    ['a pointer back into its own name (a loop)', question(Buffer.concat([labels('a'), pointer(12)])), 'pointer-loop'],
    ['a pointer to itself', question(pointer(12)), 'pointer-forward'],
    ['a pointer forward', question(Buffer.concat([pointer(40), Buffer.alloc(40)])), 'pointer-forward'],
    [
      'a label longer than 63',
      question(Buffer.concat([Buffer.from([64]), Buffer.alloc(64, 0x61), ROOT])),
      'label-too-long',
    ],
    [
      'a name over 255 bytes',
      question(Buffer.concat([labels(...Array(5).fill('x'.repeat(63))), ROOT])),
      'name-too-long',
    ],
    ['an A record of 5 bytes', Buffer.concat([header(1, 0, 0, 1), record(ROOT, 1, Buffer.alloc(5))]), 'bad-rdata'],
    [
      'a CNAME whose name runs past its RDATA',
      Buffer.concat([header(1, 0, 0, 1), record(ROOT, 5, labels('abc'))]),
      'bad-rdata',
    ],
  ];
  test.each(cases)('%s', (_name, message, reason) => {
    expect(parseDns(message)).toEqual({ ok: false, reason });
  });

  /** A question "a", then an unknown record holding a chain of backward pointers, then a record named by its end. */
  function nestedPointers(count: number): Buffer {
    const head = Buffer.concat([header(1, 0x8180, 1, 2), labels('a'), ROOT, u16(1), u16(1)]);
    const chainStart = head.length + 2 + 10;
    const chain = Buffer.concat(
      Array.from({ length: count }, (_, k) => pointer(k === 0 ? 12 : chainStart + 2 * (k - 1))),
    );
    return Buffer.concat([
      head,
      record(pointer(12), 99, chain),
      record(pointer(chainStart + 2 * (count - 1)), 99, Buffer.alloc(0)),
    ]);
  }

  test('100 nested pointers exceed the jump limit', () => {
    expect(parseDns(nestedPointers(100))).toEqual({ ok: false, reason: 'too-many-pointers' });
  });

  test('a chain just under the jump limit still resolves', () => {
    expect(ok(parseDns(nestedPointers(MAX_POINTER_JUMPS - 1))).answers[1]!.name).toBe('a');
  });

  test('every truncation of a valid answer is truncated', () => {
    const full = answer(query(3));
    for (let length = 0; length < full.length; length++) {
      expect([length, parseDns(full.subarray(0, length))]).toEqual([length, { ok: false, reason: 'truncated' }]);
    }
  });

  test('random bytes and bit flips never throw', () => {
    let seed = 20;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const full = answer(query(3));
    for (let i = 0; i < 5000; i++) {
      const bytes =
        i % 2
          ? Buffer.from(Array.from({ length: Math.floor(random() * 300) }, () => Math.floor(random() * 256)))
          : Buffer.from(full);
      if (i % 2 === 0) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
      expect(() => parseDns(bytes)).not.toThrow();
    }
  });
});

describe('a DNS exchange captured on loopback by tcpdump', () => {
  test('names and answers agree with tshark', async () => {
    const server = createSocket('udp4');
    server.on('message', (request: Buffer, peer: RemoteInfo) => server.send(answer(request), peer.port, peer.address));
    server.bind(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const client = createSocket('udp4');
    const file = await captureLoopback('dns.pcap', [port], async () => {
      const reply = once(client, 'message');
      client.send(query(0x1234), port, '127.0.0.1');
      await reply;
    });
    client.close();
    server.close();

    const ours = (await capturedPayloads(file)).map(({ payload }) => {
      const message = ok(parseDns(payload));
      const of = (type: number) =>
        message.answers
          .filter((rr) => rr.type === type)
          .map((rr) => {
            const data = rr.data!;
            return data.kind === 'address'
              ? data.address
              : data.kind === 'name'
                ? data.name
                : data.kind === 'mx'
                  ? data.exchange
                  : data.texts.join('');
          });
      return [message.questions.map((q) => q.name).join(','), ...[1, 28, 5, 15, 16].map((type) => of(type).join(','))];
    });
    const fields = ['dns.qry.name', 'dns.a', 'dns.aaaa', 'dns.cname', 'dns.mx.mail_exchange', 'dns.txt'];
    const theirs = tsharkFields(file, [`udp.port==${port},dns`], fields);
    expect(ours).toHaveLength(2);
    expect(ours).toEqual(theirs);
    expect(ours[1]).toEqual([
      'www.example.test',
      '192.0.2.7',
      '2001:db8::7',
      'cdn.example.test',
      'mail.example.test',
      'v=spf1 -all',
    ]);
  }, 30_000);
});
