import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeArp } from '../../src/traffic/arp';
import { decodePacket, LINKTYPE } from '../../src/traffic/decode';

const macBytes = (text: string) => Buffer.from(text.replaceAll(':', ''), 'hex');
const ipBytes = (text: string) => Buffer.from(text.split('.').map(Number));

function arpBody(operation: number, senderMac: string, senderIp: string, targetMac: string, targetIp: string): Buffer {
  return Buffer.concat([
    Buffer.from([0, 1, 8, 0, 6, 4, 0, operation]),
    macBytes(senderMac),
    ipBytes(senderIp),
    macBytes(targetMac),
    ipBytes(targetIp),
  ]);
}

const request = arpBody(1, '02:00:5e:10:00:14', '192.168.1.20', '00:00:00:00:00:00', '192.168.1.1');
const reply = arpBody(2, '02:00:5e:10:00:01', '192.168.1.1', '02:00:5e:10:00:14', '192.168.1.20');
const ethernet = (body: Buffer, tags: Buffer = Buffer.alloc(0)) =>
  Buffer.concat([
    Buffer.alloc(6, 0xff),
    macBytes('02:00:5e:10:00:14'),
    tags,
    Buffer.from([0x08, 0x06]),
    body,
    Buffer.alloc(18),
  ]);

describe('ARP frames built by hand', () => {
  test('a request and a reply on Ethernet', () => {
    expect(decodeArp(LINKTYPE.ETHERNET, ethernet(request))).toEqual({
      ok: true,
      arp: {
        operation: 1,
        senderMac: '02:00:5e:10:00:14',
        senderIp: '192.168.1.20',
        targetMac: '00:00:00:00:00:00',
        targetIp: '192.168.1.1',
      },
    });
    expect(decodeArp(LINKTYPE.ETHERNET, ethernet(reply))).toMatchObject({
      ok: true,
      arp: { operation: 2, senderIp: '192.168.1.1' },
    });
  });

  test('behind a VLAN tag and in a Linux cooked v2 frame', () => {
    expect(decodeArp(LINKTYPE.ETHERNET, ethernet(reply, Buffer.from([0x81, 0x00, 0x00, 0x07])))).toMatchObject({
      arp: { senderMac: '02:00:5e:10:00:01' },
    });
    const sll2 = Buffer.concat([Buffer.from([0x08, 0x06]), Buffer.alloc(18), request]);
    expect(decodeArp(LINKTYPE.LINUX_SLL2, sll2)).toMatchObject({ ok: true, arp: { targetIp: '192.168.1.1' } });
  });

  test('the IP decoder still counts an ARP frame as not IP', () => {
    expect(decodePacket(LINKTYPE.ETHERNET, ethernet(request))).toEqual({ ok: false, reason: 'not-ip' });
  });

  const rejects: [string, number, Buffer, string][] = [
    ['a frame cut inside the addresses', LINKTYPE.ETHERNET, ethernet(request).subarray(0, 14 + 20), 'truncated'],
    ['a frame cut inside the header', LINKTYPE.ETHERNET, ethernet(request).subarray(0, 14 + 5), 'truncated'],
    ['a frame cut before its EtherType', LINKTYPE.ETHERNET, Buffer.alloc(13), 'truncated'],
    [
      'an IPv4 frame',
      LINKTYPE.ETHERNET,
      Buffer.concat([Buffer.alloc(12), Buffer.from([8, 0]), Buffer.alloc(40)]),
      'not-arp',
    ],
    ['a loopback frame', LINKTYPE.NULL, Buffer.alloc(60), 'not-arp'],
    [
      'ARP over another hardware type',
      LINKTYPE.ETHERNET,
      ethernet(Buffer.concat([Buffer.from([0, 6]), request.subarray(2)])),
      'unsupported',
    ],
  ];
  test.each(rejects)('%s', (_name, linkType, frame, reason) => {
    expect(decodeArp(linkType, frame)).toEqual({ ok: false, reason });
  });
});

describe('the same frames read by tshark', () => {
  test('operation, MACs and addresses agree', () => {
    const frames = [ethernet(request), ethernet(reply)];
    const header = Buffer.alloc(24);
    header.writeUInt32LE(0xa1b2c3d4, 0);
    header.writeUInt16LE(2, 4);
    header.writeUInt16LE(4, 6);
    header.writeUInt32LE(65535, 16);
    header.writeUInt32LE(LINKTYPE.ETHERNET, 20);
    const records = frames.map((frame) => {
      const record = Buffer.alloc(16);
      record.writeUInt32LE(1_800_000_000, 0);
      record.writeUInt32LE(frame.length, 8);
      record.writeUInt32LE(frame.length, 12);
      return Buffer.concat([record, frame]);
    });
    const file = join(mkdtempSync(join(tmpdir(), 'arp-')), 'arp.pcap');
    writeFileSync(file, Buffer.concat([header, ...records]));
    const fields = ['arp.opcode', 'arp.src.hw_mac', 'arp.src.proto_ipv4', 'arp.dst.hw_mac', 'arp.dst.proto_ipv4'];
    const text = execFileSync('tshark', ['-r', file, '-T', 'fields', ...fields.flatMap((field) => ['-e', field])], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const theirs = text
      .trim()
      .split('\n')
      .map((line) => line.split('\t'));
    const ours = frames.map((frame) => {
      const result = decodeArp(LINKTYPE.ETHERNET, frame);
      if (!result.ok) throw new Error(result.reason);
      const { operation, senderMac, senderIp, targetMac, targetIp } = result.arp;
      return [String(operation), senderMac, senderIp, targetMac, targetIp];
    });
    expect(ours).toEqual(theirs);
  });
});
