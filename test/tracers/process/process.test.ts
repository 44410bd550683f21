import type { NetworkConnectionsData } from '../../../src/core/kinds';
import { standaloneContext } from '../../../src/core/tracer';
import type { ProcessInfo } from '../../../src/proc';
import {
  ProcessTracer,
  ancestorsOf,
  buildTree,
  cpuPercentBetween,
  summariseProcesses,
} from '../../../src/tracers/process';
import { fixtureProcess, ioText, removeProcTrees, SYSTEM_STAT, writeProcTree } from '../../proc/proc-tree';

afterAll(removeProcTrees);

const PASSWD =
  'root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/sh\npostgres:x:109:109::/var/lib/postgresql:/bin/sh\n';

/** sshd forking a privileged monitor and a user session, postgres, a kernel thread. */
function host() {
  const root = writeProcTree({
    files: { stat: SYSTEM_STAT, uptime: '1000.00 1900.00\n', passwd: PASSWD },
    pids: {
      1: fixtureProcess({
        pid: 1,
        ppid: 0,
        name: 'systemd',
        argv: ['/sbin/init'],
        utime: 100,
        stime: 50,
        rssKb: 12000,
        fds: { 0: '/dev/null', 1: '/dev/null', 2: '/dev/null' },
      }),
      2: fixtureProcess({ pid: 2, ppid: 0, name: 'kthreadd', kernel: true }),
      800: fixtureProcess({
        pid: 800,
        ppid: 1,
        name: 'sshd',
        argv: ['sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups'],
        rssKb: 8000,
        fds: { 3: 'socket:[100]' },
      }),
      900: fixtureProcess({
        pid: 900,
        ppid: 800,
        name: 'sshd',
        argv: ['sshd: alice [priv]'],
        rssKb: 9000,
        fds: { 4: 'socket:[101]' },
      }),
      901: fixtureProcess({
        pid: 901,
        ppid: 900,
        name: 'sshd',
        argv: ['sshd: alice@pts/0'],
        uid: 1000,
        utime: 40,
        stime: 10,
        rssKb: 7000,
        fds: { 4: 'socket:[101]' },
      }),
      902: fixtureProcess({
        pid: 902,
        ppid: 901,
        name: 'bash',
        argv: ['-bash'],
        uid: 1000,
        rssKb: 5000,
        io: ioText({ read: 1000, write: 2000 }),
      }),
      1200: fixtureProcess({
        pid: 1200,
        ppid: 1,
        name: 'postgres',
        argv: ['/usr/lib/postgresql/16/bin/postgres', '-D', '/var/lib/postgresql/16/main'],
        uid: 109,
        utime: 900,
        stime: 300,
        rssKb: 60000,
        threads: 4,
        io: ioText({ read: 50000, write: 900000 }),
        fds: { 0: '/dev/null', 1: '/dev/null', 2: '/dev/null', 5: 'socket:[300]', 6: 'socket:[301]' },
      }),
      1300: fixtureProcess({
        pid: 1300,
        ppid: 1,
        name: 'cron',
        argv: ['/usr/sbin/cron', '-f'],
        io: 'directory',
        rssKb: 2000,
      }),
    },
  });
  return { root, tracer: new ProcessTracer({ procRoot: root, passwdPath: `${root}/passwd` }) };
}

describe('ProcessTracer queries on a fixture /proc', () => {
  const { tracer } = host();

  it('reads every process with its user', () => {
    const { items, skipped } = tracer.snapshot();
    expect(items.map((p) => [p.pid, p.name, p.user])).toEqual([
      [1, 'systemd', 'root'],
      [2, 'kthreadd', 'root'],
      [800, 'sshd', 'root'],
      [900, 'sshd', 'root'],
      [901, 'sshd', 'alice'],
      [902, 'bash', 'alice'],
      [1200, 'postgres', 'postgres'],
      [1300, 'cron', 'root'],
    ]);
    expect(skipped).toBe(0);
  });

  it('answers one pid, and undefined for a missing one', () => {
    expect(tracer.process(1200)).toMatchObject({
      cmdline: '/usr/lib/postgresql/16/bin/postgres -D /var/lib/postgresql/16/main',
      threads: 4,
      fdCount: 5,
    });
    expect(tracer.process(4242)).toBeUndefined();
  });

  it('walks the tree: children, descendants and ancestors', () => {
    expect(tracer.children(1).map((p) => p.pid)).toEqual([800, 1200, 1300]);
    expect(tracer.descendants(800).map((p) => p.pid)).toEqual([900, 901, 902]);
    expect(tracer.ancestors(902).map((p) => `${p.pid} ${p.cmdline}`)).toEqual([
      '901 sshd: alice@pts/0',
      '900 sshd: alice [priv]',
      '800 sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups',
      '1 /sbin/init',
    ]);
    expect(tracer.tree().roots).toEqual([1, 2]);
  });

  it('searches names and command lines, case-insensitively', () => {
    expect(tracer.search('PRIV').map((p) => p.pid)).toEqual([900]);
    expect(tracer.search('sshd').map((p) => p.pid)).toEqual([800, 900, 901]);
    expect(tracer.search('postgresql/16').map((p) => p.pid)).toEqual([1200]);
    expect(tracer.search('')).toEqual([]);
  });

  it('summarises counts, totals and the top consumers', () => {
    const summary = tracer.resources(2);
    expect(summary).toMatchObject({
      processes: 8,
      threads: 11,
      kernelThreads: 1,
      byState: { S: 8 },
      byUser: { root: 5, alice: 2, postgres: 1 },
      totalRss: (12000 + 8000 + 9000 + 7000 + 5000 + 60000 + 2000) * 1024,
    });
    expect(summary.top.memory.map((p) => p.pid)).toEqual([1200, 1]);
    expect(summary.top.cpu.map((p) => p.pid)).toEqual([1200, 1]);
    // cron's io is unreadable: left out, not counted as zero.
    expect(summary.top.io).toEqual([
      { pid: 1200, name: 'postgres', user: 'postgres', value: 950000 },
      { pid: 902, name: 'bash', user: 'alice', value: 3000 },
    ]);
    expect(summary.top.fds.map((p) => [p.pid, p.value])).toEqual([
      [1200, 5],
      [1, 3],
    ]);
  });
});

