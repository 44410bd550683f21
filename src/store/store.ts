/**
 * The DuckDB store: open (creating and migrating), write an investigation's
 * run, follow a recording, query, keep gold up to date, apply retention,
 * export. The only module that speaks SQL; the tracers never import it.
 */
import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { type DuckDBConnection, DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';
import type { LogEvent } from '../core/event';
import type { InvestigationResult } from '../core/result';
import { StoreError, openFailure } from './errors';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations';
import { type Retention, retentionStatements } from './retention';
import { RunWriter } from './run-writer';
import { GOLD_PROCESS_REBUILD } from './gold';

import { DEFAULT_STORE_PATH } from './default-path';

export { DEFAULT_STORE_PATH };

/** Every table of the store, in export order (the names are a contract). */
export const STORE_TABLES = [
  'runs',
  'bronze_lines',
  'bronze_proc_samples',
  'silver_events',
  'silver_process_samples',
  'silver_socket_samples',
  'silver_system_samples',
  'gold_cases',
  'gold_findings',
  'gold_chains',
  'gold_errors',
  'gold_dim_process',
  'gold_fact_process',
  'gold_fact_connection',
  'gold_syscalls',
  'gold_trace_paths',
  'gold_trace_peers',
  'gold_flows',
  'fleet_messages',
] as const;

export type StoreTable = (typeof STORE_TABLES)[number];

/** A row as `query` returns it: BIGINTs as numbers (strings past 2^53), timestamps as ISO strings. */
export type Row = Record<string, string | number | boolean | null | unknown[] | Record<string, unknown>>;

export interface OpenStoreOptions {
  /** Open for reading only (`query`, `export`): no migration, no write. */
  readOnly?: boolean;
  /** Apply the migrations only up to this version (tests build old stores with it). */
  schemaVersion?: number;
  /** DuckDB worker threads (default: DuckDB's own choice). */
  threads?: number;
}

/** What describes a run in `runs`. */
export interface RunInfo {
  command: string;
  inputs?: unknown;
  host?: string;
  version?: string;
  started?: number;
}

export interface WriteResultOptions extends Omit<RunInfo, 'started'> {
  /** The events of the run, for silver_events (and bronze_lines unless `raw` is false). */
  events?: Iterable<LogEvent>;
  raw?: boolean;
  started?: number;
}

const DUCKDB_MAGIC = 'DUCK';
/** A DuckDB file holds at least its file header and two database headers (4 KiB each). */
const MIN_STORE_BYTES = 3 * 4096;

/** Refuses, before DuckDB touches it, a file that cannot be a store: DuckDB writes into what it opens. */
function checkHeader(path: string): void {
  if (path === ':memory:' || !existsSync(path)) return;
  const size = statSync(path).size;
  if (size === 0) return;
  const header = Buffer.alloc(12);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, header, 0, 12, 0);
  } finally {
    closeSync(fd);
  }
  if (header.toString('latin1', 8, 12) !== DUCKDB_MAGIC || size < MIN_STORE_BYTES) {
    throw new StoreError('not-a-store', `${path} is not a DuckDB store (or is truncated); left untouched`);
  }
}

function jsValue(value: unknown): Row[string] {
  if (typeof value === 'bigint') {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (Array.isArray(value)) return value.map(jsValue);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsValue(v)]));
  }
  return value as Row[string];
}

/** An open store. One process may write a file store at a time (DuckDB's rule). */
export class Store {
  private closed = false;

  private constructor(
    readonly path: string,
    private readonly instance: DuckDBInstance,
    /** The connection every statement runs on. */
    readonly connection: DuckDBConnection,
    readonly readOnly: boolean,
  ) {}

