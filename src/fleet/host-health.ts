/**
 * The collector's host list: per agent host id, when its events and samples
 * last came, how many events, their rate over the last minute, the latest
 * sample's figures, and a verdict. Times are when JetStream stored each
 * message (the server's clock), so neither an agent's wrong clock nor a replay
 * of old messages makes a host look alive; the verdict compares them with now.
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
  /** When the server stored its latest events / sample (ISO); null: none received. */
  lastEvent: string | null;
  lastSample: string | null;
  /** Events received since the collector started. */
  events: number;
  /** Events the server stored in the last minute, per second. */
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

  /** `count` events from `host`, stored by the server at `at` (ms; default now). */
  events(host: string, count: number, at = this.now()): void {
    const row = this.row(host);
    row.lastEvent = Math.max(row.lastEvent ?? at, at);
    row.events += count;
    const second = Math.floor(at / 1000);
    if (this.now() / 1000 - second >= RATE_SECONDS) return;
    const slot = second % RATE_SECONDS;
    if (row.slotSecond[slot] !== second) {
      row.slotSecond[slot] = second;
      row.perSecond[slot] = 0;
    }
    row.perSecond[slot]! += count;
  }

  /** A sample, stored by the server at `at` (ms; default now). The latest by that time is kept. */
  sample(sample: FleetSample, at = this.now()): void {
    this.samples++;
    const row = this.row(sample.host);
    if (row.lastSample !== undefined && row.lastSample > at) return;
    row.lastSample = at;
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
      for (let i = 0; i < RATE_SECONDS; i++)
        if (second - row.slotSecond[i]! < RATE_SECONDS) recent += row.perSecond[i]!;
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
