import { readFileSync } from 'node:fs';
import { isInterestingDisk, parseDiskstats, readDiskstats } from '../../src/proc/diskstats';

describe('parseDiskstats', () => {
  it('reads counts, 512-byte sectors and busy time, and counts malformed lines', () => {
    const text = [
      ' 259       0 nvme0n1 4242 10 81234 900 777 20 16000 300 0 1234 1500 0 0 0 0 0 0',
      '   8       1 sda1 1 2 3 4 5 6 7 8 9 10 11',
      'garbage line',
      '   8       2 sdb x 2 3 4 5 6 7 8 9 10 11',
      '',
    ].join('\n');
    expect(parseDiskstats(text)).toEqual({
      items: [
        { device: 'nvme0n1', reads: 4242, readBytes: 81234 * 512, writes: 777, writeBytes: 16000 * 512, ioMs: 1234 },
        { device: 'sda1', reads: 1, readBytes: 3 * 512, writes: 5, writeBytes: 7 * 512, ioMs: 10 },
      ],
      skipped: 2,
    });
  });

  it('reads every line of the live /proc/diskstats', () => {
    const live = readDiskstats('/proc');
    const lines = readFileSync('/proc/diskstats', 'utf8')
      .split('\n')
      .filter((l) => l.trim()).length;
    expect(live.skipped).toBe(0);
    expect(live.items).toHaveLength(lines);
  });

  it('counts an unreadable file as one skip', () => {
    expect(readDiskstats('/nonexistent-proc')).toEqual({ items: [], skipped: 1 });
  });

  it.each([
    ['loop0', false],
    ['ram1', false],
    ['zram0', false],
    ['sda', true],
    ['nvme0n1p2', true],
  ])('%s is shown: %s', (device, shown) => expect(isInterestingDisk(device)).toBe(shown));
});
