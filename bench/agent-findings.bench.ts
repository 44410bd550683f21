/**
 * What an agent's local findings cost (`agent --findings`): the same generated
 * auth.log shipped by `Agent.ship` to a real nats-server without and with the
 * tracers (with this host's /proc, as the CLI runs them), in CPU seconds of
 * the agent's process (nats-server's own CPU is not in it) and wall time,
 * alternating, best of each; and an agent following a log written at 1,000
 * lines/s for 10 s (the writer's CPU is in it too, for both).
 * `npm run bench -- agent-findings`.
 */
import { connect } from '@nats-io/transport-node';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from '../src/fleet/agent';
import { startNatsServer } from '../test/helpers/nats-server';
import { generateAuthLog } from './generate-logs';
import type { Figure } from './run';

export const name = 'agent-findings';
const LINES = 200_000;
const ROUNDS = 2;
const TIME = { timezone: 'UTC', referenceDate: Date.parse('2026-12-31T00:00:00Z') };

const FOLLOW_MS = 10_000;
const FOLLOW_LINES_PER_TICK = 100;

const cpuSeconds = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1e6;

/** CPU % of one core of an agent following `log` while 1,000 lines/s are appended to it for 10 s. */
async function following(agent: Agent, log: string, lines: readonly string[]): Promise<number> {
  writeFileSync(log, '');
  const stop = new AbortController();
  const cpu = process.cpuUsage();
  const followed = agent.follow([log], { signal: stop.signal, pollMs: 250, ...TIME });
  for (let tick = 0; tick < FOLLOW_MS / 100; tick++) {
    const at = (tick * FOLLOW_LINES_PER_TICK) % (lines.length - FOLLOW_LINES_PER_TICK);
    appendFileSync(log, lines.slice(at, at + FOLLOW_LINES_PER_TICK).join('\n') + '\n');
    await sleep(100);
  }
  stop.abort();
  await followed;
  return (100 * cpuSeconds(process.cpuUsage(cpu))) / (FOLLOW_MS / 1000);
}

export async function run(): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'logsleuth-bench-findings-'));
  const log = join(dir, 'auth.log');
  writeFileSync(log, generateAuthLog(LINES));
  const server = await startNatsServer();
  const connection = await connect({ servers: server.url });
  const best = { without: { cpu: Infinity, wall: Infinity }, with: { cpu: Infinity, wall: Infinity } };
  let published = 0;
  const follow = { without: 0, with: 0 };
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const mode of ['without', 'with'] as const) {
        // A new host id each run: its batches are new to the server, not dropped as duplicates.
        const host = `bench-${mode}-${round}`;
        const agent = new Agent({ connection, host, ...(mode === 'with' ? { findings: { live: true } } : {}) });
        const cpu = process.cpuUsage();
        const started = performance.now();
        await agent.ship([log], TIME);
        best[mode].cpu = Math.min(best[mode].cpu, cpuSeconds(process.cpuUsage(cpu)));
        best[mode].wall = Math.min(best[mode].wall, (performance.now() - started) / 1000);
        if (mode === 'with') published = agent.findingsReport()!.published;
      }
    }
    const lines = generateAuthLog(20_000).split('\n').filter(Boolean);
    for (const mode of ['without', 'with'] as const) {
      const host = `bench-follow-${mode}`;
      const agent = new Agent({ connection, host, ...(mode === 'with' ? { findings: { live: true } } : {}) });
      follow[mode] = await following(agent, join(dir, `follow-${mode}.log`), lines);
    }
  } finally {
    await connection.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const extra = (100 * (best.with.cpu - best.without.cpu)) / best.without.cpu;
  return [
    {
      measure: `agent ship, ${LINES} lines, without findings`,
      value: best.without.cpu,
      unit: 's CPU',
      note: `${best.without.wall.toFixed(2)} s wall, best of ${ROUNDS}`,
    },
    {
      measure: `agent ship, ${LINES} lines, with --findings`,
      value: best.with.cpu,
      unit: 's CPU',
      note: `${best.with.wall.toFixed(2)} s wall; +${extra.toFixed(0)}% CPU; ${published} findings published`,
    },
    {
      measure: 'agent following 1,000 lines/s for 10 s, without findings',
      value: follow.without,
      unit: '% of one core',
    },
    {
      measure: 'agent following 1,000 lines/s for 10 s, with --findings',
      value: follow.with,
      unit: '% of one core',
      note: 'new findings published every 5 s',
    },
  ];
}
