/**
 * `logsleuth snapshot --json` against `ps` on the same machine: the same pids
 * with the same parents, names and users, up to processes that came or went
 * between ps just before and ps just after.
 */
import { execFileSync } from 'node:child_process';
import { main } from '../../../src/cli/main';
import type { CliIo } from '../../../src/cli/io';
import { ProcessTracer } from '../../../src/tracers/process';

const hasPs = (() => {
  try {
    execFileSync('ps', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

interface PsRow {
  /** "ppid ruser", compared strictly. */
  parent: string;
  comm: string;
}

function psTable(): Map<number, PsRow> {
  const table = new Map<number, PsRow>();
  for (const line of execFileSync('ps', ['-eo', 'pid=,ppid=,ruser:64=,comm:64='], { encoding: 'utf8' }).split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 4) continue;
    table.set(Number(f[0]), { parent: `${f[1]} ${f[2]}`, comm: f.slice(3).join(' ') });
  }
  return table;
}

(hasPs ? describe : describe.skip)('snapshot agrees with ps', () => {
  it('has the pids of ps with the same ppid, real user and name', async () => {
    const before = psTable();
    let out = '';
    const io: CliIo = { out: (t) => void (out += t), err: () => {}, isTTY: false, stdin: process.stdin };
    expect(await main(['node', 'logsleuth', 'snapshot', '--json'], io)).toBe(0);
    const after = psTable();
    const processes = (
      JSON.parse(out) as {
        processes: {
          pid: number;
          ppid: number;
          user: string | null;
          uid: number;
          name: string;
          start: string | null;
        }[];
      }
    ).processes;
    const ours = new Map(processes.map((p) => [p.pid, { parent: `${p.ppid} ${p.user ?? p.uid}`, comm: p.name }]));

    // Ours were seen by ps (before or after) with the same parent and user as one of them
    // (reparenting changes it), or came and went between the two ps runs: a pid that is
    // still there, the same process (same start), was alive during the second ps.
    const reader = new ProcessTracer();
    const startOf = new Map(processes.map((p) => [p.pid, p.start]));
    const stillAlive = (pid: number) => {
      const now = reader.process(pid);
      return now !== undefined && new Date(now.startTime!).toISOString() === startOf.get(pid);
    };
    const unexplained = [...ours].filter(([pid, row]) => {
      const seen = [before.get(pid), after.get(pid)].filter((r) => r !== undefined);
      return seen.length > 0 ? !seen.some((r) => r.parent === row.parent) : stillAlive(pid);
    });
    // Processes ps saw both times are ours.
    const missing = [...before.keys()].filter((pid) => after.has(pid) && !ours.has(pid));
    // Names change at run time (process.title, workqueue kworkers): compare those ps saw unchanged, outside kernel threads.
    const renamed = [...ours].filter(([pid, row]) => {
      const [b, a] = [before.get(pid), after.get(pid)];
      return b && a && b.comm === a.comm && !b.parent.startsWith('2 ') && row.comm !== b.comm;
    });

    expect({ unexplained, missing, renamed }).toEqual({ unexplained: [], missing: [], renamed: [] });
    expect(ours.size).toBeGreaterThan(10);
    expect(ours.get(process.pid)).toEqual(before.get(process.pid));
  });
});
