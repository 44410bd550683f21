import fc from 'fast-check';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { readHostState } from '../../src/proc/host';
import { readNetSockets } from '../../src/proc/net';
import { listPids } from '../../src/proc/read';
import { processContext, readProcess, readProcesses } from '../../src/proc/process';
import { readSocketOwners } from '../../src/proc/socket-owners';
import { readComm } from '../../src/proc/pid-comm';
import { readFdSockets } from '../../src/proc/pid-fd';
import { clockTicks } from '../../src/proc/sysconf';
import { SYSTEM_STAT, fixtureProcess, ioText, removeProcTrees, statLine, writeProcTree } from './proc-tree';

afterAll(removeProcTrees);

const USERS = new Map([
  [0, 'root'],
  [1000, 'alice'],
]);

/** A host with the odd cases: systemd's (sd-pam), a name with parentheses, a kernel thread, a vanished pid, unreadable io. */
function tree() {
  return writeProcTree({
    files: { stat: SYSTEM_STAT, uptime: '1000.50 1900.00\n' },
    pids: {
      1: fixtureProcess({
        pid: 1,
        ppid: 0,
        name: 'systemd',
        argv: ['/sbin/init', 'splash'],
        utime: 300,
        stime: 200,
        start: 1,
        rssKb: 12000,
      }),
      2: fixtureProcess({ pid: 2, ppid: 0, name: 'kthreadd', kernel: true }),
      812: fixtureProcess({
        pid: 812,
        ppid: 1,
        name: 'sshd',
        argv: ['sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups'],
        start: 500,
        fds: { 0: '/dev/null', 3: 'socket:[5151]', 4: 'socket:[4242]' },
        io: ioText({ rchar: 100, wchar: 200, syscr: 3, syscw: 4, read: 4096, write: 0 }),
      }),
      1001: fixtureProcess({ pid: 1001, ppid: 1000, name: '(sd-pam)', argv: ['(sd-pam)'], uid: 1000, start: 9000 }),
      1002: fixtureProcess({
        pid: 1002,
        ppid: 1,
        name: 'a) b (c',
        argv: ['./a) b (c', '--flag'],
        uid: 1000,
        start: 9100,
        io: 'directory',
      }),
      // Vanished: the directory is still listed but its files are gone.
      1003: {},
      // Exited between stat and status.
      1004: { stat: statLine({ pid: 1004, name: 'short', ppid: 1 }) },
      // Unknown uid: no user name.
      1005: fixtureProcess({ pid: 1005, ppid: 1, name: 'ghost', uid: 4242, start: 9500, fds: { 0: 'socket:[5151]' } }),
    },
  });
}

describe('readProcesses on a fixture tree', () => {
  const root = tree();
  const context = processContext(root, USERS);
  const result = readProcesses(context);

  it('lists numeric entries only, ascending', () => {
    expect(listPids(root)).toEqual([1, 2, 812, 1001, 1002, 1003, 1004, 1005]);
  });

  it('reads every complete process and counts vanished ones as skipped', () => {
    expect(result.items.map((p) => p.pid)).toEqual([1, 2, 812, 1001, 1002, 1005]);
    expect(result.skipped).toBe(2);
  });

  it('assembles a full process with times, memory, io and fds', () => {
    const hz = clockTicks();
    const sshd = result.items.find((p) => p.pid === 812)!;
    expect(sshd).toEqual({
      pid: 812,
      ppid: 1,
      name: 'sshd',
      argv: ['sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups'],
      cmdline: 'sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups',
      state: 'S',
      uid: 0,
      euid: 0,
      user: 'root',
      threads: 1,
      kernelThread: false,
      userTime: 0,
      systemTime: 0,
      cpu: 0,
      startTime: (1795313390 + 500 / hz) * 1000,
      rss: 4096 * 1024,
      vsize: 4096 * 4 * 1024,
      memory: { VmPeak: 4096 * 4 * 1024, VmHWM: 4096 * 1024 },
      io: { rchar: 100, wchar: 200, syscr: 3, syscw: 4, readBytes: 4096, writeBytes: 0, cancelledWriteBytes: 0 },
      fdCount: 3,
      voluntaryContextSwitches: 0,
      nonvoluntaryContextSwitches: 0,
      exe: null,
    });
  });

  it('computes lifetime CPU percent as ps does', () => {
    const hz = clockTicks();
    const init = result.items.find((p) => p.pid === 1)!;
    expect(init.userTime).toBe(300 / hz);
    expect(init.systemTime).toBe(200 / hz);
    expect(init.cpu).toBeCloseTo((500 / hz / (1000.5 - 1 / hz)) * 100, 10);
  });

  it('keeps odd names whole', () => {
    expect(result.items.find((p) => p.pid === 1001)).toMatchObject({
      name: '(sd-pam)',
      cmdline: '(sd-pam)',
      user: 'alice',
    });
    expect(result.items.find((p) => p.pid === 1002)).toMatchObject({
      name: 'a) b (c',
      argv: ['./a) b (c', '--flag'],
      user: 'alice',
    });
  });

  it('shows a kernel thread with an empty command line and its rss from stat', () => {
    expect(result.items.find((p) => p.pid === 2)).toMatchObject({
      name: 'kthreadd',
      argv: [],
      cmdline: '',
      kernelThread: true,
      rss: 0,
    });
  });

  it('reports unreadable io as unknown, not as an error', () => {
    expect(result.items.find((p) => p.pid === 1002)?.io).toBeNull();
  });

  it('leaves the user null for a uid passwd does not know', () => {
    expect(result.items.find((p) => p.pid === 1005)).toMatchObject({ uid: 4242, user: null });
  });

  it('returns undefined for a pid that is not there or whose stat names another pid', () => {
    expect(readProcess(context, 77)).toBeUndefined();
    const liar = writeProcTree({ pids: { 5: fixtureProcess({ pid: 6, ppid: 1, name: 'x' }) } });
    expect(readProcess(processContext(liar, USERS), 5)).toBeUndefined();
  });

  it('gives null start times without /proc/stat', () => {
    const bare = writeProcTree({ pids: { 5: fixtureProcess({ pid: 5, ppid: 1, name: 'x' }) } });
    expect(readProcess(processContext(bare, USERS), 5)).toMatchObject({ startTime: null, cpu: 0 });
  });
});

