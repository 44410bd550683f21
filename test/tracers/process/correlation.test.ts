/**
 * The live chain on one bus: a suspect address (published as the IP tracer
 * would) -> the network tracer's live connections from it -> the process
 * tracer's owners with their ancestry, on the real /proc.
 */
import { userInfo } from 'node:os';
import { Investigation } from '../../../src/core/investigation';
import type { IpThreatData } from '../../../src/core/kinds';
import { defineTracer } from '../../../src/core/tracer';
import { NetworkTracer } from '../../../src/tracers/network';
import { ProcessTracer } from '../../../src/tracers/process';
import { type LoopbackPair, startLoopbackPair } from '../network/loopback-pair';

/** Stands in for the IP tracer: publishes one ip.threat when asked. */
function suspect(ip: string) {
  let publish = () => {};
  const tracer = defineTracer({
    meta: { name: 'suspect', description: 'test stand-in for the ip tracer', consumes: [], produces: ['ip.threat'] },
    attach(ctx) {
      const data: IpThreatData = {
        ip,
        score: 90,
        reasons: [],
        type: 'localhost',
        blacklisted: false,
        firstSeen: null,
        lastSeen: null,
        counts: {},
        services: [],
      };
      publish = () => void ctx.report('ip.threat', ip, data);
    },
  });
  return { tracer, publish: () => publish() };
}

describe('ip.threat -> network.connections -> process.owner on the live /proc', () => {
  let pair: LoopbackPair;
  beforeAll(async () => {
    pair = await startLoopbackPair();
  });
  afterAll(() => pair.stop());

  it('names the server and the client holding the suspect connections, under this test process', async () => {
    const ip = suspect('::1');
    const investigation = new Investigation({
      tracers: [ip.tracer, new NetworkTracer({ resolveNames: false }), new ProcessTracer()],
    });
    ip.publish();
    await investigation.bus.settled();

    const [connections] = investigation.bus.findings('network.connections');
    expect(connections?.causedBy).toEqual({ kind: 'ip.threat', key: '::1' });
    const pairSockets = connections!.data.connections.filter(
      (c) => c.pid === pair.server.pid || c.pid === pair.client.pid,
    );
    expect(pairSockets.map((c) => `${c.local.port}->${c.remote.port} ${c.pid}`).sort()).toEqual(
      [
        `${pair.clientPorts[1]}->${pair.ports.v6} ${pair.client.pid}`,
        `${pair.ports.v6}->${pair.clientPorts[1]} ${pair.server.pid}`,
      ].sort(),
    );

    const owners = investigation.bus
      .findings('process.owner')
      .filter((f) => f.data.pid === pair.server.pid || f.data.pid === pair.client.pid);
    expect(owners.map((f) => f.key).sort()).toEqual([`${pair.client.pid}@::1`, `${pair.server.pid}@::1`].sort());
    for (const owner of owners) {
      expect(owner.causedBy).toEqual({ kind: 'network.connections', key: '::1' });
      expect(owner.depth).toBe(2);
      expect(owner.data).toMatchObject({ ip: '::1', ppid: process.pid, name: 'node', user: userInfo().username });
      expect(owner.data.ancestry[0]).toMatchObject({ pid: process.pid });
      expect(owner.data.ancestry.at(-1)?.pid).toBe(1);
    }
  });
});
