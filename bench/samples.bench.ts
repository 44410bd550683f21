/**
 * What an agent's sampling costs: one /proc sample (ProcSampler, as `record`
 * takes it) cut to a FleetSample and gzip'd, in CPU ms and bytes; and the
 * agent's CPU while publishing a sample every second to a real nats-server
 * for 10 s; and a collector storing samples (`collect --store`): wall, CPU (all
 * threads) and store bytes per sample. `npm run bench -- samples`.
 */
import { jetstream } from '@nats-io/jetstream';
import { type NatsConnection, connect } from '@nats-io/transport-node';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Collector } from '../src/fleet/collector';
import { openCollectorStore } from '../src/fleet/collector-store';
import { type FleetSample, encodeSample, fleetSample, sampleId } from '../src/fleet/sample';
import { publishSamples } from '../src/fleet/sample-publisher';
import { ensureFleetStream, samplesSubject } from '../src/fleet/subjects';
import { ProcSampler } from '../src/proc/sampler';
import { startNatsServer } from '../test/helpers/nats-server';
import type { Figure } from './run';

export const name = 'samples';
const ROUNDS = 50;
const FOLLOW_MS = 10_000;
/** Samples a collector stores in the last figure. */
const STORED = 500;

const cpuMs = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1000;

/** Publishes `sample` STORED times (one time apart each), then drains them into a new store: ms wall and CPU, bytes, per sample. */
async function storing(connection: NatsConnection, sample: FleetSample): Promise<[number, number, number]> {
  await ensureFleetStream(connection);
  const js = jetstream(connection);
  for (let i = 0; i < STORED; i++) {
    const at = sample.at + i * 5000;
    await js.publish(samplesSubject('bench'), encodeSample({ ...sample, at }), {
      msgID: sampleId({ host: 'bench', at }),
    });
  }
  const dir = mkdtempSync(join(tmpdir(), 'logsleuth-bench-samples-'));
  try {
    const path = join(dir, 'store.duckdb');
    const started = performance.now();
    const cpu = process.cpuUsage();
    const store = await openCollectorStore(path, { durable: 'bench' });
    const collector = new Collector({ connection, durable: 'bench', store });
    await collector.drain();
    await store.finish(await collector.result());
    // The stream also holds the samples published above.
    const { samples } = store.stats();
    if (samples < STORED) throw new Error(`stored ${samples} of at least ${STORED} samples`);
    const wall = performance.now() - started;
    return [wall / samples, cpuMs(process.cpuUsage(cpu)) / samples, statSync(path).size / samples];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<Figure[]> {
  const sampler = new ProcSampler();
  sampler.sample();
  let bytes = 0;
  let processes = 0;
  let sockets = 0;
  const before = process.cpuUsage();
  for (let i = 0; i < ROUNDS; i++) {
    const snapshot = sampler.sample();
    processes = snapshot.processes.length;
    sockets = snapshot.sockets.length;
    bytes = encodeSample(fleetSample('bench', snapshot, 5000)).length;
  }
  const perSample = cpuMs(process.cpuUsage(before)) / ROUNDS;

  const server = await startNatsServer();
  const connection = await connect({ servers: server.url });
  let report;
  let publishing: number;
  let stored: [number, number, number];
  let kept: FleetSample;
  try {
    const controller = new AbortController();
    const start = process.cpuUsage();
    const sampling = publishSamples({ connection, host: 'bench', signal: controller.signal, intervalMs: 1000 });
    await sleep(FOLLOW_MS);
    controller.abort();
    report = await sampling;
    publishing = cpuMs(process.cpuUsage(start));
    kept = fleetSample('bench', sampler.sample(), 5000);
    stored = await storing(connection, kept);
  } finally {
    await connection.close();
    await server.stop();
  }
  return [
    {
      measure: 'one sample: read /proc, cut, gzip',
      value: perSample,
      unit: 'ms CPU',
      note: `${processes} processes, ${sockets} sockets, mean of ${ROUNDS}`,
    },
    { measure: 'one sample on the wire', value: bytes, unit: 'bytes', note: "gzip'd JSON" },
    {
      measure: 'agent sampling every 1 s, published',
      value: (100 * publishing) / FOLLOW_MS,
      unit: '% of one core',
      note: `${report.published} published, ${report.dropped} dropped in ${FOLLOW_MS / 1000} s; at the 5 s default about a fifth`,
    },
    {
      measure: 'collector storing a sample (collect --store)',
      value: stored[0],
      unit: 'ms wall',
      note: `${STORED} and more samples of ${kept.processes.length} processes and ${kept.sockets.length} sockets drained into a new store, gold included`,
    },
    { measure: 'the same, CPU of all threads', value: stored[1], unit: 'ms CPU', note: 'per sample' },
    { measure: 'the same, store file', value: stored[2], unit: 'bytes', note: 'per sample' },
  ];
}
