import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import {
  diskUsageFor,
  parseLoadavg,
  parseMeminfo,
  parseMounts,
  parseNetDev,
  readDiskUsage,
  readHostState,
} from '../../src/proc/host';
import { SYSTEM_STAT, removeProcTrees, writeProcTree } from './proc-tree';

afterAll(removeProcTrees);

const MEMINFO = [
  'MemTotal:       24683656 kB',
  'MemFree:        24218308 kB',
  'MemAvailable:   20000000 kB',
  'Buffers:            2156 kB',
  'Cached:           230588 kB',
  'SwapTotal:       1048576 kB',
  'SwapFree:         524288 kB',
].join('\n');

const NET_DEV = [
  'Inter-|   Receive                                                |  Transmit',
  ' face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed',
  '    lo:    3245      30    0    0    0     0          0         0     3245      30    0    0    0     0       0          0',
  '  eth0: 9876543   12345    2    7    0     0          0        11   123456     999    1    3    0     0       0          0',
  'broken line',
].join('\n');

describe('host parsers', () => {
  it('reads meminfo in bytes with the used percentage from MemAvailable', () => {
    expect(parseMeminfo(MEMINFO)).toEqual({
      total: 24683656 * 1024,
      free: 24218308 * 1024,
      available: 20000000 * 1024,
      buffers: 2156 * 1024,
      cached: 230588 * 1024,
      swapTotal: 1048576 * 1024,
      swapFree: 524288 * 1024,
      usedPercent: (100 * (24683656 - 20000000)) / 24683656,
    });
    expect(parseMeminfo('MemFree: 1 kB')).toBeUndefined();
  });

  it('reads loadavg', () => {
    expect(parseLoadavg('0.85 0.47 0.26 1/92 11938\n')).toEqual({
      one: 0.85,
      five: 0.47,
      fifteen: 0.26,
      running: 1,
      total: 92,
    });
    expect(parseLoadavg('0.85 x 0.26 1/92 11938')).toBeUndefined();
    expect(parseLoadavg('0.85 0.47 0.26 1/92/3 11938')).toBeUndefined();
  });

  it('reads net/dev counters and counts malformed lines', () => {
    const { items, skipped } = parseNetDev(NET_DEV);
    expect(items[1]).toEqual({
      name: 'eth0',
      rxBytes: 9876543,
      rxPackets: 12345,
      rxErrors: 2,
      rxDropped: 7,
      txBytes: 123456,
      txPackets: 999,
      txErrors: 1,
      txDropped: 3,
    });
    expect(items.map((i) => i.name)).toEqual(['lo', 'eth0']);
    expect(skipped).toBe(1);
  });

  it('reads the mount table and undoes its octal escapes', () => {
    const { items, skipped } = parseMounts(
      '/dev/vda / ext4 rw,relatime 0 0\n/dev/sdb1 /mnt/my\\040disk vfat ro 0 0\nshort\n',
    );
    expect(items).toEqual([
      { device: '/dev/vda', mountPoint: '/', fsType: 'ext4', options: ['rw', 'relatime'] },
      { device: '/dev/sdb1', mountPoint: '/mnt/my disk', fsType: 'vfat', options: ['ro'] },
    ]);
    expect(skipped).toBe(1);
  });

  it.each([
    ['meminfo', parseMeminfo],
    ['loadavg', parseLoadavg],
    ['net/dev', parseNetDev],
    ['mounts', parseMounts],
  ] as const)('never throws on arbitrary %s content', (_name, parse) => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => void parse(text)),
      { numRuns: 1000 },
    );
  });
});

describe('readHostState', () => {
  it('reads a fixture tree, disks from its mount table measured by statfs', () => {
    const root = writeProcTree({
      files: {
        meminfo: MEMINFO,
        loadavg: '2.00 1.00 0.50 3/120 999\n',
        stat: SYSTEM_STAT,
        uptime: '671.03 1200.00\n',
        'net/dev': NET_DEV,
        'self/mounts': 'proc /proc proc rw 0 0\n/dev/root / ext4 rw 0 0\n',
      },
    });
    const state = readHostState(root);
    expect(state.memory?.total).toBe(24683656 * 1024);
    expect(state.load).toEqual({ one: 2, five: 1, fifteen: 0.5, running: 3, total: 120 });
    expect(state.cpu?.total).toBe(133853);
    expect(state.uptime).toBe(671.03);
    expect(state.network.map((n) => n.name)).toEqual(['lo', 'eth0']);
    expect(state.disks.map((d) => [d.device, d.mountPoint])).toEqual([['/dev/root', '/']]);
    expect(state.skipped).toBe(1);
  });

  it('counts every missing source of an empty tree, and throws nothing', () => {
    const state = readHostState(writeProcTree({}));
    expect(state).toEqual({ memory: null, load: null, cpu: null, uptime: null, network: [], disks: [], skipped: 6 });
  });

  it('reads the live host', () => {
    const state = readHostState();
    expect(state.memory!.total).toBeGreaterThan(0);
    expect(state.network.some((n) => n.name === 'lo')).toBe(true);
    expect(state.disks.some((d) => d.mountPoint === '/')).toBe(true);
  });
});

describe('diskUsageFor', () => {
  it('agrees with df on the size of the root filesystem', () => {
    const [size, , , , target] = execFileSync('df', ['-B1', '--output=size,used,avail,pcent,target', '/'], {
      encoding: 'utf8',
    })
      .trim()
      .split('\n')[1]!
      .trim()
      .split(/\s+/);
    const usage = diskUsageFor('/')!;
    expect(usage.total).toBe(Number(size));
    expect(usage.mountPoint).toBe(target);
    expect(usage.used + usage.free).toBe(usage.total);
  });

  it('measures a path that does not exist at its nearest existing parent, on the longest matching mount', () => {
    const root = writeProcTree({ files: { 'self/mounts': '/dev/root / ext4 rw 0 0\ntmpfs /tmp tmpfs rw 0 0\n' } });
    const usage = diskUsageFor('/tmp/no/such/dir/file.log', root);
    expect(usage?.mountPoint).toBe('/tmp');
    expect(usage?.fsType).toBe('tmpfs');
    expect(diskUsageFor('/etc/passwd', root)?.mountPoint).toBe('/');
  });

  it('is undefined for a path on no known mount', () => {
    const root = writeProcTree({ files: { 'self/mounts': 'tmpfs /tmp tmpfs rw 0 0\n' } });
    expect(diskUsageFor('/etc/passwd', root)).toBeUndefined();
  });

  it('lists the live disks without pseudo filesystems', () => {
    const { items } = readDiskUsage();
    expect(items.some((d) => ['proc', 'sysfs', 'cgroup2'].includes(d.fsType))).toBe(false);
  });
});
