/**
 * The fleet as separate processes, as it runs (the build's CLI): two agents
 * shipping at once into one nats-server, drained by one collector (without and
 * with `--store`, alternately, twice each) and by two collectors sharing the
 * partitions (`--partition 0/2` and `1/2`); and one agent's CPU while it
 * follows a log written at a steady rate. Part of `npm run bench -- fleet`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { appendFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseProcStat } from '../src/proc/pid-stat';
import { clockTicks } from '../src/proc/sysconf';
import { buildOnce } from './analyze.bench';
import { generateAuthLog } from './generate-logs';
import type { Figure } from './run';

const CLI = join(__dirname, '..', 'bin', 'logsleuth.js');
const TIME = ['--timezone', 'UTC', '--reference-date', '2026-12-31'];

function logsleuth(args: string[]): ChildProcess {
  return spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Runs the commands at once: seconds until the last has exited (each must exit 0), and each one's stderr. */
async function together(commands: string[][]): Promise<{ seconds: number; stderr: string[] }> {
  const started = performance.now();
  const stderr = await Promise.all(
    commands.map(async (args) => {
      const child = logsleuth(args);
      let text = '';
      child.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()));
      const [code] = (await once(child, 'exit')) as [number | null];
      if (code !== 0) throw new Error(`logsleuth ${args.join(' ')} exited ${code}: ${text.slice(-500)}`);
      return text;
    }),
  );
  return { seconds: (performance.now() - started) / 1000, stderr };
}

/** The events a `collect` says it consumed (its stderr summary). */
function collected(stderr: string): number {
  const events = /logsleuth: (\d+) events in/.exec(stderr);
  if (!events) throw new Error(`no event count in collect's stderr: ${stderr.slice(-500)}`);
  return Number(events[1]);
}

function cpuSeconds(pid: number): number {
  const stat = parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'))!;
  return (stat.utime + stat.stime) / clockTicks();
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Figures of the fleet's processes against the nats-server at `url`; files go
 * in `dir`. `before`: events the stream already holds (new durables read them too).
 */
export async function fleetProcesses(url: string, dir: string, lines: number, before: number): Promise<Figure[]> {
  buildOnce();
  const files = ['a', 'b'].map((host) => {
    const path = join(dir, `${host}.log`);
    writeFileSync(path, generateAuthLog(lines));
    return path;
  });
  const nats = ['--nats', url];
  const { seconds: shipped } = await together(
    files.map((file, i) => ['agent', file, '--once', '--host-id', `host-${i}`, ...nats, ...TIME]),
  );
  const events = 2 * lines;
  const drained = before + events;
  // Alternately, each on a new durable (which reads the whole stream), so load swings hit both alike.
  const plain: number[] = [];
  const stored: number[] = [];
  for (const round of [1, 2]) {
    plain.push((await together([['collect', ...nats, '--durable', `one-${round}`]])).seconds);
    const store = join(dir, `collect-${round}.duckdb`);
    stored.push((await together([['collect', ...nats, '--durable', `stored-${round}`, '--store', store]])).seconds);
  }
  const one = Math.min(...plain);
  const withStore = Math.min(...stored);
  const storeBytes = statSync(join(dir, 'collect-1.duckdb')).size;
  const two = await together(
    ['0/2', '1/2'].map((share) => ['collect', ...nats, '--durable', 'two', '--partition', share]),
  );
  const each = two.stderr.map(collected);
  const figures: Figure[] = [
    { measure: 'two agents at once (processes)', value: events / shipped, unit: 'events/s', note: `${events} events` },
    {
      measure: 'one collector (process)',
      value: drained / one,
      unit: 'events/s',
      note: `${drained} events, best of 2`,
    },
    {
      measure: 'one collector with --store (process)',
      value: drained / withStore,
      unit: 'events/s',
      note: `best of 2; every event into silver_events and bronze_lines, committed before its message is acked; ${Math.round(storeBytes / drained)} bytes of store per event`,
    },
    {
      measure: 'two collectors, --partition 0/2 and 1/2',
      value: drained / two.seconds,
      unit: 'events/s',
      note: `events per collector: ${each.join(' and ')} (each address on one)`,
    },
  ];
  figures.push(await followCpu(url, dir));
  return figures;
}

/** One agent following a log written at RATE lines/s for SECONDS: its CPU, % of one core. */
async function followCpu(url: string, dir: string): Promise<Figure> {
  const RATE = Number(process.env['FLEET_FOLLOW_RATE'] ?? 1000);
  const SECONDS = Number(process.env['FLEET_FOLLOW_SECONDS'] ?? 20);
  const path = join(dir, 'busy.log');
  writeFileSync(path, '');
  const source = generateAuthLog(RATE * SECONDS).split('\n');
  const agent = logsleuth(['agent', path, '--nats', url, '--host-id', 'busy', '--state', join(dir, 'state'), ...TIME]);
  agent.stderr!.resume();
  await sleep(1500);
  const before = cpuSeconds(agent.pid!);
  const started = performance.now();
  for (let s = 0; s < SECONDS * 10; s++) {
    appendFileSync(path, source.slice(s * (RATE / 10), (s + 1) * (RATE / 10)).join('\n') + '\n');
    await sleep(100);
  }
  await sleep(1000);
  const cpu = cpuSeconds(agent.pid!) - before;
  const wall = (performance.now() - started) / 1000;
  agent.kill('SIGTERM');
  await once(agent, 'exit');
  return {
    measure: `one agent following a log written at ${RATE} lines/s`,
    value: (100 * cpu) / wall,
    unit: '% of a core',
    note: `${SECONDS} s, agent process only`,
  };
}
