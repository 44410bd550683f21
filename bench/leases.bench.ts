/**
 * How fast partition leases move (`collect --partition auto`), two members on
 * a real nats-server with the default TTL, each keeping its leases as a
 * collector does (a tick every third of the TTL, and at once on a release): a second member joining until both hold 8; a member
 * stopped cleanly until the other holds 16; a member gone silent (killed)
 * until the other holds 16. `npm run bench -- leases`.
 */
import { connect } from '@nats-io/transport-node';
import { setTimeout as sleep } from 'node:timers/promises';
import { PartitionLeases } from '../src/fleet/leases';
import { DEFAULT_LEASE_TTL_MS, PARTITIONS } from '../src/fleet/partition';
import { startNatsServer } from '../test/helpers/nats-server';
import type { Figure } from './run';

export const name = 'leases';
const settled = async () => undefined;

/** Seconds until `done`. */
async function until(done: () => boolean): Promise<number> {
  const started = performance.now();
  while (!done()) await sleep(20);
  return (performance.now() - started) / 1000;
}

const holds = (member: PartitionLeases, count: number) => () => member.readable().length === count;

export async function run(): Promise<Figure[]> {
  const server = await startNatsServer();
  const connection = await connect({ servers: server.url });
  try {
    const lease = (durable: string) => new PartitionLeases({ connection, durable });
    const [a, b, c] = [lease('bench'), lease('bench'), lease('bench')];
    await a.start();
    const keepA = a.keep(settled);
    await b.start();
    const keepB = b.keep(settled);
    const join = await until(() => holds(a, 8)() && holds(b, 8)());
    await keepA();
    const stopped = performance.now();
    await a.stop(settled);
    const clean = (performance.now() - stopped) / 1000 + (await until(holds(b, PARTITIONS)));
    await c.start();
    const keepC = c.keep(settled);
    await until(() => holds(b, 8)() && holds(c, 8)());
    // c goes silent, as a killed process: it neither renews nor releases.
    await keepC();
    const killed = await until(holds(b, PARTITIONS));
    await keepB();
    await b.stop(settled);
    const ttl = `TTL ${DEFAULT_LEASE_TTL_MS / 1000} s, ticks every ${a.intervalMs / 1000} s`;
    return [
      { measure: 'a second member joins: until both hold 8', value: join, unit: 's', note: ttl },
      { measure: 'a member stops cleanly: until the other holds 16', value: clean, unit: 's', note: ttl },
      {
        measure: 'a member is killed: until the other holds 16',
        value: killed,
        unit: 's',
        note: `${ttl}; from its last tick`,
      },
    ];
  } finally {
    await connection.close();
    await server.stop();
  }
}
