import { ProcSampler } from '../../src/proc/sampler';
import { HostHealthTable, hostVerdict } from '../../src/fleet/host-health';
import { fleetSample } from '../../src/fleet/sample';

describe('hostVerdict', () => {
  it.each([
    [0, 'up'],
    [2999, 'up'],
    [3000, 'stale'],
    [11_999, 'stale'],
    [12_000, 'down'],
  ] as const)('is %s ms of silence at a 1 s interval: %s', (silent, verdict) => {
    expect(hostVerdict(silent, 1000)).toBe(verdict);
  });
});

describe('HostHealthTable', () => {
  const snapshot = new ProcSampler().sample();

  it("keeps each host's events, rate over the last minute, latest sample and verdict", () => {
    let now = Date.parse('2026-12-07T12:00:00Z');
    const table = new HostHealthTable(10, () => now);
    table.events('web1', 30);
    now += 30_000;
    table.events('web1', 60);
    table.sample({ ...fleetSample('web1', snapshot, 1000), system: { ...snapshot.system, cpuPercent: 12.5 } });
    now += 31_000;
    // The first 30 events are more than a minute old now.
    const [web1] = table.hosts();
    expect(web1).toMatchObject({
      host: 'web1',
      events: 90,
      eventsPerSecond: 1,
      intervalMs: 1000,
      cpuPercent: 12.5,
      lastEvent: '2026-12-07T12:00:30.000Z',
      lastSample: '2026-12-07T12:00:30.000Z',
      load1: snapshot.system.load!.one,
      memoryPercent: snapshot.system.memory!.usedPercent,
      health: 'down',
    });
    expect(web1!.diskPercent).toBe(Math.max(...snapshot.system.disks.map((disk) => disk.usedPercent)));
  });

  it('judges a host without samples at 5 s, and lists the most recently heard of first', () => {
    let now = 1_000_000;
    const table = new HostHealthTable(10, () => now);
    table.events('web1', 1);
    now += 14_000;
    table.events('web2', 1);
    expect(table.hosts().map((h) => [h.host, h.health, h.cpuPercent])).toEqual([
      ['web2', 'up', null],
      ['web1', 'up', null],
    ]);
    now += 1000;
    expect(table.hosts().map((h) => h.health)).toEqual(['up', 'stale']);
  });

  it('judges by when the server stored a message: an old sample read now is down, and never replaces a newer one', () => {
    const now = 10_000_000;
    const table = new HostHealthTable(10, () => now);
    const sample = fleetSample('web1', snapshot, 1000);
    table.sample({ ...sample, at: 2 }, now - 5000);
    table.sample({ ...sample, at: 1 }, now - 60_000);
    table.events('web1', 7, now - 120_000);
    const [web1] = table.hosts();
    expect(web1).toMatchObject({ health: 'stale', events: 7, eventsPerSecond: 0 });
    expect(web1!.lastSample).toBe(new Date(now - 5000).toISOString());
    expect(web1!.lastEvent).toBe(new Date(now - 120_000).toISOString());
    const old = new HostHealthTable(10, () => now);
    old.sample(sample, now - 60_000);
    expect(old.hosts()[0]!.health).toBe('down');
  });

  it('forgets the least recently heard of host past its bound', () => {
    const table = new HostHealthTable(2);
    table.events('a', 1);
    table.events('b', 1);
    table.events('a', 1);
    table.events('c', 1);
    expect(table.hosts().map((h) => h.host)).toEqual(['c', 'a']);
  });
});
