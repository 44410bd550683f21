/**
 * The readers as an unprivileged user on the live /proc: other users'
 * io, fd and exe are unreadable (EACCES). They come back unknown (null), the
 * sockets those processes hold stay without owner, and nothing throws.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;

interface Seen {
  processes: { pid: number; uid: number; io: boolean; fds: number | null; exe: string | null }[];
  self: number;
  connections: { inode: number; pid: number | null; uid: number }[];
  ownersSkipped: number;
}

(asRoot ? describe : describe.skip)('readers run as nobody', () => {
  let seen: Seen;
  beforeAll(() => {
    const run = spawnSync(
      process.execPath,
      [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'test/proc/unprivileged-snapshot.ts'],
      {
        uid: NOBODY,
        gid: NOBODY,
        cwd: ROOT,
        env: { ...process.env, HOME: '/tmp' },
        encoding: 'utf8',
        timeout: 60000,
      },
    );
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    seen = JSON.parse(run.stdout) as Seen;
  });

  it("reports root's io, fds and exe as unknown", () => {
    expect(seen.processes.find((p) => p.pid === process.pid)).toEqual({
      pid: process.pid,
      uid: 0,
      io: false,
      fds: null,
      exe: null,
    });
  });

  it('still reads its own io, fds and exe', () => {
    expect(seen.processes.find((p) => p.pid === seen.self)).toEqual({
      pid: seen.self,
      uid: NOBODY,
      io: true,
      fds: expect.any(Number),
      exe: process.execPath,
    });
  });

  it("leaves root's sockets without an owner and counts the unreadable fd directories", () => {
    const rootProcesses = seen.processes.filter((p) => p.uid === 0 && p.fds === null).length;
    expect(seen.ownersSkipped).toBeGreaterThanOrEqual(rootProcesses);
    expect(seen.connections.filter((c) => c.pid !== null)).toEqual([]);
  });
});
