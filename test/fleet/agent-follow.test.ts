/**
 * A following agent against a real nats-server: it keeps its place per file
 * in a state directory, so a restarted agent ships every line exactly once.
 */
import { type NatsConnection, connect } from '@nats-io/transport-node';
import {
  appendFileSync,
  copyFileSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, type FollowShipOptions } from '../../src/fleet/agent';
import { AgentState } from '../../src/fleet/agent-state';
import { RECONNECT } from '../../src/fleet/backoff';
import { SPOOL_DIR } from '../../src/fleet/spool';
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

/** Waits until the saved position of `path` is at line `line`: every event before it is acknowledged. */
async function untilSaved(state: AgentState, path: string, line: number): Promise<void> {
  while ((await state.load()).get(path)?.line !== line) await sleep(20);
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

  describe('while the server stops and starts again on the same port and store', () => {
    /**
     * Follows a copy of auth.log until shipped, stops the server, runs `meanwhile`
     * (by default: append the file again, and wait for a retry), starts the server again.
     */
    async function outage(
      name: string,
      options: Omit<FollowShipOptions, 'signal'> = {},
      meanwhile?: (log: string, retried: () => number) => Promise<void>,
    ) {
      const log = join(root, `${name}.log`);
      copyFileSync(AUTH_LOG, log);
      const state = new AgentState(join(root, `${name}-state`));
      const connection = await connect({ servers: server.url, ...RECONNECT });
      let retried = 0;
      const agent = following(new Agent({ connection, host: name, batchSize: 4 }), [log], {
        fromStart: true,
        state,
        onRetry: () => retried++,
        ...options,
      });
      const initial = lineStarts(log).length;
      await untilStored(nc, initial, name);
      await untilSaved(state, log, initial);
      await server.halt();
      if (meanwhile) await meanwhile(log, () => retried);
      else {
        appendFileSync(log, readFileSync(AUTH_LOG));
        while (retried === 0) await sleep(20);
      }
      await server.restart();
      return { log, initial, agent, connection };
    }

    it('loses nothing and stores nothing twice', async () => {
      const { log, initial, agent, connection } = await outage('outage');
      const stored = await untilStored(nc, 2 * initial, 'outage');
      const report = await agent.stop();
      await connection.close();
      expect(stored.map((event) => event.byteOffset)).toEqual(lineStarts(log));
      expect(report).toMatchObject({ events: 2 * initial, dropped: 0, unsent: 0 });
      expect(report.retries).toBeGreaterThan(0);
    });

    it('spools while the server is away; a restarted agent sends the spool first, even with the log rotated', async () => {
      const log = join(root, 'spooling.log');
      copyFileSync(AUTH_LOG, log);
      const state = new AgentState(join(root, 'spooling-state'));
      const spoolDir = join(state.dir, SPOOL_DIR);
      const initial = lineStarts(log).length;
      const options = { fromStart: true, state };
      const first = await connect({ servers: server.url, ...RECONNECT });
      const agent = following(new Agent({ connection: first, host: 'spooling', batchSize: 4 }), [log], options);
      await untilStored(nc, initial, 'spooling');
      await untilSaved(state, log, initial);
      await server.halt();
      appendFileSync(log, readFileSync(AUTH_LOG));
      // On disk, the positions past the spooled events: the file is no longer needed for them.
      await untilSaved(state, log, 2 * initial);
      const stopped = await agent.stop();
      await first.close();
      expect(stopped).toMatchObject({ events: initial, unsent: 0, spooled: initial, dropped: 0 });
      expect(readdirSync(spoolDir).length).toBeGreaterThan(0);
      // Rotated while the agent is stopped: the appended lines are now only in auth.log.1 and the spool.
      const lines = lineStarts(log);
      renameSync(log, `${log}.1`);
      writeFileSync(log, '');

      // The restarted agent's connection waits for the server, which starts after it.
      const connecting = connect({ servers: server.url, ...RECONNECT, waitOnFirstConnect: true });
      await server.restart();
      const second = await connecting;
      const restarted = following(new Agent({ connection: second, host: 'spooling', batchSize: 4 }), [log], options);
      const stored = await untilStored(nc, 2 * initial, 'spooling');
      const report = await restarted.stop();
      await second.close();
      expect(stored.map((event) => event.byteOffset)).toEqual(lines);
      expect(report).toMatchObject({ events: initial, unsent: 0, spooled: 0 });
      expect(readdirSync(spoolDir)).toEqual([]);
    });

    it('without a spool, with a full queue in drop mode, drops the newest events and counts them', async () => {
      const lines = readFileSync(AUTH_LOG, 'utf8').split('\n');
      let dropped = 0;
      // Without a spool: the in-memory queue alone.
      const options = {
        whenFull: 'drop' as const,
        queueEvents: 4,
        spoolBytes: 0,
        onDropped: (n: number) => (dropped += n),
      };
      const { log, initial, agent, connection } = await outage('dropping', options, async (path, retried) => {
        // 3 events wait for the server; of the next 14 the queue has room for 1.
        appendFileSync(path, lines.slice(0, 3).join('\n') + '\n');
        while (retried() === 0) await sleep(20);
        appendFileSync(path, readFileSync(AUTH_LOG));
        while (dropped === 0) await sleep(20);
      });
      const stored = await untilStored(nc, initial + 4, 'dropping');
      const report = await agent.stop();
      await connection.close();
      expect(stored.map((event) => event.byteOffset)).toEqual(lineStarts(log).slice(0, initial + 4));
      expect(report).toMatchObject({ events: initial + 4, dropped: initial - 1, unsent: 0 });
      expect(dropped).toBe(initial - 1);
    });
  });
});
