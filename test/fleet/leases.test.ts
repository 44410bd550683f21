/**
 * Partition leases in a real nats-server's key-value bucket: members share the
 * 16 partitions, never hold one at once, take a silent member's after the TTL
 * and a released one at their next tick.
 */
import { Kvm } from '@nats-io/kv';
import { type NatsConnection } from '@nats-io/transport-node';
import { setTimeout as sleep } from 'node:timers/promises';
import { PartitionLeases, leaseBucket, leaseTarget, partitionKey } from '../../src/fleet/leases';
import { PARTITIONS } from '../../src/fleet/partition';
import { useNatsServer } from '../helpers/nats-server';

const TTL = 3_000;
const settled = async () => undefined;

describe('leaseTarget, partitionKey and leaseBucket', () => {
  it.each([
    [0, 16],
    [1, 16],
    [2, 8],
    [3, 6],
    [5, 4],
    [16, 1],
    [20, 1],
  ])('gives each of %i member(s) at most %i partitions', (members, target) => {
    expect(leaseTarget(members)).toBe(target);
  });

  it('names keys and buckets in the characters NATS allows', () => {
    expect(partitionKey(7)).toBe('partition.07');
    expect(leaseBucket('logsleuth-collector')).toBe('logsleuth-leases-logsleuth-collector');
    expect(leaseBucket('a.b c')).toBe('logsleuth-leases-a_b_c');
  });

  it('refuses a TTL under 3 s', () => {
    expect(() => new PartitionLeases({ connection: {} as NatsConnection, durable: 'd', ttlMs: 1_000 })).toThrow(
      'at least 3000 ms',
    );
  });
});

describe('members sharing the partitions by lease (real nats-server)', () => {
  const nats = useNatsServer();

  /** Ticks every member until `done` holds (jest's timeout bounds it). */
  async function tickUntil(members: PartitionLeases[], done: () => boolean): Promise<void> {
    while (!done()) {
      for (const member of members) await member.tick(settled);
      await sleep(100);
    }
  }

  it('splits 16 partitions 8 and 8, disjoint, and a lone member gets them all', async () => {
    const a = new PartitionLeases({ connection: nats.connection, durable: 'split', member: 'a', ttlMs: TTL });
    await a.start();
    expect(a.readable()).toEqual([...Array(PARTITIONS).keys()]);
    const b = new PartitionLeases({ connection: nats.connection, durable: 'split', member: 'b', ttlMs: TTL });
    await b.start();
    expect(b.readable()).toEqual([]);
    await tickUntil([a, b], () => a.readable().length === 8 && b.readable().length === 8);
    expect(a.memberCount).toBe(2);
    expect([...a.readable(), ...b.readable()].sort((x, y) => x - y)).toEqual([...Array(PARTITIONS).keys()]);
    // The bucket says who holds what.
    const kv = await new Kvm(nats.connection).open(leaseBucket('split'));
    const holder = await kv.get(partitionKey(b.readable()[0]!));
    expect((holder!.json() as { member: string }).member).toBe('b');
    await a.stop(settled);
    await b.stop(settled);
  });

  it('never lets a second member create a lease another holds', async () => {
    const a = new PartitionLeases({ connection: nats.connection, durable: 'exclusive', member: 'a', ttlMs: TTL });
    await a.start();
    const kv = await new Kvm(nats.connection).open(leaseBucket('exclusive'));
    await expect(kv.create(partitionKey(3), 'intruder')).rejects.toThrow();
    await a.stop(settled);
    await expect(kv.create(partitionKey(3), 'next')).resolves.toBeGreaterThan(0);
  });

  it("takes a silent member's partitions only after the TTL, and a released one at once", async () => {
    const a = new PartitionLeases({ connection: nats.connection, durable: 'takeover', member: 'a', ttlMs: TTL });
    const b = new PartitionLeases({ connection: nats.connection, durable: 'takeover', member: 'b', ttlMs: TTL });
    await a.start();
    await b.start();
    await tickUntil([a, b], () => a.readable().length === 8 && b.readable().length === 8);
    const silentSince = Date.now();
    // a stops ticking, as a process killed or paused would: its keys stay until the server expires them.
    await tickUntil([b], () => b.readable().length === PARTITIONS);
    expect(Date.now() - silentSince).toBeGreaterThanOrEqual(TTL - 1_000 / 3);
    expect(b.memberCount).toBe(1);
    // a comes back: its leases ran out on its own clock too, and it holds nothing until b gives some back.
    expect(a.readable()).toEqual([]);
    await tickUntil([a, b], () => a.readable().length === 8 && b.readable().length === 8);
    const stoppedAt = Date.now();
    await a.stop(settled);
    await b.tick(settled);
    expect(b.readable().length).toBe(PARTITIONS);
    expect(Date.now() - stoppedAt).toBeLessThan(TTL);
    await b.stop(settled);
  });
});
