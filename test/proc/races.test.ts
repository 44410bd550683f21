/**
 * Issue 8, /proc races: processes and sockets vanish while a snapshot reads
 * them. A churn process spawns and kills hundreds of short-lived processes
 * and opens and closes loopback connections while snapshots run over and
 * over; no snapshot may throw, and the churn must actually be seen.
 */
import { spawn } from 'node:child_process';
import type { CliIo } from '../../src/cli/io';
import { main } from '../../src/cli/main';
import { readHostState } from '../../src/proc/host';
import { NetworkTracer } from '../../src/tracers/network';
import { ProcessTracer } from '../../src/tracers/process';

/** Spawns `total` `sleep` children, killing each after 0-20 ms, and churns TCP connections; prints a JSON report when done. */
const CHURN = `
const { spawn } = require('node:child_process');
const net = require('node:net');
const total = Number(process.argv[1]);
let spawned = 0, killed = 0, connections = 0;
const server = net.createServer((s) => s.destroy()).listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  const tick = () => {
    for (let i = 0; i < 8 && spawned < total; i++) {
      const child = spawn('sleep', ['30', 'logsleuth-churn'], { stdio: 'ignore' });
      spawned++;
      setTimeout(() => { child.kill('SIGKILL'); killed++; }, Math.random() * 20);
    }
    for (let i = 0; i < 4; i++) {
      net.connect(port, '127.0.0.1').on('connect', function () { connections++; this.destroy(); }).on('error', () => {});
    }
    if (spawned < total) setTimeout(tick, 2);
    else setTimeout(() => { process.stdout.write(JSON.stringify({ spawned, killed, connections }) + '\\n'); process.exit(0); }, 100);
  };
  tick();
});
`;

it('never fails a snapshot while hundreds of processes and connections come and go', async () => {
  const churn = spawn(process.execPath, ['-e', CHURN, '600'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let report = '';
  churn.stdout.on('data', (chunk: Buffer) => void (report += chunk.toString()));
  const done = new Promise<void>((resolve) => churn.once('exit', () => resolve()));
  let finished = false;
  void done.then(() => (finished = true));

  const network = new NetworkTracer();
  const processes = new ProcessTracer();
  let snapshots = 0;
  let cliRuns = 0;
  const churnPidsSeen = new Set<number>();
  while (!finished) {
    const table = processes.snapshot();
    const sockets = network.snapshot();
    readHostState();
    for (const p of table.items) if (p.ppid === churn.pid && p.name === 'sleep') churnPidsSeen.add(p.pid);
    expect(sockets.connections.length).toBeGreaterThan(0);
    snapshots++;
    if (snapshots % 5 === 0) {
      // The CLI end to end: exit code 0 and valid JSON whatever vanished.
      let out = '';
      const io: CliIo = {
        out: (t) => void (out += t),
        err: (t) => void (out += t),
        isTTY: false,
        stdin: process.stdin,
      };
      expect(await main(['node', 'logsleuth', 'snapshot', '--json'], io)).toBe(0);
      expect(Object.keys(JSON.parse(out))).toEqual(['connections', 'processes']);
      cliRuns++;
    }
    // Let the churn's output reach us between snapshots.
    await new Promise((resolve) => setImmediate(resolve));
  }
  const counts = JSON.parse(report) as { spawned: number; killed: number; connections: number };

  expect(counts.spawned).toBe(600);
  expect(counts.killed).toBe(600);
  expect(counts.connections).toBeGreaterThan(0);
  expect(snapshots).toBeGreaterThan(1);
  // The snapshots ran during the churn: they saw some of its short-lived children.
  expect(churnPidsSeen.size).toBeGreaterThan(0);
  expect(cliRuns).toBeGreaterThan(0);
});
