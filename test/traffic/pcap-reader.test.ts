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