describe('cpuPercentBetween', () => {
  const p = (pid: number, userTime: number, systemTime: number, startTime = 1000) =>
    ({ pid, userTime, systemTime, startTime }) as ProcessInfo;

  it('is the CPU seconds used over the wall seconds elapsed', () => {
    const percent = cpuPercentBetween([p(1, 1, 1), p(2, 5, 0)], [p(1, 1.5, 1.25), p(2, 5, 0)], 2);
    expect([...percent]).toEqual([
      [1, 37.5],
      [2, 0],
    ]);
  });

  it('leaves out processes born or gone in between, and a pid reused by a new process', () => {
    const percent = cpuPercentBetween(
      [p(1, 0, 0), p(2, 0, 0), p(3, 0, 0)],
      [p(1, 1, 0, 5000), p(3, 1, 0), p(4, 1, 0)],
      1,
    );
    expect([...percent]).toEqual([[3, 100]]);
  });

  it('is empty for a zero interval', () => {
    expect(cpuPercentBetween([p(1, 0, 0)], [p(1, 1, 0)], 0).size).toBe(0);
  });
});

describe('buildTree', () => {
  it('stops at a cycle in the parent links (pid reuse races)', () => {
    const p = (pid: number, ppid: number) => ({ pid, ppid }) as ProcessInfo;
    const tree = buildTree([p(10, 11), p(11, 10), p(12, 10)]);
    expect(ancestorsOf(tree, 12).map((x) => x.pid)).toEqual([10, 11]);
  });
});

describe('summariseProcesses', () => {
  it('is all zeros for no processes', () => {
    expect(summariseProcesses([])).toEqual({
      processes: 0,
      threads: 0,
      kernelThreads: 0,
      byState: {},
      byUser: {},
      totalRss: 0,
      totalCpu: 0,
      top: { cpu: [], memory: [], io: [], fds: [] },
    });
  });
});

describe('ProcessTracer on the bus', () => {
  const connections = (ip: string, owners: { pid: number; fd: number }[][]): NetworkConnectionsData => ({
    ip,
    connections: owners.map((o, i) => ({
      protocol: 'tcp',
      local: { address: '10.0.0.5', port: 22 },
      remote: { address: ip, port: 50000 + i },
      state: 'ESTABLISHED',
      inode: 101 + i,
      uid: 0,
      pid: o[0]?.pid ?? null,
      process: 'sshd',
      owners: o.map((x) => ({ ...x, process: 'sshd' })),
    })),
  });

  function attached() {
    const { root } = host();
    const tracer = new ProcessTracer({ passwdPath: `${root}/passwd` });
    const ctx = standaloneContext(tracer, { procRoot: root, clock: { now: () => 0 } });
    tracer.attach(ctx);
    return { tracer, bus: ctx.bus };
  }

  it('names every process holding a suspect connection, with its ancestry, caused by the connections finding', async () => {
    const { bus, tracer } = attached();
    bus.publish({
      kind: 'network.connections',
      key: '203.0.113.9',
      tracer: 'network',
      data: connections('203.0.113.9', [
        [
          { pid: 900, fd: 4 },
          { pid: 901, fd: 4 },
        ],
      ]),
    });
    await bus.settled();
    const owners = bus.findings('process.owner');
    expect(owners.map((f) => f.key)).toEqual(['900@203.0.113.9', '901@203.0.113.9']);
    expect(owners[0]?.causedBy).toEqual({ kind: 'network.connections', key: '203.0.113.9' });
    expect(owners[0]?.data).toEqual({
      ip: '203.0.113.9',
      pid: 900,
      ppid: 800,
      name: 'sshd',
      cmdline: 'sshd: alice [priv]',
      user: 'root',
      inodes: [101],
      ancestry: [
        { pid: 800, name: 'sshd', cmdline: 'sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups' },
        { pid: 1, name: 'systemd', cmdline: '/sbin/init' },
      ],
    });
    expect(owners[1]?.data).toMatchObject({
      pid: 901,
      user: 'alice',
      ancestry: [{ pid: 900 }, { pid: 800 }, { pid: 1 }],
    });
    expect(tracer.summary()).toEqual({ connectionFindings: 1, ownersReported: 2, ownersVanished: 0 });
  });

  it('gathers the inodes of one owner across connections and counts owners that vanished', async () => {
    const { bus, tracer } = attached();
    bus.publish({
      kind: 'network.connections',
      key: '198.51.100.7',
      tracer: 'network',
      data: connections('198.51.100.7', [[{ pid: 1200, fd: 5 }], [{ pid: 1200, fd: 6 }], [{ pid: 4242, fd: 3 }], []]),
    });
    await bus.settled();
    expect(bus.findings('process.owner').map((f) => [f.key, f.data.inodes])).toEqual([
      ['1200@198.51.100.7', [101, 102]],
    ]);
    expect(tracer.summary()).toEqual({ connectionFindings: 1, ownersReported: 1, ownersVanished: 1 });
  });
});