describe('readSocketOwners', () => {
  it('maps socket inodes to every pid and fd holding them, counting unreadable fd directories', () => {
    const owners = readSocketOwners(tree());
    expect([...owners.byInode].sort((a, b) => a[0] - b[0])).toEqual([
      [4242, [{ pid: 812, fd: 4 }]],
      [
        5151,
        [
          { pid: 812, fd: 3 },
          { pid: 1005, fd: 0 },
        ],
      ],
    ]);
    // 1003 and 1004 have no fd directory.
    expect(owners.skipped).toBe(2);
  });

  it('leaves out descriptors whose link cannot be read', () => {
    const root = writeProcTree({ pids: { 9: { fds: { 3: 'socket:[77]' } } } });
    // A plain file where a link should be: readlink fails with EINVAL.
    writeFileSync(`${root}/9/fd/4`, 'socket:[78]');
    expect(readFdSockets(root, 9)).toEqual([{ fd: 3, inode: 77 }]);
  });
});

describe('readComm', () => {
  it('reads the name without its newline, and null for a vanished pid', () => {
    const root = writeProcTree({ pids: { 7: { comm: 'a) b (c\n' } } });
    expect(readComm(root, 7)).toBe('a) b (c');
    expect(readComm(root, 8)).toBeNull();
  });
});

describe('readers on arbitrary file contents', () => {
  const bytes = fc.uint8Array({ maxLength: 400 }).map((b) => Buffer.from(b));

  it('never throws, and accounts for every pid as read or skipped', () => {
    fc.assert(
      fc.property(bytes, bytes, bytes, bytes, bytes, (stat, status, cmdline, io, tcp) => {
        const root = writeProcTree({ pids: { 7: { cmdline } } });
        writeFileSync(`${root}/7/stat`, stat);
        writeFileSync(`${root}/7/status`, status);
        writeFileSync(`${root}/7/io`, io);
        mkdirSync(`${root}/net`);
        writeFileSync(`${root}/net/tcp`, tcp);
        const table = readProcesses(processContext(root, USERS));
        expect(table.items.length + table.skipped).toBe(1);
        const sockets = readNetSockets(root);
        const dataLines = tcp
          .toString('utf8')
          .split('\n')
          .slice(1)
          .filter((line) => line.trim() !== '');
        expect(sockets.items.length + sockets.skipped).toBe(dataLines.length);
        readSocketOwners(root);
        readHostState(root);
        rmSync(root, { recursive: true });
      }),
      { numRuns: 150 },
    );
  });

  it('reads a process whose status and stat are valid amid arbitrary cmdline and io bytes', () => {
    fc.assert(
      fc.property(bytes, bytes, (cmdline, io) => {
        const root = writeProcTree({
          pids: { 7: { ...fixtureProcess({ pid: 7, ppid: 1, name: 'x' }), cmdline, io: io.toString('latin1') } },
        });
        const table = readProcesses(processContext(root, USERS));
        expect(table.items.map((p) => p.pid)).toEqual([7]);
        rmSync(root, { recursive: true });
      }),
      { numRuns: 150 },
    );
  });
});
