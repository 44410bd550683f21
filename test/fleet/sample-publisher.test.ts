/**
 * An agent's /proc samples through a real nats-server: what `record` samples,
 * capped, on logsleuth.samples.<host>.<p>, each with its dedup id.
 */
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { schemaProblems } from '../../src/core/schemas';
import { ProcSampler } from '../../src/proc/sampler';
import { decodeSample, encodeSample, fleetSample } from '../../src/fleet/sample';
import { publishSamples } from '../../src/fleet/sample-publisher';
import { hostPartition } from '../../src/fleet/partition';
import { FLEET_STREAM, samplesSubject } from '../../src/fleet/subjects';
import { useNatsServer } from '../helpers/nats-server';

describe('publishSamples', () => {
  const nats = useNatsServer();

  it('publishes a sample every interval whose processes include a child of this test', async () => {
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      const controller = new AbortController();
      const sampling = publishSamples({
        connection: nats.connection,
        host: 'web.1',
        signal: controller.signal,
        intervalMs: 200,
      });
      const jsm = await jetstreamManager(nats.connection);
      // The host's partition after its token: the collector owning it stores the samples.
      const subject = `logsleuth.samples.web_1.${hostPartition('web.1')}`;
      expect(samplesSubject('web.1')).toBe(subject);
      for (;;) {
        const info = await jsm.streams.info(FLEET_STREAM).catch(() => undefined);
        if (info && info.state.messages >= 3) break;
        await sleep(50);
      }
      controller.abort();
      const report = await sampling;
      expect(report.published).toBeGreaterThanOrEqual(3);
      expect(report.dropped).toBe(0);

      const message = await jsm.streams.getMessage(FLEET_STREAM, { last_by_subj: subject });
      const sample = decodeSample(message!.data);
      expect(message!.header.get('Nats-Msg-Id')).toBe(`web.1:sample:${sample.at}`);
      expect(sample.host).toBe('web.1');
      expect(sample.intervalMs).toBe(200);
      const mine = sample.processes.find((p) => p.pid === child.pid);
      expect(mine).toMatchObject({ pid: child.pid, ppid: process.pid, name: 'sleep', cmdline: 'sleep 30' });
      // Not the first sample: CPU is a rate over the interval.
      expect(sample.system.cpuPercent).not.toBeNull();
      expect(sample.system.memory!.total).toBeGreaterThan(0);
    } finally {
      child.kill();
    }
  });

  it('drops and counts the samples it cannot publish (the connection closed)', async () => {
    const away = await connect({ servers: nats.server.url });
    await away.close();
    const controller = new AbortController();
    const errors: string[] = [];
    const sampling = publishSamples({
      connection: away,
      host: 'web2',
      signal: controller.signal,
      intervalMs: 100,
      onDropped: (error) => errors.push(error.message),
    });
    while (errors.length < 2) await sleep(20);
    controller.abort();
    const report = await sampling;
    expect(report.published).toBe(0);
    expect(report.dropped).toBe(errors.length);
  });
});

describe('fleetSample', () => {
  const snapshot = new ProcSampler().sample();

  it('keeps every process and socket under the caps, without raw files, valid against its schema', () => {
    const sample = fleetSample('web1', snapshot, 5000);
    expect(sample.processes).toHaveLength(snapshot.processes.length);
    expect(sample.sockets).toHaveLength(snapshot.sockets.length);
    expect(sample.cut).toEqual({ processes: 0, sockets: 0 });
    expect(sample).not.toHaveProperty('raw');
    expect(schemaProblems('fleet-sample', sample)).toEqual([]);
    expect(decodeSample(encodeSample(sample))).toEqual(sample);
  });

  it('cuts to the caps, keeping the busiest processes, and counts what it cut', () => {
    const processes = [
      { ...snapshot.processes[0]!, pid: 10, cpuPercent: 1, rss: 5 },
      { ...snapshot.processes[0]!, pid: 11, cpuPercent: 50, rss: 1 },
      { ...snapshot.processes[0]!, pid: 12, cpuPercent: 1, rss: 9 },
    ];
    const sample = fleetSample('web1', { ...snapshot, processes }, 5000, { processes: 2, sockets: 0 });
    expect(sample.processes.map((p) => p.pid)).toEqual([11, 12]);
    expect(sample.cut).toEqual({ processes: 1, sockets: snapshot.sockets.length });
  });

  it('refuses what is not a sample', () => {
    expect(() => decodeSample(Buffer.from('nope'))).toThrow(/^not a sample: /);
    const wrong = encodeSample({ ...fleetSample('web1', snapshot, 5000), version: 2 } as never);
    expect(() => decodeSample(wrong)).toThrow('not a sample: /version must be equal to constant');
  });
});
