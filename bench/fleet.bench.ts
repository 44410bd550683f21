/**
 * The fleet's throughput through a real nats-server (127.0.0.1, JetStream in a
 * temp dir): one agent shipping a generated auth.log, then one collector
 * draining it into the tracers, in events per second each, and the compressed
 * bytes per event on the wire. `npm run bench -- fleet`; FLEET_BENCH_LINES sets
 * the size (default 200,000). Then the same as processes (bench/fleet-processes.ts):
 * two agents, one and two collectors, and an agent's CPU while following.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { Agent } from '../src/fleet/agent';
import { Collector } from '../src/fleet/collector';
import { FLEET_STREAM } from '../src/fleet/subjects';
import { startNatsServer } from '../test/helpers/nats-server';
import { generateAuthLog } from './generate-logs';
import type { Figure } from './run';
import { fleetProcesses } from './fleet-processes';

export const name = 'fleet';
const LINES = Number(process.env['FLEET_BENCH_LINES'] ?? 200_000);

export async function run(): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'logsleuth-fleet-bench-'));
  const server = await startNatsServer();
  const connection = await connect({ servers: server.url });
  try {
    const path = join(dir, 'auth.log');
    writeFileSync(path, generateAuthLog(LINES));
    const time = { timezone: 'UTC', referenceDate: Date.parse('2026-12-31') };
    let start = performance.now();
    const sent = await new Agent({ connection, host: 'bench' }).ship([path], time);
    const shipSeconds = (performance.now() - start) / 1000;
    const bytes = (await (await jetstreamManager(connection)).streams.info(FLEET_STREAM)).state.bytes;
    start = performance.now();
    const collector = new Collector({ connection });
    const got = await collector.drain();
    const { cases } = await collector.result();
    const collectSeconds = (performance.now() - start) / 1000;
    const note = `${sent.events.toLocaleString('en-US')} events, ${sent.batches} batches`;
    return [
      { measure: 'agent: read, parse, batch, gzip, publish', value: sent.events / shipSeconds, unit: 'events/s', note },
      {
        measure: 'collector: fetch, gunzip, decode, tracers, cases',
        value: got.events / collectSeconds,
        unit: 'events/s',
        note: `${cases.length} cases`,
      },
      { measure: 'stored per event (gzip JSON + JetStream overhead)', value: bytes / sent.events, unit: 'bytes' },
      ...(await fleetProcesses(server.url, dir, LINES / 2, sent.events)),
    ];
  } finally {
    await connection.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
