/**
 * The fleet's subject tree and its JetStream stream. One stream holds every
 * host's events, findings and samples; the host is the last token so a
 * collector can subscribe to one host, one kind, or everything.
 *
 *   logsleuth.events.<host>    gzip'd JSON batches of LogEvents
 *   logsleuth.findings.<host>  an agent's local findings
 *   logsleuth.samples.<host>   /proc and system samples
 */
import { DiscardPolicy, RetentionPolicy, StorageType, type StreamConfig, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import RE2 from 're2';

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

/** The subject of one host's messages of one kind. */
export function fleetSubject(kind: FleetKind, host: string): string {
  return `${SUBJECT_ROOT}.${kind}.${hostToken(host)}`;
}

/** The subject matching one kind from every host. */
export function allHosts(kind: FleetKind): string {
  return `${SUBJECT_ROOT}.${kind}.*`;
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