  /** @internal use {@link openStore}. */
  static async open(path: string, options: OpenStoreOptions): Promise<Store> {
    checkHeader(path);
    const config: Record<string, string> = {};
    if (options.readOnly && path !== ':memory:') config['access_mode'] = 'READ_ONLY';
    if (options.threads) config['threads'] = String(options.threads);
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(path, config);
    } catch (error) {
      throw openFailure(path, error);
    }
    const connection = await instance.connect();
    const store = new Store(path, instance, connection, Boolean(options.readOnly));
    try {
      if (!options.readOnly) await store.migrate(options.schemaVersion ?? SCHEMA_VERSION);
      else await store.checkVersion();
    } catch (error) {
      store.close();
      throw error;
    }
    return store;
  }

  /** The schema version the store is at (0 for a store with no tables yet). */
  async schemaVersion(): Promise<number> {
    const exists = await this.query(
      "SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'schema_version'",
    );
    if (exists[0]?.['n'] === 0) return 0;
    const rows = await this.query('SELECT coalesce(max(version), 0) AS v FROM schema_version');
    return Number(rows[0]?.['v'] ?? 0);
  }

  private async checkVersion(): Promise<number> {
    const version = await this.schemaVersion();
    if (version > SCHEMA_VERSION) {
      throw new StoreError(
        'newer-schema',
        `${this.path} has schema version ${version}; this logsleuth knows up to ${SCHEMA_VERSION}: upgrade logsleuth`,
      );
    }
    return version;
  }

  private async migrate(target: number): Promise<void> {
    const current = await this.checkVersion();
    if (current === 0) {
      await this.connection.run('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER, applied TIMESTAMP)');
    }
    for (const migration of MIGRATIONS) {
      if (migration.version <= current || migration.version > target) continue;
      await this.transaction(async () => {
        for (const statement of migration.statements) await this.connection.run(statement);
        await this.connection.run('INSERT INTO schema_version VALUES ($1, now())', [migration.version]);
      });
    }
  }

  /** Runs `work` in one transaction: all of it is committed, or none when it throws. */
  private async transaction(work: () => Promise<void>): Promise<void> {
    await this.connection.run('BEGIN TRANSACTION');
    try {
      await work();
      await this.connection.run('COMMIT');
    } catch (error) {
      await this.connection.run('ROLLBACK');
      throw error;
    }
  }

  /**
   * Runs one SQL statement and returns its rows. Values are bound as
   * parameters (`$1` or `$name`): never build SQL from log text.
   */
  async query<T extends Row = Row>(sql: string, params?: DuckDBValue[] | Record<string, DuckDBValue>): Promise<T[]> {
    const reader = await this.connection.runAndReadAll(sql, params);
    return reader.getRowObjectsJS().map((row) => jsValue(row) as T);
  }

  /** Like {@link query}, with the column names in order (a query may return no row). */
  async queryWithColumns(
    sql: string,
    params?: DuckDBValue[] | Record<string, DuckDBValue>,
  ): Promise<{ columns: string[]; rows: Row[] }> {
    const reader = await this.connection.runAndReadAll(sql, params);
    return { columns: reader.columnNames(), rows: reader.getRowObjectsJS().map((row) => jsValue(row) as Row) };
  }

  /** Starts a run: its `runs` row now, its rows through the returned writer. */
  async startRun(info: RunInfo): Promise<RunWriter> {
    const context = { runId: randomUUID(), host: info.host ?? hostname() };
    await this.connection.run(
      'INSERT INTO runs VALUES ($id, $host, make_timestamp($started * 1000), NULL, $version, $command, $inputs)',
      {
        id: context.runId,
        host: context.host,
        started: Math.round(info.started ?? Date.now()),
        version: info.version ?? null,
        command: info.command,
        inputs: JSON.stringify(info.inputs ?? null),
      },
    );
    return RunWriter.open(this, context);
  }

  /** Appends one investigation's run: its events (when given) and its findings, cases, chains and errors. */
  async writeResult(
    result: InvestigationResult,
    options: WriteResultOptions = { command: 'library' },
  ): Promise<string> {
    const run = await this.startRun({
      command: options.command,
      inputs: options.inputs ?? result.inputs.map((input) => input.source),
      ...(options.host ? { host: options.host } : {}),
      ...(options.version ? { version: options.version } : {}),
      started: options.started ?? Date.parse(result.generatedAt),
    });
    const raw = options.raw ?? true;
    for (const event of options.events ?? []) run.event(event, raw);
    await run.finish(result);
    return run.runId;
  }

  /**
   * Brings the gold process and connection tables of a run up to date with
   * its silver samples, after `replace` (which rewrites the run's other gold
   * tables) when given. One transaction: a rebuild that fails leaves gold as it was.
   */
  async rebuildGold(runId: string, replace?: () => Promise<void>): Promise<void> {
    await this.transaction(async () => {
      if (replace) await replace();
      for (const statement of GOLD_PROCESS_REBUILD) {
        await this.connection.run(statement, statement.includes('$run') ? { run: runId } : undefined);
      }
    });
  }

  /** Deletes rows of `record` runs older than each layer's age; returns the rows deleted per table. */
  async applyRetention(retention: Retention, now = Date.now()): Promise<Record<string, number>> {
    const deleted: Record<string, number> = {};
    for (const { table, sql, cutoff } of retentionStatements(retention, now)) {
      const result = await this.connection.run(sql, { cutoff: cutoff * 1000 });
      deleted[table] = (deleted[table] ?? 0) + Number(result.rowsChanged);
    }
    return deleted;
  }

  /** Writes what is in the WAL into the database file. */
  async checkpoint(): Promise<void> {
    await this.connection.run('CHECKPOINT');
  }

  /** Copies every table into `dir`, one file per table (DuckDB's COPY); returns the files written. */
  async exportTables(dir: string, format: 'parquet' | 'csv'): Promise<string[]> {
    const files: string[] = [];
    for (const table of STORE_TABLES) {
      const file = join(dir, `${table}.${format}`);
      // COPY takes no parameter for its target: the path is quoted as an SQL string literal.
      const target = `'${file.replaceAll("'", "''")}'`;
      const options = format === 'parquet' ? '(FORMAT parquet)' : '(FORMAT csv, HEADER true)';
      await this.connection.run(`COPY ${table} TO ${target} ${options}`);
      files.push(file);
    }
    return files;
  }

  /** Closes the connection and the database (a file store is checkpointed by DuckDB). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

/**
 * Opens (creating when missing) the store at `path` (`:memory:` for one in
 * memory) and migrates it to the current schema. Throws a {@link StoreError}
 * with a one-line message for a file that is not a store, a store another
 * process holds, or a newer schema.
 */
export function openStore(path: string = DEFAULT_STORE_PATH, options: OpenStoreOptions = {}): Promise<Store> {
  return Store.open(path, options);
}
