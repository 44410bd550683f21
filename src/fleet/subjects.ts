/**
 * The fleet's subject tree and its JetStream stream. One stream holds every
 * host's events, findings and samples. Events carry their partition
 * (partition.ts) after the host, so a collector can take some partitions of
 * every host (`logsleuth.events.*.<p>`) and leave the rest to others; samples
 * carry their host's partition, so the collector owning it stores them.
 *
 *   logsleuth.events.<host>.<p>   gzip'd JSON batches of LogEvents of partition p
 *   logsleuth.findings.<host>     an agent's local findings
 *   logsleuth.samples.<host>.<p>  /proc and system samples, p the host's partition
 */
import { DiscardPolicy, RetentionPolicy, StorageType, type StreamConfig, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import RE2 from 're2';
import { hostPartition } from './partition';

/** Root token of every fleet subject. */
export const SUBJECT_ROOT = 'logsleuth';

/** The kinds of message an agent publishes. */
export type FleetKind = 'events' | 'findings' | 'samples';

/** Name of the stream that captures `logsleuth.>`. */
export const FLEET_STREAM = 'LOGSLEUTH';

/** How long JetStream remembers a Nats-Msg-Id to drop resends (ms): covers an agent's reconnect backoff. */
export const DEDUP_WINDOW_MS = 10 * 60 * 1000;

// A subject token may not hold '.', '*', '>' or whitespace.
const TOKEN_UNSAFE = new RE2('[.*>\\s]', 'g');

/** A host id made safe as one subject token (`web.example.org` becomes `web_example_org`). */
export function hostToken(host: string): string {
  const token = host.replace(TOKEN_UNSAFE, '_');
  if (token === '') throw new RangeError('host id is empty');
  return token;
}

/** The subject of one host's messages of one kind (events: {@link eventsSubject}). */
export function fleetSubject(kind: FleetKind, host: string): string {
  return `${SUBJECT_ROOT}.${kind}.${hostToken(host)}`;
}

/** The subject matching one kind from every host; for events, only the old subjects without a partition. */
export function allHosts(kind: FleetKind): string {
  return `${SUBJECT_ROOT}.${kind}.*`;
}

/** The subject of one host's event batches of one partition. */
export function eventsSubject(host: string, partition: number): string {
  return `${fleetSubject('events', host)}.${partition}`;
}

/** The subject matching one partition's event batches from every host. */
export function partitionEvents(partition: number): string {
  return `${SUBJECT_ROOT}.events.*.${partition}`;
}

/** The subject matching every event batch: every partition, and the old subjects without one. */
export const ALL_EVENTS = `${SUBJECT_ROOT}.events.>`;

/** The subject of one host's samples: its host partition ({@link hostPartition}) after the host. */
export function samplesSubject(host: string): string {
  return `${fleetSubject('samples', host)}.${hostPartition(host)}`;
}

/** The subject matching the samples of every host whose partition is `partition`. */
export function partitionSamples(partition: number): string {
  return `${SUBJECT_ROOT}.samples.*.${partition}`;
}

/** The subject matching every sample: every partition, and the old subjects without one. */
export const ALL_SAMPLES = `${SUBJECT_ROOT}.samples.>`;

/** The host token of a fleet subject (`logsleuth.<kind>.<host>[.<p>]`). */
export function subjectHost(subject: string): string | undefined {
  return subject.split('.', 3)[2];
}

/** The stream definition: file storage, limits retention, old messages dropped when full. */
export function fleetStreamConfig(): Partial<StreamConfig> & { name: string; subjects: string[] } {
  return {
    name: FLEET_STREAM,
    subjects: [`${SUBJECT_ROOT}.>`],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.Old,
    duplicate_window: DEDUP_WINDOW_MS * 1_000_000,
  };
}

/** Creates the fleet stream unless it exists; agents and collectors may start in any order. */
export async function ensureFleetStream(connection: NatsConnection): Promise<void> {
  const jsm = await jetstreamManager(connection);
  await jsm.streams.info(FLEET_STREAM).catch(() => jsm.streams.add(fleetStreamConfig()));
}
