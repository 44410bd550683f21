/**
 * /api/v1/processes against the live /proc of a child the test spawns: a
 * Python process with a known number of threads and open files, checked
 * against what `ps` says of it and what its fd directory lists.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import { LiveState } from '../../src/serve/live-state';
import { SystemSampler } from '../../src/serve/sampler';
import { type Server, startServer } from '../../src/serve/server';
import { problems, until } from './helpers';

// Four threads (the main one and three sleepers), five more files than stdio; prints READY.
const CHILD = [
  'import sys, threading, time',
  "files = [open('/dev/null') for _ in range(5)]",
  '[threading.Thread(target=time.sleep, args=(120,), daemon=True).start() for _ in range(3)]',
  "print('READY', flush=True)",
  'time.sleep(120)',
].join('\n');

let child: ChildProcess;
let server: Server;
let sampler: SystemSampler;
let spawnedAt: number;

beforeAll(async () => {
  spawnedAt = Date.now();
  child = spawn('python3', ['-c', CHILD], { stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  await until(() => out.includes('READY'), 'the child to start');
  sampler = new SystemSampler({ intervalMs: 60_000 });
  sampler.start();
  sampler.tick();
  sampler.stop();
  server = await startServer({ source: new LiveState(), system: sampler, listen: '127.0.0.1:0' });
});

afterAll(async () => {
  child.kill();
  await server?.close();
});

interface Row {
  pid: number;
  ppid: number;
  uid: number;
  user: string | null;
  state: string;
  threads: number;
  fds: number | null;
  startTime: number | null;
  name: string;
  cmdline: string;
}

async function rowOf(pid: number): Promise<{ body: unknown; row: Row | undefined }> {
  const body = (await (await fetch(`${server.url}/api/v1/processes?limit=1000`)).json()) as { items: Row[] };
  return { body, row: body.items.find((p) => p.pid === pid) };
}

describe('GET /api/v1/processes', () => {
  it('answers valid against its schema', async () => {
    const { body } = await rowOf(child.pid!);
    expect(problems('api-processes', body)).toEqual([]);
  });

  it("carries the child's ppid, uid and user, state, threads and open descriptors as ps and its fd directory show them", async () => {
    const { row } = await rowOf(child.pid!);
    const [ppid, uid, user, state, threads] = execFileSync(
      'ps',
      ['-o', 'ppid=,uid=,ruser=,s=,nlwp=', '-p', String(child.pid)],
      {
        encoding: 'utf8',
      },
    )
      .trim()
      .split(/\s+/);
    expect(row).toMatchObject({
      pid: child.pid,
      ppid: Number(ppid),
      uid: Number(uid),
      user,
      state,
      threads: Number(threads),
      fds: readdirSync(`/proc/${child.pid}/fd`).length,
      name: 'python3',
    });
    // What the test itself knows of the child, independent of ps.
    expect(row).toMatchObject({
      ppid: process.pid,
      uid: process.getuid!(),
      user: userInfo().username,
      threads: 4,
      state: 'S',
    });
    // stdio and the five files at least (Python may hold one of its own).
    expect(row!.fds).toBeGreaterThanOrEqual(3 + 5);
    expect(row!.cmdline).toContain('python3 -c import sys, threading, time');
  });

  it('gives the start time, to the second of /proc/stat btime', async () => {
    const { row } = await rowOf(child.pid!);
    expect(row!.startTime).not.toBeNull();
    expect(Math.abs(row!.startTime! - spawnedAt)).toBeLessThan(1500);
  });
});
