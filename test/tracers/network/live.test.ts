import { NetworkTracer } from '../../../src/tracers/network';
import { type LoopbackPair, startLoopbackPair } from './loopback-pair';

describe('NetworkTracer on the live /proc', () => {
  let pair: LoopbackPair;
  const tracer = new NetworkTracer();

  beforeAll(async () => {
    pair = await startLoopbackPair();
  });
  afterAll(() => pair.stop());

  const row = (c: ReturnType<NetworkTracer['connections']>[number]) =>
    `${c.protocol} ${c.local.address}:${c.local.port} ${c.remote.address}:${c.remote.port} ${c.state} pid=${c.pid} ${c.process}`;

  it('finds both listening sockets and the server that holds them', () => {
    const listening = tracer.listeners().filter((c) => c.pid === pair.server.pid);
    expect(listening.map(row).sort()).toEqual(
      [
        `tcp 127.0.0.1:${pair.ports.v4} 0.0.0.0:0 LISTEN pid=${pair.server.pid} node`,
        `tcp6 ::1:${pair.ports.v6} :::0 LISTEN pid=${pair.server.pid} node`,
      ].sort(),
    );
  });

  it('finds the established IPv4 pair in both directions with the right owners', () => {
    const [clientPort] = pair.clientPorts;
    const both = tracer.findByPort(clientPort).filter((c) => c.state === 'ESTABLISHED');
    expect(both.map(row).sort()).toEqual(
      [
        `tcp 127.0.0.1:${clientPort} 127.0.0.1:${pair.ports.v4} ESTABLISHED pid=${pair.client.pid} node`,
        `tcp 127.0.0.1:${pair.ports.v4} 127.0.0.1:${clientPort} ESTABLISHED pid=${pair.server.pid} node`,
      ].sort(),
    );
  });

  it('finds the established IPv6 pair in both directions with the right owners', () => {
    const [, clientPort] = pair.clientPorts;
    const both = tracer.connections({ ip: '0:0:0:0:0:0:0:1', port: clientPort });
    expect(both.map(row).sort()).toEqual(
      [
        `tcp6 ::1:${clientPort} ::1:${pair.ports.v6} ESTABLISHED pid=${pair.client.pid} node`,
        `tcp6 ::1:${pair.ports.v6} ::1:${clientPort} ESTABLISHED pid=${pair.server.pid} node`,
      ].sort(),
    );
  });

  it('gives every socket of the pair an inode and the owner fd that holds it', () => {
    const mine = tracer.connections().filter((c) => c.pid === pair.server.pid || c.pid === pair.client.pid);
    expect(mine).toHaveLength(6);
    for (const c of mine) {
      expect(c.inode).toBeGreaterThan(0);
      expect(c.owners).toHaveLength(1);
      expect(c.owners![0]!.fd).toBeGreaterThanOrEqual(0);
    }
  });
});
