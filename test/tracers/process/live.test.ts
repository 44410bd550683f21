import { type ChildProcess, spawn } from 'node:child_process';
import { ProcessTracer } from '../../../src/tracers/process';

const tracer = new ProcessTracer();

describe('ProcessTracer on the live /proc', () => {
  let sleeper: ChildProcess & { pid: number };
  let busy: ChildProcess & { pid: number };

  beforeAll(() => {
    // An argument no other process has, to find it by.
    sleeper = spawn('sleep', ['271.828'], { stdio: 'ignore' }) as typeof sleeper;
    busy = spawn(process.execPath, ['-e', 'for (;;) {}', 'logsleuth-busy-loop'], { stdio: 'ignore' }) as typeof busy;
  });
  afterAll(() => {
    sleeper.kill('SIGKILL');
    busy.kill('SIGKILL');
  });

  it('reads this test process as the kernel and node see it', () => {
    const self = tracer.process(process.pid)!;
    expect(self).toMatchObject({
      pid: process.pid,
      ppid: process.ppid,
      uid: process.getuid!(),
      euid: process.geteuid!(),
      kernelThread: false,
    });
    expect(self.exe).toBe(process.execPath);
    expect(self.threads).toBeGreaterThan(1);
    expect(self.rss).toBeGreaterThan(0);
  });

  it('finds a spawned child by its command line, under this process', () => {
    const found = tracer.search('sleep 271.828');
    expect(found.map((p) => [p.pid, p.ppid, p.name, p.argv])).toEqual([
      [sleeper.pid, process.pid, 'sleep', ['sleep', '271.828']],
    ]);
    expect(tracer.children(process.pid).map((p) => p.pid)).toEqual(expect.arrayContaining([sleeper.pid, busy.pid]));
    expect(tracer.ancestors(sleeper.pid)[0]?.pid).toBe(process.pid);
    expect(tracer.ancestors(sleeper.pid).at(-1)?.pid).toBe(1);
  });

  it('reads a start time within the test run and io counters for our own children', () => {
    const child = tracer.process(sleeper.pid)!;
    const startedAround = Date.now() - process.uptime() * 1000;
    expect(child.startTime).toBeGreaterThanOrEqual(startedAround - 1000);
    expect(child.startTime).toBeLessThanOrEqual(Date.now() + 1000);
    expect(child.io).not.toBeNull();
    // stdin, stdout and stderr at least (/dev/null), plus whatever the runner leaks to children.
    expect(child.fdCount).toBeGreaterThanOrEqual(3);
  });

  it('samples CPU over an interval: a busy loop uses CPU, a sleeper none', async () => {
    const sampled = await tracer.sample(300);
    const cpu = (pid: number) => sampled.items.find((p) => p.pid === pid)?.cpu;
    expect(cpu(busy.pid)).toBeGreaterThan(0);
    expect(cpu(sleeper.pid)).toBe(0);
  });
});
