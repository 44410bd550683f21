import { execFileSync } from 'node:child_process';
import { createReadStream, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureFlows, type CaptureFlows } from '../../src/traffic/capture-flows';
import { findSynScans } from '../../src/traffic/syn-scan';
import { once } from 'node:events';
import { connect } from 'node:net';
import { captureLoopback, freePort, type LoopbackPeers, loopbackPeers, loopbackTraffic } from './loopback';

const dir = mkdtempSync(join(tmpdir(), 'pcap-'));

interface Conversation {
  key: string;
  packets: number;
  bytes: number;
}

/** tshark's TCP and UDP conversations, keyed by both endpoints in sorted order. */
function tsharkConversations(file: string): Conversation[] {
  const text = execFileSync('tshark', ['-q', '-z', 'conv,tcp', '-z', 'conv,udp', '-r', file], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const rows: Conversation[] = [];
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields[1] !== '<->') continue;
    const key = [fields[0]!, fields[2]!].sort().join(' ');
    // fields: A <-> B framesIn bytesIn unit framesOut bytesOut unit frames bytes unit ...
    rows.push({ key, packets: Number(fields[9]), bytes: Number(fields[10]) * (fields[11] === 'kB' ? 1000 : 1) });
  }
  return rows.sort((a, b) => a.key.localeCompare(b.key));
}

function ourConversations(result: CaptureFlows): Conversation[] {
  return result.flows
    .map((flow) => ({
      key: [`${flow.initiator}:${flow.initiatorPort}`, `${flow.responder}:${flow.responderPort}`].sort().join(' '),
      packets: flow.packetsOut + flow.packetsIn,
      bytes: flow.bytesOut + flow.bytesIn,
    }))
    .sort((a, b) => a.key.localeCompare(b.key));
}

describe('loopback captures made by tcpdump', () => {
  let peers: LoopbackPeers;
  beforeAll(async () => {
    peers = await loopbackPeers();
  });
  afterAll(() => peers.server.close());

  const formats: [string, string[]][] = [
    ['pcap', []],
    ['pcap with nanosecond timestamps', ['--time-stamp-precision=nano']],
    ['pcapng (rewritten by editcap)', []],
  ];
  test.each(formats)(
    '%s: the same flows, packets and bytes as tshark, and the scan found',
    async (name, args) => {
      const { serverPort, udpPort, closed } = peers;
      const file = await captureLoopback(
        join(dir, `${name.replace(/\W+/g, '-')}.cap`),
        args,
        [serverPort, udpPort, ...closed],
        () => loopbackTraffic(peers),
      );
      if (name.startsWith('pcapng')) execFileSync('editcap', ['-F', 'pcapng', file, `${file}ng`]);
      const read = name.startsWith('pcapng') ? `${file}ng` : file;
      const result = await captureFlows(createReadStream(read));
      expect(result.reader.format).toBe(name.startsWith('pcapng') ? 'pcapng' : 'pcap');
      expect(ourConversations(result)).toEqual(tsharkConversations(read));
      expect(result.flows).toHaveLength(14);
      const established = result.flows.find((flow) => flow.responderPort === serverPort)!;
      expect(established).toMatchObject({ handshakeCompleted: true, initiator: '127.0.0.1', resetBy: null });
      const probes = result.flows.filter((flow) => closed.includes(flow.responderPort));
      expect(probes.every((flow) => !flow.handshakeCompleted && flow.resetBy === 'responder')).toBe(true);
      const suspects = findSynScans(result.flows);
      expect(suspects).toEqual([
        expect.objectContaining({
          source: '127.0.0.1',
          probed: 13,
          completed: 1,
          targets: ['127.0.0.1'],
          hosts: 1,
          acrossHosts: false,
        }),
      ]);
      const first = Math.min(...result.flows.map((flow) => flow.first));
      expect(Math.abs(first - Date.now() / 1000)).toBeLessThan(60);
    },
    30_000,
  );
});

describe('a sweep across hosts', () => {
  it('is one suspect probing one closed port on twelve hosts, marked as a sweep', async () => {
    const port = await freePort();
    const hosts = Array.from({ length: 12 }, (_, i) => `127.0.0.${i + 2}`);
    const file = await captureLoopback(join(dir, 'sweep.pcap'), [], [port], async () => {
      for (const host of hosts) {
        const probe = connect(port, host);
        await once(probe, 'error');
      }
    });
    const { flows } = await captureFlows(createReadStream(file));
    expect(findSynScans(flows)).toEqual([
      expect.objectContaining({ source: '127.0.0.1', probed: 12, completed: 0, hosts: 12, acrossHosts: true }),
    ]);
  }, 30_000);
});
