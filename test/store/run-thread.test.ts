import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { createEvent } from '../../src/core/event';
import { StoreError } from '../../src/store/errors';
import { MAX_BATCHES_IN_FLIGHT, openRunThread } from '../../src/store/run-thread';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'logsleuth-run-thread-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function count(path: string, sql: string): Promise<number> {
  const instance = await DuckDBInstance.create(path);
  const connection = await instance.connect();
  const rows = (await connection.runAndReadAll(sql)).getRows();
  connection.closeSync();
  instance.closeSync();
  return Number(rows[0]![0]);
}

const event = (line: number) =>
  createEvent({ source: 'auth.log', line, raw: `line ${line} from 192.0.2.${line % 250}`, format: 'raw' });

describe('RunThread', () => {
  it('stores every event posted, in order, more than the in-flight bound holds', async () => {
    const path = join(dir, 's.duckdb');
    const run = await openRunThread(path, { command: 'test', inputs: ['auth.log'] });
    const total = 2048 * MAX_BATCHES_IN_FLIGHT + 5000;
    for (let i = 1; i <= total; i++) run.event(event(i), i % 2 === 0, i === 7 ? 'sig-7' : undefined);
    const counts = await run.finish();
    expect(counts).toMatchObject({ events: total, lines: total / 2 });
    expect(await count(path, 'SELECT count(*) FROM silver_events')).toBe(total);
    // Rows went in in posting order: line numbers ascend with the row order.
    expect(
      await count(
        path,
        'SELECT count(*) FROM (SELECT line, lag(line) OVER () AS prev FROM silver_events) WHERE line <= prev',
      ),
    ).toBe(0);
    expect(await count(path, "SELECT line FROM silver_events WHERE template_id = 'sig-7'")).toBe(7);
    expect(await count(path, 'SELECT count(*) FROM runs WHERE finished IS NOT NULL')).toBe(1);
  });

  it('with explicit commits, keeps only what was committed, the messages with their events', async () => {
    const path = join(dir, 'explicit.duckdb');
    const run = await openRunThread(path, { command: 'collect' }, { explicitCommits: true });
    for (let i = 1; i <= 10; i++) run.event(event(i), true, undefined, Date.now(), 'edge1');
    await run.commit([{ host: 'edge1', stream: 'LOGSLEUTH', seq: 1, events: 10 }]);
    expect(await run.query('SELECT seq FROM fleet_messages')).toEqual([{ seq: 1 }]);
    // More than the worker commits on its own schedule, appended after the last commit, then the thread dies: none of it is stored.
    for (let i = 11; i <= 2048 * MAX_BATCHES_IN_FLIGHT + 2058; i++)
      run.event(event(i), true, undefined, Date.now(), 'edge1');
    // Answered once the worker has appended every batch posted before it.
    await run.query('SELECT 1');
    await run.abort();
    expect(await count(path, "SELECT count(*) FROM silver_events WHERE host = 'edge1'")).toBe(10);
    expect(await count(path, "SELECT count(*) FROM bronze_lines WHERE host = 'edge1'")).toBe(10);
    expect(await count(path, 'SELECT count(*) FROM fleet_messages')).toBe(1);
    expect(await count(path, 'SELECT count(*) FROM runs WHERE finished IS NULL')).toBe(1);
  });

  it('refuses a file that is no store with the store error openStore gives', async () => {
    const path = join(dir, 'notes.txt');
    writeFileSync(path, 'not a database\n');
    await expect(openRunThread(path, { command: 'test' })).rejects.toMatchObject({
      name: 'StoreError',
      code: 'not-a-store',
    });
  });

  it('says so when the thread is gone before the run is finished', async () => {
    const run = await openRunThread(join(dir, 'a.duckdb'), { command: 'test' });
    run.event(event(1));
    await run.abort();
    const finishing = run.finish();
    await expect(finishing).rejects.toBeInstanceOf(StoreError);
    await expect(finishing).rejects.toThrow(/stopped before the run was finished/);
  });
});
