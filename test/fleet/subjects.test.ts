import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { hostPartition } from '../../src/fleet/partition';
import {
  ALL_EVENTS,
  ALL_SAMPLES,
  FLEET_STREAM,
  allHosts,
  eventsSubject,
  fleetStreamConfig,
  fleetSubject,
  hostToken,
  partitionEvents,
  partitionSamples,
  samplesSubject,
  subjectHost,
} from '../../src/fleet/subjects';
import { type NatsServer, startNatsServer } from '../helpers/nats-server';

describe('fleet subjects', () => {
  it('puts the host in the last token, made safe', () => {
    expect(fleetSubject('events', 'web.example.org')).toBe('logsleuth.events.web_example_org');
    expect(fleetSubject('findings', 'db 1')).toBe('logsleuth.findings.db_1');
    expect(allHosts('samples')).toBe('logsleuth.samples.*');
    expect(eventsSubject('web.example.org', 7)).toBe('logsleuth.events.web_example_org.7');
    expect(partitionEvents(7)).toBe('logsleuth.events.*.7');
    expect(ALL_EVENTS).toBe('logsleuth.events.>');
    expect(() => hostToken('')).toThrow(RangeError);
  });

  it("puts a host's samples in its host partition, after the host", () => {
    expect(hostPartition('web.example.org')).toBe(9);
    expect(samplesSubject('web.example.org')).toBe('logsleuth.samples.web_example_org.9');
    expect(partitionSamples(7)).toBe('logsleuth.samples.*.7');
    expect(ALL_SAMPLES).toBe('logsleuth.samples.>');
    expect(subjectHost(samplesSubject('web.example.org'))).toBe('web_example_org');
    expect(subjectHost('logsleuth.samples.db1')).toBe('db1');
    expect(subjectHost('logsleuth.samples')).toBeUndefined();
  });

  describe('against nats-server', () => {
    let server: NatsServer;
    beforeAll(async () => (server = await startNatsServer()));
    afterAll(async () => server.stop());

    it('is accepted as a stream that captures every kind', async () => {
      const nc = await connect({ servers: server.url });
      try {
        const jsm = await jetstreamManager(nc);
        await jsm.streams.add(fleetStreamConfig());
        const info = await jsm.streams.info(FLEET_STREAM);
        expect(info.config.subjects).toEqual(['logsleuth.>']);
        expect(info.config.duplicate_window).toBe(fleetStreamConfig().duplicate_window);
      } finally {
        await nc.close();
      }
    });
  });
});
