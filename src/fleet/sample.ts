/**
 * The wire form of an agent's /proc sample: gzip'd JSON of the snapshot
 * `record` takes (ProcSampler), without its raw files, with the processes and
 * sockets capped (the busiest kept) and what was cut counted. Shared by the
 * agent (encode) and the collector (decode, checked against
 * `schemas/fleet-sample.schema.json`).
 */
import { gzipSync } from 'node:zlib';
import { decodeGzipJson } from './gzip-json';
import type { ProcSnapshot, ProcessSample, SocketSample, SystemSample } from '../proc/sampler';

/** One sample as published on `logsleuth.samples.<host>`. */
export interface FleetSample {
  version: 1;
  /** The agent's host id. */
  host: string;
  /** When it was taken, ms since the epoch. */
  at: number;
  /** The agent's interval between samples, in ms: the collector's health uses it. */
  intervalMs: number;
  processes: ProcessSample[];
  sockets: SocketSample[];
  system: SystemSample;
  /** Processes and sockets left out by the caps. */
  cut: { processes: number; sockets: number };
  /** /proc entries that vanished or could not be read. */
  skipped: number;
}

/** How many processes and sockets a sample keeps. */
export interface SampleCaps {
  /** Default 1000: the busiest by CPU, then memory. */
  processes?: number;
  /** Default 1000: connected sockets before listeners and the rest. */
  sockets?: number;
}

/** Largest decompressed sample a collector accepts (bytes). */
export const MAX_SAMPLE_BYTES = 16 * 1024 * 1024;

const DEFAULT_CAP = 1000;

const busiest = (a: ProcessSample, b: ProcessSample) =>
  (b.cpuPercent ?? 0) - (a.cpuPercent ?? 0) || b.rss - a.rss || a.pid - b.pid;
// An established connection says more about a host than a listener, and a listener more than the rest.
const socketRank = (socket: SocketSample) =>
  socket.state === 'ESTABLISHED' ? 0 : socket.state === 'LISTEN' || socket.state === 'UNCONN' ? 1 : 2;

/** The sample an agent publishes of `snapshot`: no raw files, at most `caps` processes and sockets. */
export function fleetSample(
  host: string,
  snapshot: ProcSnapshot,
  intervalMs: number,
  caps: SampleCaps = {},
): FleetSample {
  const maxProcesses = caps.processes ?? DEFAULT_CAP;
  const maxSockets = caps.sockets ?? DEFAULT_CAP;
  const processes =
    snapshot.processes.length > maxProcesses
      ? [...snapshot.processes].sort(busiest).slice(0, maxProcesses)
      : snapshot.processes;
  const sockets =
    snapshot.sockets.length > maxSockets
      ? [...snapshot.sockets].sort((a, b) => socketRank(a) - socketRank(b)).slice(0, maxSockets)
      : snapshot.sockets;
  return {
    version: 1,
    host,
    at: snapshot.at,
    intervalMs,
    processes,
    sockets,
    system: snapshot.system,
    cut: { processes: snapshot.processes.length - processes.length, sockets: snapshot.sockets.length - sockets.length },
    skipped: snapshot.skipped,
  };
}

/** The deduplication id (Nats-Msg-Id) of a sample: host and sample time. */
export function sampleId(sample: Pick<FleetSample, 'host' | 'at'>): string {
  return `${sample.host}:sample:${sample.at}`;
}

/** Compressed JSON of a sample. */
export function encodeSample(sample: FleetSample): Uint8Array {
  return gzipSync(JSON.stringify(sample));
}

/** A sample from its wire form; throws a clear error on anything that is not one. */
export function decodeSample(data: Uint8Array): FleetSample {
  return decodeGzipJson<FleetSample>(data, 'fleet-sample', MAX_SAMPLE_BYTES, 'sample');
}
