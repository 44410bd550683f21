import { once } from 'node:events';
import { connect } from 'node:net';
import type { PcapReport } from '../../../src/traffic/pcap-report';
import { cli } from '../../helpers/cli';
import { type LoopbackPeers, loopbackPeers } from '../../traffic/loopback';

async function exchange(port: number): Promise<void> {
  const client = connect(port, '127.0.0.1');
  await once(client, 'connect');
  client.write('hello\n');
  await once(client, 'data');
  client.end();
  await once(client, 'close');
}

describe('logsleuth capture', () => {
  let peers: LoopbackPeers;
  beforeAll(async () => {
    peers = await loopbackPeers(0);
  });
  afterAll(() => peers.server.close());

  test('captures on lo through tcpdump for the duration and reports the connection made meanwhile', async () => {
    const run = cli([
      'capture',
      '--interface',
      'lo',
      '--duration',
      '3s',
      '--filter',
      `tcp port ${peers.serverPort}`,
      '--json',
    ]);
    // tcpdump needs a moment before its filter sees packets.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await exchange(peers.serverPort);
    const { code, stdout, stderr } = await run;
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as PcapReport;
    expect(report.files).toEqual([
      expect.objectContaining({ name: `tcpdump -i lo tcp port ${peers.serverPort}`, format: 'pcap', error: null }),
    ]);
    expect(report.flows.list).toEqual([
      expect.objectContaining({
        protocol: 'tcp',
        initiator: '127.0.0.1',
        responderPort: peers.serverPort,
        handshakeCompleted: true,
      }),
    ]);
  }, 20_000);

  test('a missing tcpdump names the Debian package', async () => {
    const { code, stdout, stderr } = await cli(['capture', '--tcpdump', '/nonexistent/tcpdump', '--duration', '1s']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      "logsleuth: /nonexistent/tcpdump not found: install Debian's tcpdump package (apt-get install tcpdump)\n",
    );
  });

  test('a tcpdump that cannot capture reports its own reason', async () => {
    const { code, stderr } = await cli(['capture', '--interface', 'no-such-if0', '--duration', '1s']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^logsleuth: tcpdump exited with 1: .*no-such-if0.*\n$/);
  });

  test('a bad duration is refused with exit 2', async () => {
    const { code, stderr } = await cli(['capture', '--duration', 'soon']);
    expect(code).toBe(2);
    expect(stderr).toBe("logsleuth: --duration needs a time like 30s, 5m or 1h, got 'soon'\n");
  });
});
