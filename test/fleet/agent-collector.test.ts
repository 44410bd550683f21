/**
 * Agent to collector through a real nats-server: the collector's cases match
 * `logsleuth analyze` on the same file, and a batch sent twice counts once.
 */
import { jetstreamManager } from '@nats-io/jetstream';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Case } from '../../src/core/case';
import { Agent } from '../../src/fleet/agent';
import { MAX_BATCH_BYTES, decodeBatch, encodeBatch } from '../../src/fleet/batch';
import { Collector } from '../../src/fleet/collector';
import { DEFAULT_SPOOL_BYTES, Spool } from '../../src/fleet/spool';
import { hostPartition, partitionOf } from '../../src/fleet/partition';
import { FLEET_STREAM, eventsSubject, fleetSubject } from '../../src/fleet/subjects';
import { readEvents } from '../../src/logs/read-events';
import { readLines } from '../../src/logs/sources';
import { cli } from '../helpers/cli';
import { useNatsServer } from '../helpers/nats-server';

const AUTH_LOG = join(__dirname, '../fixtures/logs/auth.log');
const TIME = { timezone: 'UTC', referenceDate: Date.parse('2026-12-31T00:00:00Z') };

async function fileEvents() {
  const events = [];
  for await (const event of readEvents(readLines([AUTH_LOG]), TIME)) events.push(event);
  return events;
}

describe('Agent and Collector over JetStream', () => {
  const nats = useNatsServer();

  it('yields the cases analyze finds, with resent batches dropped', async () => {
    const agent = new Agent({ connection: nats.connection, host: 'web1', batchSize: 4 });
    const shipped = await agent.ship([AUTH_LOG], TIME);
    const events = await fileEvents();
    const partitions = new Map<number, number>();
    for (const event of events) {
      const partition = partitionOf(event, hostPartition('web1'));
      partitions.set(partition, (partitions.get(partition) ?? 0) + 1);
    }
    expect(partitions.size).toBeGreaterThan(1);
    expect(shipped).toEqual({
      batches: [...partitions.values()].reduce((total, n) => total + Math.ceil(n / 4), 0),
      events: events.length,
      duplicates: 0,
      oversized: 0,
    });

    // The same events again, as after an agent restart: every batch is a duplicate.
    const resent = await agent.publish(events);
    expect(resent).toEqual({ ...shipped, duplicates: shipped.batches });
    const jsm = await jetstreamManager(nats.connection);
    const stream = await jsm.streams.info(FLEET_STREAM);
    expect(stream.state.messages).toBe(shipped.batches);
    // Each batch is on its partition's subject, holds that partition's events only, and is named by the byte
    // offset of its first event in the file.
    for (let seq = stream.state.first_seq; seq <= stream.state.last_seq; seq++) {
      const message = (await jsm.streams.getMessage(FLEET_STREAM, { seq }))!;
      const batch = decodeBatch(message.data);
      const partition = partitionOf(batch.events[0]!, hostPartition('web1'));
      expect(message.subject).toBe(eventsSubject('web1', partition));
      expect(batch.events.map((event) => partitionOf(event, hostPartition('web1')))).toEqual(
        batch.events.map(() => partition),
      );
      expect(message.header.get('Nats-Msg-Id')).toBe(`web1:${AUTH_LOG}:b${batch.events[0]!.byteOffset}`);
    }

    const collector = new Collector({ connection: nats.connection });
    const consumed = await collector.drain();
    expect(consumed).toEqual({
      batches: shipped.batches,
      events: events.length,
      malformed: 0,
      byHost: { web1: events.length },
    });
    const fleet = await collector.result();

    const analyzed = await cli(['analyze', AUTH_LOG, '--json', '--timezone', 'UTC', '--reference-date', '2026-12-31']);
    const report = JSON.parse(analyzed.stdout) as { cases: Case[] };
    expect(report.cases.length).toBeGreaterThan(0);
    // Same addresses, same event counts and scores: no event was counted twice.
    const summary = (cases: Case[]) => cases.map((c) => [c.ip, c.counts, c.timelineTotal, c.score]);
    expect(summary(fleet.cases)).toEqual(summary(report.cases));
  });

  it('cuts a chunk read back from the spool into the same batches, every one a duplicate', async () => {
    const events = await fileEvents();
    const agent = new Agent({ connection: nats.connection, host: 'spooled', batchSize: 3 });
    const sent = await agent.publish(events);
    const dir = mkdtempSync(join(tmpdir(), 'logsleuth-spool-ids-'));
    try {
      const spool = new Spool(dir, DEFAULT_SPOOL_BYTES);
      await spool.open(undefined);
      expect(await spool.write(1, { events, files: new Map() })).toBe(true);
      const { events: read } = await spool.read(1);
      expect(await agent.publish(read)).toEqual({ ...sent, duplicates: sent.batches });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('splits a batch that exceeds max_payload, and counts an event too large alone', async () => {
    const events = await fileEvents();
    // Random hex barely compresses: two big events fit in one message, three do not, the huge one never does.
    const noise = (bytes: number) => randomBytes(bytes).toString('hex');
    const big = events.slice(0, 3).map((event) => ({ ...event, raw: noise(350_000) }));
    const huge = { ...events[3]!, line: 99, raw: noise(1_000_000) };
    const agent = new Agent({ connection: nats.connection, host: 'split', batchSize: 10 });
    const limit = nats.connection.info!.max_payload;
    const report = await agent.publish([...big, huge]);
    expect(encodeBatch({ host: 'split', source: AUTH_LOG, line: 1, events: big }).length).toBeGreaterThan(limit);
    expect(report).toEqual({ batches: 2, events: 3, duplicates: 0, oversized: 1 });
    // Cut the same way again, so the resend is two duplicates.
    expect(await agent.publish(big)).toEqual({ batches: 2, events: 3, duplicates: 2, oversized: 0 });
  });

  it('resumes a durable consumer where the previous collector stopped', async () => {
    const events = await fileEvents();
    const agent = new Agent({ connection: nats.connection, host: 'resume', batchSize: 100 });
    await agent.publish(events.slice(0, 5));
    const first = await new Collector({ connection: nats.connection, durable: 'resume' }).drain();
    await agent.publish(events.slice(5));
    const second = await new Collector({ connection: nats.connection, durable: 'resume' }).drain();
    expect(first.byHost.resume).toBe(5);
    expect(second.byHost.resume).toBe(events.length - 5);
  });

  it('counts and skips a message that is not a batch, or inflates past the limit', async () => {
    const js = (await import('@nats-io/jetstream')).jetstream(nats.connection);
    await js.publish(fleetSubject('events', 'web2'), new TextEncoder().encode('not gzip'));
    await js.publish(fleetSubject('events', 'web2'), gzipSync(Buffer.alloc(MAX_BATCH_BYTES + 1, 0x20)));
    await js.publish(fleetSubject('events', 'web2'), encodeBatch({ host: 'web2', source: 'x', line: 1, events: [] }));
    await js.publish(eventsSubject('web2', 3), new TextEncoder().encode('not gzip either'));
    const collector = new Collector({ connection: nats.connection, durable: 'second' });
    const consumed = await collector.drain();
    expect(consumed.malformed).toBe(3);
    expect(consumed.byHost.web2).toBe(0);
    // A collector owning partition 3 counts the one on its subject, and reads none of the old subject's.
    const odd = await new Collector({
      connection: nats.connection,
      durable: 'odd',
      partition: { index: 1, count: 2 },
    }).drain();
    expect(odd.malformed).toBe(1);
  });
});
