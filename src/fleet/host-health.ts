/**
 * The collector's host list: per agent host id, when its events and samples
 * last came, how many events, their rate over the last minute, the latest
 * sample's figures, and a verdict. Times are the collector's clock at receipt,
 * so an agent's wrong clock cannot make it look alive or dead.
 *
 * Verdict, with `interval` the host's latest sample's interval (else 5 s):
 * `up` while its last message (events or sample) is younger than 3 intervals,
 * `stale` until 12 intervals (a minute at 5 s), `down` after that.
 */
import type { FleetSample } from './sample';
import { DEFAULT_SAMPLE_MS } from './sample-publisher';

/** What the host list says of a host. */
export type HostVerdict = 'up' | 'stale' | 'down';

/** Intervals of silence after which a host is stale, and down. */
export const STALE_INTERVALS = 3;
export const DOWN_INTERVALS = 12;

/** Hosts the table keeps by default; the least recently heard of is forgotten past it. */
export const DEFAULT_MAX_HOSTS = 10_000;

const RATE_SECONDS = 60;

/** One row of the host list (`/api/v1/hosts`). */
export interface HostHealth {
  host: string;
  health: HostVerdict;
  /** When the collector last received events / a sample from it (ISO); null: never. */
  lastEvent: string | null;
  lastSample: string | null;
  /** Events received since the collector started. */
  events: number;
  /** Events received per second over the last minute. */
  eventsPerSecond: number;
  /** The agent's interval between samples, ms (5 s until a sample says). */
  intervalMs: number;
  /** From the latest sample; null without one (or when it had none). */
  cpuPercent: number | null;
  load1: number | null;
  memoryPercent: number | null;
  /** The fullest filesystem's use, percent. */
  diskPercent: number | null;
}

interface HostRow {
  lastEvent: number | undefined;
  lastSample: number | undefined;
  events: number;
  /** Events per second of the last minute, a ring indexed by second. */
  perSecond: number[];
  /** The second each slot of `perSecond` counts. */
  slotSecond: number[];
  sample: FleetSample | undefined;
}

const iso = (t: number | undefined) => (t === undefined ? null : new Date(t).toISOString());

/** The verdict on a host last heard of `silentMs` ago, sampling every `intervalMs`. */
export function hostVerdict(silentMs: number, intervalMs: number): HostVerdict {
  if (silentMs < STALE_INTERVALS * intervalMs) return 'up';
  return silentMs < DOWN_INTERVALS * intervalMs ? 'stale' : 'down';
}

/** The collector's table of hosts, bounded by `maxHosts`. */
export class HostHealthTable {
  /** Insertion order is recency: a host heard of is moved to the end. */
  private readonly rows = new Map<string, HostRow>();
  /** Samples taken in, and messages on the samples' subjects that were not a sample of their host. */
  samples = 0;
  malformedSamples = 0;

  constructor(
    private readonly maxHosts = DEFAULT_MAX_HOSTS,
    private readonly now: () => number = Date.now,
  ) {}

  private row(host: string): HostRow {
    let row = this.rows.get(host);
    if (row) this.rows.delete(host);
    else {
      row = {
        lastEvent: undefined,
        lastSample: undefined,
        events: 0,
        perSecond: new Array<number>(RATE_SECONDS).fill(0),
        slotSecond: new Array<number>(RATE_SECONDS).fill(-1),
        sample: undefined,
      };
      if (this.rows.size >= this.maxHosts) this.rows.delete(this.rows.keys().next().value!);
    }
    this.rows.set(host, row);
    return row;
  }

  /** `count` events from `host` received now. */
  events(host: string, count: number): void {
    const now = this.now();
    const row = this.row(host);
    row.lastEvent = now;
    row.events += count;
    const second = Math.floor(now / 1000);
    const slot = second % RATE_SECONDS;
    if (row.slotSecond[slot] !== second) {
      row.slotSecond[slot] = second;
      row.perSecond[slot] = 0;
    }
    row.perSecond[slot]! += count;
  }

  /** A sample received now. */
  sample(sample: FleetSample): void {
    this.samples++;
    const row = this.row(sample.host);
    row.lastSample = this.now();
    row.sample = sample;
  }

  /** Every host, most recently heard of first. */
  hosts(): HostHealth[] {
    const now = this.now();
    const second = Math.floor(now / 1000);
    return [...this.rows].reverse().map(([host, row]) => {
      const intervalMs = row.sample?.intervalMs ?? DEFAULT_SAMPLE_MS;
      const last = Math.max(row.lastEvent ?? -Infinity, row.lastSample ?? -Infinity);
      let recent = 0;
      for (let i = 0; i < RATE_SECONDS; i++) if (second - row.slotSecond[i]! < RATE_SECONDS) recent += row.perSecond[i]!;
      const system = row.sample?.system;
      const disks = system?.disks ?? [];
      return {
        host,
        health: hostVerdict(now - last, intervalMs),
        lastEvent: iso(row.lastEvent),
        lastSample: iso(row.lastSample),
        events: row.events,
        eventsPerSecond: recent / RATE_SECONDS,
        intervalMs,
        cpuPercent: system?.cpuPercent ?? null,
        load1: system?.load?.one ?? null,
        memoryPercent: system?.memory?.usedPercent ?? null,
        diskPercent: disks.length ? Math.max(...disks.map((disk) => disk.usedPercent)) : null,
      };
    });
  }
}
