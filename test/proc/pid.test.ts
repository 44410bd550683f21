import fc from 'fast-check';
import { joinCmdline, parseCmdline } from '../../src/proc/pid-cmdline';
import { socketInode } from '../../src/proc/pid-fd';
import { parseProcIo } from '../../src/proc/pid-io';
import { parseProcStat } from '../../src/proc/pid-stat';
import { parseProcStatus } from '../../src/proc/pid-status';
import { parsePasswd } from '../../src/proc/passwd';
import { parseSystemStat } from '../../src/proc/system-stat';
import { SYSTEM_STAT, ioText, statLine, statusText } from './proc-tree';

/** A stat line copied from a live Linux 6 system (`cat /proc/self/stat`). */
const REAL_STAT =
  '8886 (cat) R 8882 8882 6285 0 -1 4194304 99 0 0 0 0 0 0 0 20 0 1 0 52291 3133440 380 18446744073709551615 93834833625088 93834833644969 140729377398800 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0 93834833660976 93834833662592 93835184754688 140729377401569 140729377401589 140729377401589 140729377402859 0\n';

describe('parseProcStat', () => {
  it('reads a real stat line', () => {
    expect(parseProcStat(REAL_STAT)).toEqual({
      pid: 8886,
      name: 'cat',
      state: 'R',
      ppid: 8882,
      pgrp: 8882,
      session: 6285,
      flags: 4194304,
      utime: 0,
      stime: 0,
      priority: 20,
      nice: 0,
      threads: 1,
      startTicks: 52291,
      vsize: 3133440,
      rssPages: 380,
      kernelThread: false,
    });
  });

  it.each([
    ['(sd-pam)', '(sd-pam)'],
    ['a) b (c', 'a) b (c'],
    ['with space', 'with space'],
    [')', ')'],
    ['((', '(('],
    ['', ''],
    ['ünïcode', 'ünïcode'],
  ])('reads the name %p up to the last parenthesis', (name, expected) => {
    const stat = parseProcStat(statLine({ pid: 42, name, ppid: 7, utime: 5, stime: 3, threads: 2 }));
    expect(stat).toMatchObject({ pid: 42, name: expected, ppid: 7, utime: 5, stime: 3, threads: 2 });
  });

  it('flags kernel threads by PF_KTHREAD', () => {
    expect(parseProcStat(statLine({ pid: 2, name: 'kthreadd', ppid: 0, flags: 0x00208040 }))?.kernelThread).toBe(true);
    expect(parseProcStat(statLine({ pid: 9, name: 'bash', ppid: 1, flags: 0x00400100 }))?.kernelThread).toBe(false);
  });

  it.each([
    ['an empty line', ''],
    ['no parentheses', '12 cat R 1 1 1'],
    ['a truncated line', '12 (cat) R 1 1 1 0 -1'],
    ['a non-numeric pid', 'x (cat) R 1 1 1 0 -1 4194304 99 0 0 0 0 0 0 0 20 0 1 0 52291 3133440 380'],
    ['a two-letter state', REAL_STAT.replace(') R ', ') RR ')],
    ['a non-numeric ppid', REAL_STAT.replace(') R 8882', ') R x')],
  ])('rejects %s', (_name, line) => {
    expect(parseProcStat(line)).toBeUndefined();
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => void parseProcStat(text)),
      { numRuns: 3000 },
    );
  });

  it('finds any name that the kernel could print', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 15 }), fc.integer({ min: 1, max: 4194304 }), (name, pid) => {
        expect(parseProcStat(statLine({ pid, name, ppid: 1 }))).toMatchObject({ pid, name });
      }),
    );
  });
});

describe('parseProcStatus', () => {
  it('reads uids, threads, memory in bytes and context switches', () => {
    const status = parseProcStatus(
      statusText({
        name: 'sshd',
        pid: 10,
        ppid: 1,
        uid: 1000,
        threads: 3,
        rssKb: 1624,
        sizeKb: 3060,
        voluntary: 348,
        nonvoluntary: 34,
      }),
    );
    expect(status).toEqual({
      name: 'sshd',
      uids: [1000, 1000, 1000, 1000],
      gids: [1000, 1000, 1000, 1000],
      threads: 3,
      memory: { VmPeak: 3060 * 1024, VmSize: 3060 * 1024, VmHWM: 1624 * 1024, VmRSS: 1624 * 1024 },
      voluntaryContextSwitches: 348,
      nonvoluntaryContextSwitches: 34,
      malformed: 0,
    });
  });

  it('undoes the escaping of newlines and backslashes in the name and keeps trailing spaces', () => {
    expect(parseProcStatus('Name:\ta\\nb\\\\c  \nUid:\t0\t0\t0\t0\n').name).toBe('a\nb\\c  ');
  });

  it('reads distinct real, effective, saved and filesystem uids', () => {
    expect(parseProcStatus('Name:\tsudo\nUid:\t1000\t0\t0\t0\n').uids).toEqual([1000, 0, 0, 0]);
  });

  it('counts lines without a key and leaves malformed values out', () => {
    const status = parseProcStatus('Name:\tx\nnonsense\nUid:\t1 2\nVmRSS:\tlots kB\nThreads:\t-1\n');
    expect(status).toEqual({
      name: 'x',
      uids: undefined,
      gids: undefined,
      threads: undefined,
      memory: {},
      voluntaryContextSwitches: undefined,
      nonvoluntaryContextSwitches: undefined,
      malformed: 1,
    });
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => void parseProcStatus(text)),
      { numRuns: 3000 },
    );
  });
});

