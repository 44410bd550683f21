import type { CpuTimes } from '../../src/proc/system-stat';
import { THRESHOLDS, cpuPercent, healthState, processSamples, systemSample } from '../../src/serve/system-sample';
import type { Reading } from '../../src/serve/system-sample';

const cpu = (busy: number, idle: number, iowait = 0): CpuTimes => ({
  user: busy,
  nice: 0,
  system: 0,
  idle,
  iowait,
  irq: 0,
  softirq: 0,
  steal: 0,
  total: busy + idle + iowait,
});

const reading = (at: number, extra: Partial<Reading> = {}): Reading => ({
  at,
  cpu: null,
  memory: null,
  load: null,
  disks: [],
  diskIo: [],
  network: [],
  processes: new Map(),
  skipped: 0,
  ...extra,
});

describe('healthState', () => {
  it.each([
    ['cpu', 60, 'ok'],
    ['cpu', 60.1, 'warning'],
    ['cpu', 80, 'warning'],
    ['cpu', 80.1, 'critical'],
    ['memory', 70, 'ok'],
    ['memory', 70.5, 'warning'],
    ['memory', 90.5, 'critical'],
  ] as const)('%s at %s%% is %s', (figure, percent, state) =>
    expect(healthState(percent, THRESHOLDS[figure])).toBe(state),
  );
  it('calls an unknown figure ok', () => expect(healthState(null, THRESHOLDS.cpu)).toBe('ok'));
});

describe('cpuPercent', () => {
  it('is the busy share of the ticks between two readings, iowait counted idle', () => {
    expect(cpuPercent(cpu(100, 900), cpu(175, 925))).toBe(75);
    expect(cpuPercent(cpu(0, 0, 0), cpu(10, 80, 10))).toBe(10);
  });
  it('is null without two readings or without ticks between them', () => {
    expect(cpuPercent(null, cpu(1, 1))).toBeNull();
    expect(cpuPercent(cpu(5, 5), cpu(5, 5))).toBeNull();
  });
});

describe('systemSample', () => {
  it('turns counters into rates per second, and a counter that went back into 0', () => {
    const before = reading(0, {
      network: [
        {
          name: 'eth0',
          rxBytes: 1000,
          txBytes: 500,
          rxPackets: 0,
          rxErrors: 0,
          rxDropped: 0,
          txPackets: 0,
          txErrors: 0,
          txDropped: 0,
        },
      ],
      diskIo: [{ device: 'sda', reads: 0, readBytes: 0, writes: 0, writeBytes: 8192, ioMs: 1000 }],
    });
    const after = reading(2000, {
      network: [
        {
          name: 'eth0',
          rxBytes: 5000,
          txBytes: 100,
          rxPackets: 0,
          rxErrors: 0,
          rxDropped: 0,
          txPackets: 0,
          txErrors: 0,
          txDropped: 0,
        },
      ],
      diskIo: [{ device: 'sda', reads: 0, readBytes: 4096, writes: 0, writeBytes: 8192, ioMs: 1500 }],
    });
    const sample = systemSample(before, after, { cores: 2, hz: 100, top: 5 });
    expect(sample.network[0]).toMatchObject({ rxBytesPerSecond: 2000, txBytesPerSecond: 0 });
    expect(sample.diskIo[0]).toEqual({
      device: 'sda',
      readBytesPerSecond: 2048,
      writeBytesPerSecond: 0,
      busyPercent: 25,
    });
    expect(sample.intervalSeconds).toBe(2);
  });

  it('ranks processes by CPU over the interval and by resident memory', () => {
    const info = (pid: number, rss: number) => ({
      pid,
      ppid: 1,
      name: `p${pid}`,
      uid: 0,
      user: null,
      threads: 1,
      fds: 3,
      startTime: null,
      rss,
      state: 'S',
      cmdline: '',
    });
    const before = reading(0, {
      processes: new Map([
        [1, { ticks: 100, info: info(1, 10) }],
        [2, { ticks: 0, info: info(2, 99) }],
      ]),
    });
    const after = reading(1000, {
      processes: new Map([
        [1, { ticks: 150, info: info(1, 10) }],
        [2, { ticks: 10, info: info(2, 99) }],
        [3, { ticks: 500, info: info(3, 50) }],
      ]),
    });
    expect(processSamples(before, after, 100).map((p) => [p.pid, p.cpuPercent])).toEqual([
      [1, 50],
      [2, 10],
      [3, 0],
    ]);
    const sample = systemSample(before, after, { cores: 1, hz: 100, top: 2 });
    expect(sample.processes.topRss.map((p) => p.pid)).toEqual([2, 3]);
    expect(sample.processes.count).toBe(3);
  });
});
