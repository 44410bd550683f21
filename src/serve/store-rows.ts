/**
 * The serve sampler's sample as store rows: `serve --store` writes what the
 * dashboard was shown, through the store's own run writer (no second /proc read).
 * Byte figures are per second in a sample and bytes since the previous sample in
 * the store, so they are multiplied back by the interval.
 */
import type { SampleRows } from '../store/run-writer';
import type { ProcessSample, SystemSample } from './system-sample';

const sum = <T>(items: readonly T[], get: (item: T) => number) => items.reduce((total, item) => total + get(item), 0);

/** Rows of one sample and every process it measured. */
export function sampleRows(sample: SystemSample, processes: readonly ProcessSample[]): SampleRows {
  const seconds = sample.intervalSeconds;
  const bytes = (perSecond: number) => Math.round(perSecond * seconds);
  const m = sample.memory;
  return {
    at: Date.parse(sample.at),
    processes,
    sockets: [],
    raw: [],
    system: {
      cpuPercent: sample.cpu.percent,
      load: sample.load,
      memory:
        m && sample.swap
          ? {
              total: m.total,
              available: m.available,
              usedPercent: m.percent,
              swapTotal: sample.swap.total,
              swapFree: sample.swap.total - sample.swap.used,
            }
          : null,
      disks: sample.disks.map((d) => ({
        mountPoint: d.mountPoint,
        device: d.device,
        fsType: d.fsType,
        total: d.total,
        used: d.used,
        available: d.available,
        usedPercent: d.percent,
      })),
      diskReadBytes: bytes(sum(sample.diskIo, (d) => d.readBytesPerSecond)),
      diskWriteBytes: bytes(sum(sample.diskIo, (d) => d.writeBytesPerSecond)),
      netRxBytes: bytes(sum(sample.network, (n) => n.rxBytesPerSecond)),
      netTxBytes: bytes(sum(sample.network, (n) => n.txBytesPerSecond)),
    },
  };
}
