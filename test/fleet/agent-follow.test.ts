/**
 * A following agent against a real nats-server: it keeps its place per file
 * in a state directory, so a restarted agent ships every line exactly once.
 */
import { type NatsConnection, connect } from '@nats-io/transport-node';
import { appendFileSync, copyFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, type FollowShipOptions } from '../../src/fleet/agent';
import { AgentState } from '../../src/fleet/agent-state';
import { readJsonFile } from '../../src/core/json-file';
import { storedEvents, untilStored } from '../helpers/fleet-stream';
import { type NatsServer, startNatsServer } from '../helpers/nats-server';

const AUTH_LOG = join(__dirname, '../fixtures/logs/auth.log');
const TIME = { timezone: 'UTC', referenceDate: Date.parse('2026-12-31T00:00:00Z') };

/** Starts `agent.follow` in the background; `stop()` aborts it and returns its report. */
function following(agent: Agent, paths: string[], options: Omit<FollowShipOptions, 'signal'>) {
  const controller = new AbortController();
  const done = agent.follow(paths, { ...TIME, pollMs: 10, ...options, signal: controller.signal });
  return {
    async stop() {
      controller.abort();
      return done;
    },
  };
}

/** Byte offset of the start of every non-blank line of a file. */
function lineStarts(path: string): number[] {
  const starts: number[] = [];
  let at = 0;
  for (const line of readFileSync(path, 'latin1').split('\n')) {
    if (line.trim() !== '') starts.push(at);
    at += line.length + 1;
  }
  return starts;
}

describe('Agent.follow', () => {
  let server: NatsServer;
  let nc: NatsConnection;
  const root = mkdtempSync(join(tmpdir(), 'logsleuth-agent-'));
  beforeEach(async () => {
    server = await startNatsServer();
    nc = await connect({ servers: server.url });
  });
  afterEach(async () => {
    await nc.close();
    await server.stop();
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('resumes after a restart where it stopped: every line in the stream exactly once', async () => {
    const log = join(root, 'auth.log');
    copyFileSync(AUTH_LOG, log);
    const state = new AgentState(join(root, 'state'));
    const initial = lineStarts(log).length;

    const first = following(new Agent({ connection: nc, host: 'web1', batchSize: 4 }), [log], {
      fromStart: true,
      state,
    });
    await untilStored(nc, initial);
    expect(await first.stop()).toMatchObject({ events: initial, duplicates: 0 });

    const saved = await readJsonFile<{ files: object[] }>(join(state.dir, 'positions.json'), 'agent-state');
    const { dev, ino } = statSync(log);
    expect(saved.files).toEqual([{ path: log, dev, ino, offset: lineStarts(log).at(-1), line: initial }]);

    // Appended while no agent runs; the second agent also asks for --from-start, which saved positions override.
    appendFileSync(log, readFileSync(AUTH_LOG));
    const second = following(new Agent({ connection: nc, host: 'web1', batchSize: 4 }), [log], {
      fromStart: true,
      state,
    });
    const stored = await untilStored(nc, 2 * initial);
    expect(await second.stop()).toMatchObject({ events: initial, duplicates: 0 });
    expect(stored.map((event) => event.byteOffset)).toEqual(lineStarts(log));
    expect(stored.map((event) => event.line)).toEqual(lineStarts(log).map((_, i) => i + 1));
  });

  it('starts at the end of the files by default, like tail -F', async () => {
    const log = join(root, 'tail.log');
    copyFileSync(AUTH_LOG, log);
    const agent = following(new Agent({ connection: nc, host: 'web2' }), [log], {});
    // Only lines appended after the agent opened the file are shipped: append until some come.
    const lines = readFileSync(AUTH_LOG, 'utf8').split('\n').slice(0, 3).join('\n') + '\n';
    while ((await storedEvents(nc)).length === 0) {
      appendFileSync(log, lines);
      await sleep(50);
    }
    const report = await agent.stop();
    const stored = await storedEvents(nc);
    expect(stored.length).toBe(report.events);
    expect(stored.length % 3).toBe(0);
    const skipped = stored[0]!.byteOffset! - statSync(AUTH_LOG).size;
    expect(skipped % Buffer.byteLength(lines)).toBe(0);
    expect(skipped).toBeGreaterThanOrEqual(0);
  });
});
