import { Readable } from 'node:stream';
import { buildPcapReport } from '../../src/traffic/pcap-report';
import { CaptureFormatError, CaptureParser, MAX_RECORD_BYTES } from '../../src/traffic/pcap-reader';

function pcapHeader(magic: number, littleEndian: boolean): Buffer {
  const header = Buffer.alloc(24);
  const write = (value: number, at: number): number =>
    littleEndian ? header.writeUInt32LE(value, at) : header.writeUInt32BE(value, at);
  write(magic, 0);
  write(262144, 16);
  write(1, 20);
  return header;
}

function pcapRecord(captured: number, original: number, littleEndian: boolean): Buffer {
  const record = Buffer.alloc(16 + Math.min(captured, 64));
  const write = (value: number, at: number): number =>
    littleEndian ? record.writeUInt32LE(value, at) : record.writeUInt32BE(value, at);
  write(1_700_000_000, 0);
  write(123, 4);
  write(captured, 8);
  write(original, 12);
  return record;
}

describe('CaptureParser on bad input', () => {
  test('a bad magic number is a clear error', () => {
    expect(() => new CaptureParser().push(Buffer.from('GET / HTTP/1.1\r\n'))).toThrow(/not a pcap or pcapng capture/);
  });

  test('a file shorter than a magic number is a clear error at the end', () => {
    const parser = new CaptureParser();
    parser.push(Buffer.from([0xd4, 0xc3]));
    expect(() => parser.end()).toThrow(CaptureFormatError);
  });

  test.each([true, false])('big and little endian pcap read alike (little endian: %s)', (le) => {
    const parser = new CaptureParser();
    const records = parser.push(Buffer.concat([pcapHeader(0xa1b23c4d, le), pcapRecord(60, 1500, le)]));
    expect(records).toMatchObject([{ seconds: 1_700_000_000, nanos: 123, capturedLength: 60, originalLength: 1500 }]);
    expect(parser.end()).toMatchObject({ packets: 1, cutBySnapLength: 1, truncatedBytes: 0 });
  });

  test('a record cut off at the end is counted, not thrown', () => {
    const parser = new CaptureParser();
    const whole = Buffer.concat([pcapHeader(0xa1b2c3d4, true), pcapRecord(60, 60, true)]);
    expect(parser.push(whole.subarray(0, whole.length - 10))).toEqual([]);
    expect(parser.end()).toMatchObject({ packets: 0, truncatedBytes: 66 });
  });

  test('a pcap record claiming an absurd length is an error, not an allocation', () => {
    const parser = new CaptureParser();
    const bad = Buffer.concat([pcapHeader(0xa1b2c3d4, true), pcapRecord(MAX_RECORD_BYTES + 1, 60, true)]);
    expect(() => parser.push(bad)).toThrow(/claims 16777217 captured bytes at byte 24/);
  });

  test('a pcapng block claiming an absurd length is an error', () => {
    const shb = Buffer.alloc(28);
    shb.writeUInt32LE(0x0a0d0d0a, 0);
    shb.writeUInt32LE(0xfffffff0, 4);
    shb.writeUInt32LE(0x1a2b3c4d, 8);
    expect(() => new CaptureParser().push(shb)).toThrow(/claims 4294967280 bytes at byte 0/);
  });
});

/** A pcapng block of `type` around `body`, padded to 4 bytes, little endian. */
function block(type: number, body: Buffer): Buffer {
  const padded = Buffer.concat([body, Buffer.alloc((4 - (body.length % 4)) % 4)]);
  const out = Buffer.alloc(12 + padded.length);
  out.writeUInt32LE(type, 0);
  out.writeUInt32LE(out.length, 4);
  padded.copy(out, 8);
  out.writeUInt32LE(out.length, out.length - 4);
  return out;
}

/** An enhanced packet block on interface 0: `size` bytes of frame, the byte value its index. */
function enhancedPacket(index: number, size: number): Buffer {
  const head = Buffer.alloc(20);
  head.writeUInt32LE(0, 0);
  head.writeUInt32LE(index, 8);
  head.writeUInt32LE(size, 12);
  head.writeUInt32LE(size, 16);
  return block(6, Buffer.concat([head, Buffer.alloc(size, index)]));
}

describe('CaptureParser on chunked input', () => {
  const sectionHeader = block(0x0a0d0d0a, Buffer.from([0x4d, 0x3c, 0x2b, 0x1a, 1, 0, 0, 0, ...Array(8).fill(0xff)]));
  const interfaceBlock = block(1, Buffer.from([1, 0, 0, 0, 0, 0, 4, 0]));
  const captures: [string, Buffer][] = [
    [
      'pcap',
      Buffer.concat([pcapHeader(0xa1b2c3d4, true), ...[60, 64, 20, 33].map((size) => pcapRecord(size, size, true))]),
    ],
    [
      'pcapng',
      Buffer.concat([sectionHeader, interfaceBlock, ...[60, 1514, 21, 300].map((size, i) => enhancedPacket(i, size))]),
    ],
  ];
  test.each(captures)('%s cut into chunks of any size gives the same records as whole', (_name, whole) => {
    const read = (chunkSize: number) => {
      const parser = new CaptureParser();
      const records = [];
      for (let at = 0; at < whole.length; at += chunkSize)
        for (const record of parser.push(whole.subarray(at, at + chunkSize)))
          records.push({ ...record, data: Buffer.from(record.data).toString('hex') });
      return { records, stats: parser.end() };
    };
    const expected = read(whole.length);
    expect(expected.records).toHaveLength(4);
    expect(expected.stats).toMatchObject({ packets: 4, truncatedBytes: 0 });
    for (const size of [1, 2, 3, 7, 12, 16, 17, 100, 1000]) expect(read(size)).toEqual(expected);
  });

  test('an absurd length split across chunks is still an error at its byte', () => {
    const bad = Buffer.concat([pcapHeader(0xa1b2c3d4, true), pcapRecord(MAX_RECORD_BYTES + 1, 60, true)]);
    const parser = new CaptureParser();
    parser.push(bad.subarray(0, 30));
    expect(() => parser.push(bad.subarray(30))).toThrow(/claims 16777217 captured bytes at byte 24/);
  });
});

describe('buildPcapReport on a capture refused partway', () => {
  test('keeps the format and the packets read before the bad record', async () => {
    const capture = Buffer.concat([
      pcapHeader(0xa1b2c3d4, true),
      pcapRecord(60, 60, true),
      pcapRecord(MAX_RECORD_BYTES + 1, 60, true),
    ]);
    const report = await buildPcapReport([{ name: 'bad.pcap', open: () => Readable.from([capture]) }]);
    expect(report.files).toEqual([
      expect.objectContaining({
        name: 'bad.pcap',
        format: 'pcap',
        packets: 1,
        error: expect.stringMatching(/claims 16777217 captured bytes/),
      }),
    ]);
  });
});
