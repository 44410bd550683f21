/**
 * The capture reader's throughput: a pcap of 2,000,000 small TCP packets
 * (Ethernet, IPv4, TCP, 60 bytes each) over 50,000 flows, written to a temp
 * file before timing, read through reader + decode + flow table (target
 * >= 1,000,000 packets/s). Before it, the memory of a flow table holding
 * 100,000 flows (one SYN each), as RSS and live heap per 100,000 flows.
 */
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { captureFlows } from '../src/traffic/capture-flows';
import type { Figure } from './run';

export const name = 'pcap';

const PACKETS = 2_000_000;
const FLOWS = 50_000;
const FRAME = 60;
const RECORD = 16 + FRAME;

function gc(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/** A pcap (microseconds, Ethernet) whose packet `i` belongs to flow `flowOf(i)`, alternating direction. */
function capture(packets: number, flowOf: (i: number) => number): Buffer {
  const buf = Buffer.alloc(24 + packets * RECORD);
  buf.writeUInt32LE(0xa1b2c3d4, 0);
  buf.writeUInt16LE(2, 4);
  buf.writeUInt16LE(4, 6);
  buf.writeUInt32LE(262144, 16);
  buf.writeUInt32LE(1, 20);
  for (let i = 0; i < packets; i++) {
    const at = 24 + i * RECORD;
    const flow = flowOf(i);
    const reply = i % 2 === 1;
    buf.writeUInt32LE(1_700_000_000 + Math.floor(i / 100_000), at);
    buf.writeUInt32LE((i * 10) % 1_000_000, at + 4);
    buf.writeUInt32LE(FRAME, at + 8);
    buf.writeUInt32LE(FRAME, at + 12);
    const frame = at + 16;
    buf.writeUInt16BE(0x0800, frame + 12);
    const ip = frame + 14;
    buf[ip] = 0x45;
    buf.writeUInt16BE(FRAME - 14, ip + 2);
    buf[ip + 8] = 64;
    buf[ip + 9] = 6;
    // Client 10.x.y.z (one per flow), server 192.0.2.1 on port 443.
    const client = [10, (flow >> 16) & 0xff, (flow >> 8) & 0xff, flow & 0xff];
    const server = [192, 0, 2, 1];
    Buffer.from(reply ? server : client).copy(buf, ip + 12);
    Buffer.from(reply ? client : server).copy(buf, ip + 16);
    const tcp = ip + 20;
    const clientPort = 1024 + (flow % 60000);
    buf.writeUInt16BE(reply ? 443 : clientPort, tcp);
    buf.writeUInt16BE(reply ? clientPort : 443, tcp + 2);
    buf[tcp + 12] = 0x50;
    buf[tcp + 13] = i < FLOWS * 2 ? (reply ? 0x12 : 0x02) : 0x10;
  }
  return buf;
}

async function timed(file: string): Promise<{ seconds: number; flows: number; decoded: number }> {
  const start = process.hrtime.bigint();
  const result = await captureFlows(createReadStream(file, { highWaterMark: 1 << 20 }));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { seconds, flows: result.flows.length, decoded: result.decoded };
}

export async function run(): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'pcap-bench-'));
  try {
    // Memory first, while the heap holds nothing else: RSS after a large read would not come back down.
    const many = join(dir, 'many.pcap');
    writeFileSync(
      many,
      capture(100_000, (i) => i),
    );
    gc();
    const rss = process.memoryUsage().rss;
    const heap = process.memoryUsage().heapUsed;
    const held = await captureFlows(createReadStream(many, { highWaterMark: 1 << 20 }));
    gc();
    const rssPer = process.memoryUsage().rss - rss;
    const heapPer = process.memoryUsage().heapUsed - heap;
    if (held.flows.length !== 100_000) throw new Error(`held ${held.flows.length} flows`);
    const big = join(dir, 'big.pcap');
    // Flow of packet i: pairs of packets (out, back) cycle through the flows.
    writeFileSync(
      big,
      capture(PACKETS, (i) => Math.floor(i / 2) % FLOWS),
    );
    await timed(big); // warm-up: JIT and file cache
    const { seconds, flows, decoded } = await timed(big);
    if (decoded !== PACKETS || flows !== FLOWS) throw new Error(`read ${decoded} packets into ${flows} flows`);

    return [
      {
        measure: `reader + decode + flows (${PACKETS.toLocaleString('en-US')} packets, ${FLOWS.toLocaleString('en-US')} flows)`,
        value: Math.round(PACKETS / seconds),
        unit: 'packets/s',
        note: `target 1,000,000; ${seconds.toFixed(2)} s`,
      },
      { measure: 'RSS per 100,000 flows', value: rssPer / 2 ** 20, unit: 'MiB' },
      { measure: 'live heap per 100,000 flows', value: heapPer / 2 ** 20, unit: 'MiB' },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
