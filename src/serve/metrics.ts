/**
 * `/metrics`: the investigation's counters and the latest system sample in
 * Prometheus's text format (prom-client), read from the source at scrape
 * time, plus the process's own default metrics. One registry per server.
 */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { EventStoreView } from './event-store';
import type { ServeSource } from './source';
import type { HostsView, SystemView } from './server-types';

/** Score bands of the suspects gauge. */
export const SCORE_BANDS: readonly { band: string; min: number }[] = [
  { band: 'critical', min: 90 },
  { band: 'high', min: 70 },
  { band: 'medium', min: 40 },
  { band: 'low', min: 0 },
];

/** The band of a score. */
export function scoreBand(score: number): string {
  return SCORE_BANDS.find((b) => score >= b.min)?.band ?? 'low';
}

/** A registry whose metrics read `source`, `system`, the store's event writes and a collector's hosts when scraped. */
export function createMetrics(
  source: ServeSource,
  system: SystemView | undefined,
  eventStore: () => EventStoreView | undefined = () => undefined,
  hosts?: HostsView,
): Registry {
  const registry = new Registry();
  // prom-client's event-loop histogram wakes the process every 10 ms by default: a third of an
  // idle serve's CPU. Once a second still shows the lag a scrape every few seconds reports.
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 1000 });
  const registers = [registry];
  // prom-client names three gauges `*_total`, a suffix Prometheus's conventions (and `promtool check
  // metrics`) keep for counters; they are the sums of nodejs_active_{handles,requests,resources}, kept.
  for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'])
    registry.removeSingleMetric(name);
  // Counters whose totals the source keeps: set at scrape time.
  const total = (
    name: string,
    help: string,
    labelNames: string[],
    read: (set: (labels: Record<string, string>, value: number) => void) => void,
  ) =>
    new Counter({
      name,
      help,
      labelNames,
      registers,
      collect() {
        this.reset();
        read((labels, value) => this.inc(labels, value));
      },
    });
  const gauge = (
    name: string,
    help: string,
    labelNames: string[],
    read: (set: (labels: Record<string, string>, value: number) => void) => void,
  ) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers,
      collect() {
        this.reset();
        read((labels, value) => this.set(labels, value));
      },
    });

  total('logsleuth_lines_read_total', 'Log lines read (every line of a multi-line record).', [], (set) =>
    set({}, source.counters().lines),
  );
  total('logsleuth_events_total', 'Log events read, by service and action.', ['service', 'action'], (set) => {
    for (const [pair, n] of source.counters().eventsByServiceAction) {
      const [service = 'unknown', action = 'none'] = pair.split('\u0000');
      set({ service, action }, n);
    }
  });
  total('logsleuth_findings_total', 'Findings published on the bus, by kind.', ['kind'], (set) => {
    for (const [kind, n] of source.counters().findingsByKind) set({ kind }, n);
  });
  total('logsleuth_findings_evicted_total', 'Findings the bounded bus forgot, oldest first.', [], (set) =>
    set({}, source.counters().findingsEvicted),
  );
  gauge(
    'logsleuth_suspects',
    'Suspect addresses now, by score band (critical >= 90, high >= 70, medium >= 40).',
    ['band'],
    (set) => {
      const counts = new Map(SCORE_BANDS.map((b) => [b.band, 0]));
      for (const score of source.counters().scores)
        counts.set(scoreBand(score), (counts.get(scoreBand(score)) ?? 0) + 1);
      for (const [band, n] of counts) set({ band }, n);
    },
  );
  gauge('logsleuth_blacklisted_addresses', 'Addresses over the blacklist threshold now.', [], (set) =>
    set({}, source.counters().blacklisted),
  );
  gauge(
    'logsleuth_error_occurrences',
    'Occurrences of the distinct errors tracked now, by category.',
    ['category'],
    (set) => {
      for (const [category, n] of source.counters().errorsByCategory) set({ category }, n);
    },
  );

  total(
    'logsleuth_sampler_errors_total',
    'Errors caught in /proc sampler ticks (store writes, /proc reads), by kind.',
    ['kind'],
    (set) => {
      for (const k of system?.errors?.list() ?? []) set({ kind: k.kind }, k.count);
    },
  );

  total(
    'logsleuth_store_events_total',
    'Events given to the store (--store), by result: written, or not written after a failed write.',
    ['result'],
    (set) => {
      const store = eventStore();
      if (!store) return;
      set({ result: 'written' }, store.written);
      set({ result: 'not_written' }, store.notWritten);
    },
  );

  if (hosts) {
    gauge(
      'logsleuth_fleet_host_up',
      '1 while a fleet host is up (a message within 3 sample intervals), else 0.',
      ['host'],
      (set) => {
        for (const h of hosts()) set({ host: h.host }, h.health === 'up' ? 1 : 0);
      },
    );
    total(
      'logsleuth_fleet_host_events_total',
      'Events this collector received from each fleet host.',
      ['host'],
      (set) => {
        for (const h of hosts()) set({ host: h.host }, h.events);
      },
    );
    gauge(
      'logsleuth_fleet_host_last_seen_timestamp_seconds',
      "When this collector last received a fleet host's events or sample (Unix time).",
      ['host'],
      (set) => {
        for (const h of hosts()) {
          const last = Math.max(Date.parse(h.lastEvent ?? '') || 0, Date.parse(h.lastSample ?? '') || 0);
          if (last > 0) set({ host: h.host }, last / 1000);
        }
      },
    );
  }

  const sample = () => system?.latest();
  gauge('logsleuth_system_cpu_busy_ratio', 'Busy share of all CPUs over the last sample interval (0-1).', [], (set) => {
    const s = sample();
    if (s?.cpu.percent !== null && s?.cpu.percent !== undefined) set({}, s.cpu.percent / 100);
  });
  gauge('logsleuth_system_load', 'Load average, by window (1m, 5m, 15m).', ['window'], (set) => {
    const load = sample()?.load;
    if (load) {
      set({ window: '1m' }, load.one);
      set({ window: '5m' }, load.five);
      set({ window: '15m' }, load.fifteen);
    }
  });
  gauge('logsleuth_system_memory_bytes', 'Memory: total, available, used; swap total and used.', ['kind'], (set) => {
    const s = sample();
    if (s?.memory) {
      set({ kind: 'total' }, s.memory.total);
      set({ kind: 'available' }, s.memory.available);
      set({ kind: 'used' }, s.memory.used);
    }
    if (s?.swap) {
      set({ kind: 'swap_total' }, s.swap.total);
      set({ kind: 'swap_used' }, s.swap.used);
    }
  });
  gauge(
    'logsleuth_system_disk_bytes',
    'Filesystem size and used space, by mount point.',
    ['mountpoint', 'kind'],
    (set) => {
      for (const d of sample()?.disks ?? []) {
        set({ mountpoint: d.mountPoint, kind: 'size' }, d.total);
        set({ mountpoint: d.mountPoint, kind: 'used' }, d.used);
      }
    },
  );
  gauge(
    'logsleuth_system_disk_io_bytes_per_second',
    'Disk reads and writes over the last interval, by device.',
    ['device', 'direction'],
    (set) => {
      for (const d of sample()?.diskIo ?? []) {
        set({ device: d.device, direction: 'read' }, d.readBytesPerSecond);
        set({ device: d.device, direction: 'write' }, d.writeBytesPerSecond);
      }
    },
  );
  total(
    'logsleuth_system_network_bytes_total',
    'Bytes received and sent since boot, by interface.',
    ['interface', 'direction'],
    (set) => {
      for (const n of sample()?.network ?? []) {
        set({ interface: n.name, direction: 'receive' }, n.rxBytes);
        set({ interface: n.name, direction: 'transmit' }, n.txBytes);
      }
    },
  );
  gauge(
    'logsleuth_top_process_cpu_ratio',
    'CPU of the busiest processes over the last interval (1 = one core).',
    ['pid', 'name'],
    (set) => {
      for (const p of sample()?.processes.topCpu ?? []) set({ pid: String(p.pid), name: p.name }, p.cpuPercent / 100);
    },
  );
  gauge('logsleuth_top_process_resident_bytes', 'Resident memory of the largest processes.', ['pid', 'name'], (set) => {
    for (const p of sample()?.processes.topRss ?? []) set({ pid: String(p.pid), name: p.name }, p.rss);
  });
  return registry;
}
