import { decodePacket, LINKTYPE, type DecodedPacket } from '../../src/traffic/decode';
import { FlowTable } from '../../src/traffic/flows';

/** A raw IPv4 TCP segment (no link layer) between two addresses given as 32-bit numbers. */
function ipv4Tcp(src: number, dst: number, srcPort: number, dstPort: number, flags: number): Buffer {
  const frame = Buffer.alloc(40);
  frame[0] = 0x45;
  frame.writeUInt16BE(40, 2);
  frame[9] = 6;
  frame.writeUInt32BE(src, 12);
  frame.writeUInt32BE(dst, 16);
  frame.writeUInt16BE(srcPort, 20);
  frame.writeUInt16BE(dstPort, 22);
  frame[32] = 0x50;
  frame[33] = flags;
  return frame;
}

/** A raw IPv6 UDP datagram with an empty payload. */
function ipv6Udp(src: string, dst: string, srcPort: number, dstPort: number): Buffer {
  const frame = Buffer.alloc(48);
  frame[0] = 0x60;
  frame.writeUInt16BE(8, 4);
  frame[6] = 17;
  Buffer.from(src, 'hex').copy(frame, 8);
  Buffer.from(dst, 'hex').copy(frame, 24);
  frame.writeUInt16BE(srcPort, 40);
  frame.writeUInt16BE(dstPort, 42);
  return frame;
}

function decoded(frame: Buffer): DecodedPacket {
  const result = decodePacket(LINKTYPE.RAW, frame);
  if (!result.ok) throw new Error(`not decoded: ${result.reason}`);
  return result.packet;
}

const SYN = 0x02;
const SYN_ACK = 0x12;
const ACK = 0x10;

describe('the flow table', () => {
  test('100,000 flows, each answered, are 100,000 flows of one packet each way', () => {
    const table = new FlowTable();
    for (let i = 0; i < 100_000; i++) {
      const client = 0x0a000000 + i;
      table.add(decoded(ipv4Tcp(client, 0xc0000201, 1024 + (i % 50_000), 443, SYN)), 60, i);
      table.add(decoded(ipv4Tcp(0xc0000201, client, 443, 1024 + (i % 50_000), SYN_ACK)), 60, i);
    }
    const flows = table.list();
    expect(flows).toHaveLength(100_000);
    expect(flows.every((flow) => flow.packetsOut === 1 && flow.packetsIn === 1)).toBe(true);
    expect(flows[99_999]).toMatchObject({ initiator: '10.1.134.159', responder: '192.0.2.1', responderPort: 443 });
  });

  test('past the limit new flows are counted, not tracked, and known flows still count', () => {
    const table = new FlowTable(10);
    for (let port = 1; port <= 25; port++) table.add(decoded(ipv4Tcp(0x0a000001, 0x0a000002, 40000, port, SYN)), 60, 1);
    table.add(decoded(ipv4Tcp(0x0a000002, 0x0a000001, 1, 40000, SYN_ACK)), 60, 2);
    expect(table.size).toBe(10);
    expect(table.untrackedPackets).toBe(15);
    expect(table.list()[0]).toMatchObject({ responderPort: 1, packetsIn: 1, handshakeStage: 2 });
  });

  test('a capture that starts at the SYN-ACK makes its receiver the initiator', () => {
    const table = new FlowTable();
    table.add(decoded(ipv4Tcp(0xc0000201, 0x0a000001, 443, 50000, SYN_ACK)), 60, 1);
    table.add(decoded(ipv4Tcp(0x0a000001, 0xc0000201, 50000, 443, ACK)), 60, 2);
    expect(table.list()).toEqual([
      expect.objectContaining({ initiator: '10.0.0.1', initiatorPort: 50000, packetsOut: 1, packetsIn: 1 }),
    ]);
  });

  test('IPv6 flows match both ways and report their addresses in RFC 5952 form', () => {
    const a = '20010db8000000000000000000000001';
    const b = '20010db80000000000000000000000ff';
    const table = new FlowTable();
    table.add(decoded(ipv6Udp(a, b, 5353, 53)), 62, 1);
    table.add(decoded(ipv6Udp(b, a, 53, 5353)), 62, 2);
    table.add(decoded(ipv6Udp(a, b, 5354, 53)), 62, 3);
    expect(table.list().map((flow) => [flow.initiator, flow.initiatorPort, flow.responder, flow.packetsIn])).toEqual([
      ['2001:db8::1', 5353, '2001:db8::ff', 1],
      ['2001:db8::1', 5354, '2001:db8::ff', 0],
    ]);
  });
});
