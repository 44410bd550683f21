/**
 * The store against the real DuckDB: a file in a temp dir and :memory:.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../helpers/cli';
import { openStore, SCHEMA_VERSION, STORE_TABLES, StoreError } from '../../src/index';
import { investigate } from '../../src/investigate';
import type { LogEvent } from '../../src/core/event';

const INPUTS = ['examples/data'];
const FLAGS = ['--timezone', 'UTC', '--reference-date', '2026-12-31'];
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'logsleuth-store-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('analyze --store', () => {
  let store: string;
  beforeAll(async () => {
    store = join(dir, 'analyze.duckdb');
    const outcome = await cli(['analyze', ...INPUTS, ...FLAGS, '--store', store, '--json']);
    expect(outcome.stderr).toBe('');
  });

  it('keeps as many silver events as `events --ndjson` prints for the same files', async () => {
    const events = await cli(['events', ...INPUTS, ...FLAGS, '--ndjson']);
    const printed = events.stdout.split('\n').filter((line) => line.trim() !== '').length;
    const db = await openStore(store, { readOnly: true });
    const rows = await db.query('SELECT count(*) AS n FROM silver_events');
    const raw = await db.query('SELECT count(*) AS n FROM bronze_lines');
    db.close();
    expect(printed).toBeGreaterThan(100);
    expect(rows[0]!['n']).toBe(printed);
    expect(raw[0]!['n']).toBe(printed);
  });

  it("keeps each line's byte offset in bronze and silver: the raw text starts there in the file", async () => {
    const db = await openStore(store, { readOnly: true });
    const rows = await db.query<{ source: string; offset: number | null; raw: string; silver: number | null }>(
      `SELECT b.source, b.byte_offset AS offset, b.raw, e.byte_offset AS silver
        FROM bronze_lines b JOIN silver_events e USING (run_id, source, line) ORDER BY b.source, b.line`,
    );
    db.close();
    expect(rows.length).toBeGreaterThan(100);
    for (const row of rows) {
      expect(row.silver).toBe(row.offset);
      if (row.source.endsWith('.gz')) continue; // the offset is within the decompressed bytes
      const first = Buffer.from(row.raw.split('\n')[0]!, 'utf8');
      const bytes = readFileSync(row.source).subarray(row.offset!, row.offset! + first.length);
      expect({ source: row.source, text: bytes.toString('utf8') }).toEqual({
        source: row.source,
        text: first.toString('utf8'),
      });
    }
  });

  it("fills silver_events.template_id with the error tracer's signature of each error", async () => {
    const db = await openStore(store, { readOnly: true });
    const [ids] = await db.query(
      `SELECT count(template_id) AS filled, count(DISTINCT template_id) FILTER (WHERE template_id IN
        (SELECT signature FROM gold_errors)) AS in_gold FROM silver_events`,
    );
    db.close();
    expect(ids!['filled']).toBeGreaterThan(0);
    expect(ids!['in_gold']).toBeGreaterThan(0);
  });

  it('keeps the cases of `analyze --json`: same addresses, scores and blacklisted flags', async () => {
    const json = await cli(['analyze', ...INPUTS, ...FLAGS, '--json']);
    const cases = (JSON.parse(json.stdout) as { cases: { ip: string; score: number; blacklisted: boolean }[] }).cases;
    const db = await openStore(store, { readOnly: true });
    const rows = await db.query('SELECT ip, score, blacklisted FROM gold_cases ORDER BY score DESC, ip');
    db.close();
    expect(cases.length).toBeGreaterThan(0);
    expect(rows).toEqual(
      cases
        .map(({ ip, score, blacklisted }) => ({ ip, score, blacklisted }))
        .sort((a, b) => b.score - a.score || a.ip.localeCompare(b.ip)),
    );
  });

  it('appends a second run next to the first; --no-raw leaves bronze_lines alone', async () => {
    await cli(['analyze', ...INPUTS, ...FLAGS, '--store', store, '--no-raw', '--json']);
    const db = await openStore(store, { readOnly: true });
    const runs = await db.query('SELECT count(*) AS n FROM runs WHERE finished IS NOT NULL');
    const perRun = await db.query('SELECT count(DISTINCT run_id) AS runs, count(*) AS lines FROM bronze_lines');
    const suspects = await db.query<{ ip: string; runs: number }>('SELECT ip, runs FROM top_suspects LIMIT 1');
    db.close();
    expect(runs[0]!['n']).toBe(2);
    expect(perRun[0]!['runs']).toBe(1);
    expect(suspects[0]!.runs).toBe(2);
  });

  it('exports every table to Parquet, and reading it back gives the same rows', async () => {
    const out = join(dir, 'parquet');
    const outcome = await cli(['export', store, '--format', 'parquet', '--out', out]);
    expect(outcome.code).toBe(0);
    const db = await openStore(':memory:');
    await db.connection.run(`ATTACH '${store.replaceAll("'", "''")}' AS kept (READ_ONLY)`);
    for (const table of STORE_TABLES) {
      const file = join(out, `${table}.parquet`).replaceAll("'", "''");
      const [counts] = await db.query(
        `SELECT (SELECT count(*) FROM read_parquet('${file}')) AS exported, (SELECT count(*) FROM kept.${table}) AS kept,
          (SELECT count(*) FROM (SELECT * FROM kept.${table} EXCEPT ALL SELECT * FROM read_parquet('${file}'))) AS missing`,
      );
      expect({ table, ...counts }).toEqual({ table, exported: counts!['kept'], kept: counts!['kept'], missing: 0 });
    }
    db.close();
  });

  it('answers query with --json, and with CSV off a terminal', async () => {
    const json = await cli([
      'query',
      store,
      'SELECT ip, score FROM gold_cases ORDER BY score DESC, ip LIMIT 1',
      '--json',
    ]);
    const rows = JSON.parse(json.stdout) as { ip: string; score: number }[];
    expect(rows).toHaveLength(1);
    const csv = await cli(['query', store, 'SELECT ip, score FROM gold_cases ORDER BY score DESC, ip LIMIT 1']);
    expect(csv.stdout).toBe(`ip,score\n${rows[0]!.ip},${rows[0]!.score}\n`);
  });
});

it('analyze --live --store keeps the /proc snapshot of the run: this process among its processes, one system sample, the raw system files', async () => {
  const store = join(dir, 'live.duckdb');
  const outcome = await cli(['analyze', ...INPUTS, ...FLAGS, '--live', '--store', store, '--json']);
  expect(outcome.stderr).toBe('');
  const db = await openStore(store, { readOnly: true });
  const system = await db.query('SELECT count(*) AS n FROM silver_system_samples');
  const self = await db.query('SELECT count(*) AS n FROM silver_process_samples WHERE pid = $pid', {
    pid: process.pid,
  });
  const files = await db.query('SELECT count(DISTINCT path) AS n FROM bronze_proc_samples');
  db.close();
  expect(system).toEqual([{ n: 1 }]);
  expect(self).toEqual([{ n: 1 }]);
  expect(Number(files[0]!['n'])).toBeGreaterThan(0);
});

describe('the library', () => {
  it('writes a result into :memory: and binds log strings as parameters', async () => {
    const events: LogEvent[] = [];
    const { result } = await investigate({
      inputs: INPUTS,
      timezone: 'UTC',
      referenceDate: Date.parse('2026-12-31'),
      onEvent: (event) => events.push(event),
    });
    const store = await openStore(':memory:');
    const runId = await store.writeResult(result, { command: 'test', events });
    const hostile = "x'); DROP TABLE runs; --";
    const rows = await store.query('SELECT count(*) AS n FROM silver_events WHERE run_id = $1 AND message <> $2', [
      runId,
      hostile,
    ]);
    expect(rows[0]!['n']).toBe(events.length);
    expect((await store.query('SELECT count(*) AS n FROM gold_cases'))[0]!['n']).toBe(result.cases.length);
    store.close();
  });

  it('leaves the old gold tables intact when a rebuild fails', async () => {
    const { result } = await investigate({ inputs: INPUTS, timezone: 'UTC', referenceDate: Date.parse('2026-12-31') });
    const store = await openStore(':memory:');
    const run = await store.startRun({ command: 'test' });
    await run.writeGold(result);
    const counts = () =>
      store.query(
        `SELECT (SELECT count(*) FROM gold_cases) AS cases, (SELECT count(*) FROM gold_findings) AS findings,
          (SELECT count(*) FROM gold_errors) AS errors`,
      );
    const before = await counts();
    expect(before[0]!['cases']).toBe(result.cases.length);
    expect(result.cases.length).toBeGreaterThan(0);
    // gold_cases.ip is NOT NULL: the appender fails after the old rows were deleted and the findings rewritten.
    const broken = { ...result, cases: [...result.cases, { ...result.cases[0]!, ip: undefined as unknown as string }] };
    await expect(run.writeGold(broken)).rejects.toThrow();
    expect(await counts()).toEqual(before);
    store.close();
  });

  it('migrates a store of schema version 1 to the current version, keeping its rows', async () => {
    const path = join(dir, 'old.duckdb');
    const old = await openStore(path, { schemaVersion: 1 });
    await old.connection.run(
      "INSERT INTO runs VALUES ('r1', 'h', TIMESTAMP '2026-01-01 00:00:00', NULL, '0.0.1', 'analyze', '[]')",
    );
    expect(await old.schemaVersion()).toBe(1);
    await expect(old.query('SELECT * FROM top_suspects')).rejects.toThrow();
    old.close();
    const store = await openStore(path);
    expect(await store.schemaVersion()).toBe(SCHEMA_VERSION);
    expect(await store.query('SELECT id FROM runs')).toEqual([{ id: 'r1' }]);
    expect(await store.query('SELECT count(*) AS n FROM top_suspects')).toEqual([{ n: 0 }]);
    store.close();
  });
});

describe('bad stores', () => {
  it('refuses a text file in one line, exits non-zero and leaves it untouched', async () => {
    const path = join(dir, 'notes.txt');
    writeFileSync(path, 'not a database\n');
    const outcome = await cli(['analyze', ...INPUTS, ...FLAGS, '--store', path]);
    expect(outcome.code).not.toBe(0);
    expect(outcome.stderr).toBe(`logsleuth: ${path} is not a DuckDB store (or is truncated); left untouched\n`);
    expect(readFileSync(path, 'utf8')).toBe('not a database\n');
  });

  it('refuses a truncated store and leaves it untouched', async () => {
    const whole = join(dir, 'whole.duckdb');
    const store = await openStore(whole);
    store.close();
    const path = join(dir, 'truncated.duckdb');
    copyFileSync(whole, path);
    truncateSync(path, 5000);
    const before = readFileSync(path);
    const outcome = await cli(['query', path, 'SELECT 1']);
    expect(outcome.code).not.toBe(0);
    expect(outcome.stderr.split('\n')).toHaveLength(2);
    expect(readFileSync(path).equals(before)).toBe(true);
    await expect(openStore(path)).rejects.toBeInstanceOf(StoreError);
  });
});
