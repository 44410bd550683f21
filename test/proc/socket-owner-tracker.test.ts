/**
 * SocketOwnerTracker over fixture fd directories changed between samples:
 * the owners stay right where an fd number is reused, a socket closes, a
 * process forks or a pid is reused, while links that cannot have changed are
 * not read again.
 */
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { FULL_READ_SAMPLES, SocketOwnerTracker } from '../../src/proc/socket-owner-tracker';
import { removeProcTrees, writeProcTree } from './proc-tree';

afterAll(removeProcTrees);

/** Points `root/pid/fd/fd` at `target`, as a process reusing the number would. */
function relink(root: string, pid: number, fd: number, target: string): void {
  rmSync(`${root}/${pid}/fd/${fd}`, { force: true });
  symlinkSync(target, `${root}/${pid}/fd/${fd}`);
}

const owners = (scan: ReturnType<SocketOwnerTracker['scan']>) =>
  Object.fromEntries([...scan.byInode].map(([inode, holders]) => [inode, holders.map((h) => `${h.pid}/${h.fd}`)]));

const at = (...pids: number[]) => pids.map((pid) => ({ pid, startTime: 1000 }));

describe('SocketOwnerTracker', () => {
  it('finds every holder and counts each process’s fds, skipping unlistable fd directories', () => {
    const root = writeProcTree({
      pids: { 10: { fds: { 0: '/dev/null', 3: 'socket:[77]' } }, 11: { fds: { 4: 'socket:[77]' } }, 12: {} },
    });
    const scan = new SocketOwnerTracker(root).scan(at(10, 11, 12), new Set([77]));
    expect(owners(scan)).toEqual({ 77: ['10/3', '11/4'] });
    expect(scan.fdCounts).toEqual(
      new Map([
        [10, 2],
        [11, 1],
      ]),
    );
    expect(scan.skipped).toBe(1);
  });

  it('counts a link it cannot read as no socket', () => {
    const root = writeProcTree({ pids: { 9: { fds: { 3: 'socket:[77]' } } } });
    // A plain file where a link should be: readlink fails with EINVAL.
    writeFileSync(`${root}/9/fd/4`, 'socket:[78]');
    const scan = new SocketOwnerTracker(root).scan(at(9), new Set([77, 78]));
    expect(owners(scan)).toEqual({ 77: ['9/3'] });
    expect(scan.fdCounts).toEqual(new Map([[9, 2]]));
  });

  it('attributes a new socket opened on a reused fd number that held a file', () => {
    const root = writeProcTree({ pids: { 10: { fds: { 3: 'socket:[77]', 5: '/var/log/app.log' } } } });
    const tracker = new SocketOwnerTracker(root);
    tracker.scan(at(10), new Set([77]));
    relink(root, 10, 5, 'socket:[88]');
    expect(owners(tracker.scan(at(10), new Set([77, 88])))).toEqual({ 77: ['10/3'], 88: ['10/5'] });
  });

  it('attributes a second such socket at the next full read, FULL_READ_SAMPLES samples after the first', () => {
    const root = writeProcTree({
      pids: { 10: { fds: { 3: 'socket:[77]', 5: '/var/log/a.log', 6: '/var/log/b.log' } } },
    });
    const tracker = new SocketOwnerTracker(root);
    tracker.scan(at(10), new Set([77]));
    relink(root, 10, 5, 'socket:[88]');
    expect(owners(tracker.scan(at(10), new Set([77, 88])))['88']).toEqual(['10/5']);
    relink(root, 10, 6, 'socket:[99]');
    const seen: number[] = [];
    for (let sample = 1; sample <= FULL_READ_SAMPLES + 1; sample++)
      if (owners(tracker.scan(at(10), new Set([77, 88, 99])))['99']) seen.push(sample);
    expect(seen).toEqual([FULL_READ_SAMPLES, FULL_READ_SAMPLES + 1]);
  });

  it('attributes a new socket on the number of one that closed', () => {
    const root = writeProcTree({ pids: { 10: { fds: { 3: 'socket:[77]' } } } });
    const tracker = new SocketOwnerTracker(root);
    tracker.scan(at(10), new Set([77]));
    relink(root, 10, 3, 'socket:[88]');
    expect(owners(tracker.scan(at(10), new Set([88])))).toEqual({ 88: ['10/3'] });
  });

  it('drops a parent that closed its copy of a socket after forking', () => {
    const root = writeProcTree({ pids: { 10: { fds: { 4: 'socket:[77]' } } } });
    const tracker = new SocketOwnerTracker(root);
    tracker.scan(at(10), new Set([77]));
    mkdirSync(`${root}/11/fd`, { recursive: true });
    symlinkSync('socket:[77]', `${root}/11/fd/4`);
    relink(root, 10, 4, '/dev/null');
    expect(owners(tracker.scan(at(10, 11), new Set([77])))).toEqual({ 77: ['11/4'] });
  });

  it('reads the links of a reused pid anew', () => {
    const root = writeProcTree({ pids: { 10: { fds: { 3: 'socket:[77]' } }, 20: { fds: { 3: 'socket:[77]' } } } });
    const tracker = new SocketOwnerTracker(root);
    tracker.scan(at(10, 20), new Set([77]));
    relink(root, 10, 3, '/dev/null');
    const scan = tracker.scan([{ pid: 10, startTime: 2000 }, ...at(20)], new Set([77]));
    expect(owners(scan)).toEqual({ 77: ['20/3'] });
  });

  it('does not read again a link that cannot have changed', () => {
    const root = writeProcTree({ pids: { 10: { fds: { 3: 'socket:[77]', 4: 'socket:[9001]' } } } });
    const tracker = new SocketOwnerTracker(root);
    tracker.scan(at(10), new Set([77]));
    // Behind the tracker's back, and with no socket new to the tables: not seen.
    relink(root, 10, 4, 'socket:[9002]');
    expect(owners(tracker.scan(at(10), new Set([77])))).toEqual({ 77: ['10/3'], 9001: ['10/4'] });
  });
});
