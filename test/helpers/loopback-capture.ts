/**
 * Captures loopback traffic with tcpdump while a test makes it, and reads the
 * capture back as decoded packets with their frames.
 */
import { execFileSync } from 'node:child_process';
import { createReadStream, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodePacket, type DecodedPacket } from '../../src/traffic/decode';
import { readPackets } from '../../src/traffic/pcap-reader';
import { captureLoopback as captureLoopbackFile } from '../traffic/loopback';

const dir = mkdtempSync(join(tmpdir(), 'pcapapp-'));

/** Runs tcpdump on lo for the given ports while `traffic` runs; returns the file (named `name` in a temp dir). */
export async function captureLoopback(name: string, ports: number[], traffic: () => Promise<void>): Promise<string> {
  return captureLoopbackFile(join(dir, name), [], ports, traffic);
}

/** Every packet of a capture that decodes, with the payload it carries. */
export async function capturedPayloads(file: string): Promise<{ packet: DecodedPacket; payload: Buffer }[]> {
  const out: { packet: DecodedPacket; payload: Buffer }[] = [];
  for await (const record of readPackets(createReadStream(file))) {
    const result = decodePacket(record.linkType, record.data);
    if (!result.ok) continue;
    const { payloadOffset, payloadLength } = result.packet;
    out.push({
      packet: result.packet,
      payload: Buffer.from(record.data.subarray(payloadOffset, payloadOffset + payloadLength)),
    });
  }
  return out;
}

/** One line per packet tshark shows, its fields tab-separated; packets without them dropped. */
export function tsharkFields(file: string, decodeAs: string[], fields: string[]): string[][] {
  const args = ['-r', file, '-T', 'fields', ...decodeAs.flatMap((rule) => ['-d', rule])];
  const text = execFileSync('tshark', [...args, ...fields.flatMap((field) => ['-e', field])], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return text
    .split('\n')
    .map((line) => line.split('\t'))
    .filter((row) => row.some((field) => field !== ''));
}