describe('parseCmdline', () => {
  it('splits NUL-separated arguments, keeping spaces inside them', () => {
    expect(parseCmdline(Buffer.from('/usr/bin/python3\0-c\0print("a b")\0'))).toEqual([
      '/usr/bin/python3',
      '-c',
      'print("a b")',
    ]);
  });

  it('is empty for a kernel thread', () => {
    expect(parseCmdline(Buffer.alloc(0))).toEqual([]);
  });

  it('keeps a rewritten title and drops its NUL padding', () => {
    const args = parseCmdline(Buffer.from('sshd: alice [priv]\0\0\0\0\0'));
    expect(args).toEqual(['sshd: alice [priv]']);
    expect(joinCmdline(args)).toBe('sshd: alice [priv]');
  });

  it('keeps empty arguments in the middle', () => {
    expect(parseCmdline(Buffer.from('printf\0\0x\0'))).toEqual(['printf', '', 'x']);
  });

  it('never throws on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => void joinCmdline(parseCmdline(Buffer.from(bytes)))),
      {
        numRuns: 3000,
      },
    );
  });
});

describe('parseProcIo', () => {
  it('reads every counter', () => {
    expect(parseProcIo(ioText({ rchar: 6976, wchar: 12, syscr: 10, syscw: 1, read: 4096, write: 8192 }))).toEqual({
      rchar: 6976,
      wchar: 12,
      syscr: 10,
      syscw: 1,
      readBytes: 4096,
      writeBytes: 8192,
      cancelledWriteBytes: 0,
    });
  });

  it('is undefined when a counter is missing or not a number', () => {
    expect(parseProcIo('rchar: 1\nwchar: 2\n')).toBeUndefined();
    expect(parseProcIo(ioText({}).replace('syscr: 0', 'syscr: many'))).toBeUndefined();
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => void parseProcIo(text)),
      { numRuns: 2000 },
    );
  });
});

describe('socketInode', () => {
  it.each([
    ['socket:[12345]', 12345],
    ['socket:[]', undefined],
    ['socket:[12x]', undefined],
    ['pipe:[12345]', undefined],
    ['/dev/null', undefined],
    ['anon_inode:[eventpoll]', undefined],
  ])('reads %p as %p', (target, inode) => {
    expect(socketInode(target)).toBe(inode);
  });
});

describe('parseSystemStat', () => {
  it('reads the boot time, all-CPU and per-CPU times', () => {
    const stat = parseSystemStat(SYSTEM_STAT)!;
    expect(stat.bootTime).toBe(1795313390);
    expect(stat.cpu).toEqual({
      user: 21131,
      nice: 0,
      system: 4247,
      idle: 108174,
      iowait: 112,
      irq: 0,
      softirq: 154,
      steal: 35,
      total: 133853,
    });
    expect(stat.cpus.map((c) => c.user)).toEqual([10000, 11131]);
    expect([stat.processesCreated, stat.running, stat.blocked, stat.malformed]).toEqual([12994, 2, 0, 0]);
  });

  it('is undefined without a boot time', () => {
    expect(parseSystemStat('cpu 1 2 3 4\n')).toBeUndefined();
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => void parseSystemStat(text)),
      { numRuns: 2000 },
    );
  });
});

describe('parsePasswd', () => {
  it('maps uids to names, the first entry winning, ignoring comments and malformed lines', () => {
    const users = parsePasswd(
      '# users\nroot:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/sh\ntoor:x:0:0::/:/bin/sh\nbroken\nbob:x:abc:1::/:/bin/sh\n',
    );
    expect([...users]).toEqual([
      [0, 'root'],
      [1000, 'alice'],
    ]);
  });
});
