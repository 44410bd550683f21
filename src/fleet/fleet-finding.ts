/**
 * The wire form of an agent's local finding: gzip'd JSON of one finding its
 * own tracers made over what it ships, with an id of the host, the finding's
 * kind and a hash of its key (Nats-Msg-Id), so the same finding published
 * again is dropped by the server within its window and counted once by the
 * collector after it. Shared by the agent (encode) and the collector (decode,
 * checked against `schemas/fleet-finding.schema.json`).
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { AnyFinding } from '../core/finding';
import { decodeGzipJson } from './gzip-json';

/** One finding as published on `logsleuth.findings.<host>`. */
export interface FleetFinding {
  version: 1;
  /** The agent's host id. */
  host: string;
  /** `<host>:finding:<kind>:<16 hex of the key's SHA-256>`, also the message's Nats-Msg-Id. */
  id: string;
  finding: AnyFinding;
}

/** Largest finding an agent publishes and a collector inflates (bytes of JSON). */
export const MAX_FINDING_BYTES = 256 * 1024;

/** The finding's id: its host, kind and a hash of its key (a key can be long, or hold any character). */
export function fleetFindingId(host: string, finding: Pick<AnyFinding, 'kind' | 'key'>): string {
  const key = createHash('sha256').update(finding.key).digest('hex').slice(0, 16);
  return `${host}:finding:${finding.kind}:${key}`;
}

/** Compressed JSON of a finding; undefined when its JSON is over {@link MAX_FINDING_BYTES}. */
export function encodeFleetFinding(host: string, finding: AnyFinding): Uint8Array | undefined {
  const json = JSON.stringify({ version: 1, host, id: fleetFindingId(host, finding), finding } satisfies FleetFinding);
  return Buffer.byteLength(json) > MAX_FINDING_BYTES ? undefined : gzipSync(json);
}

/** A finding from its wire form; throws a clear error on anything that is not one. */
export function decodeFleetFinding(data: Uint8Array): FleetFinding {
  const finding = decodeGzipJson<FleetFinding>(data, 'fleet-finding', MAX_FINDING_BYTES, 'finding');
  // The id is the finding's own: a message may not claim another finding's id.
  if (finding.id !== fleetFindingId(finding.host, finding.finding))
    throw new Error('not a finding: its id is not its own');
  return finding;
}
