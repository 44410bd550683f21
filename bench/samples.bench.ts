/**
 * What an agent's sampling costs: one /proc sample (ProcSampler, as `record`
 * takes it) cut to a FleetSample and gzip'd, in CPU ms and bytes; and the
 * agent's CPU while publishing a sample every second to a real nats-server
 * for 10 s. `npm run bench -- samples`.
 */
import { connect } from '@nats-io/transport-node';
import { setTimeout as sleep } from 'node:timers/promises';
import { encodeSample, fleetSample } from '../src/fleet/sample';
import { publishSamples } from '../src/fleet/sample-publisher';
import { ProcSampler } from '../src/proc/sampler';
import { startNatsServer } from '../test/helpers/nats-server';
import type { Figure } from './run';

export const name = 'samples';
const ROUNDS = 50;
const FOLLOW_MS = 10_000;

const cpuMs = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1000;

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
  try {
    const controller = new AbortController();
    const start = process.cpuUsage();
    const sampling = publishSamples({ connection, host: 'bench', signal: controller.signal, intervalMs: 1000 });
    await sleep(FOLLOW_MS);
    controller.abort();
    report = await sampling;
    publishing = cpuMs(process.cpuUsage(start));
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
  ];
}
