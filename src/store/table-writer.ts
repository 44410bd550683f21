/**
 * Rows into one table through DuckDB's appender (never an INSERT per row).
 * Columns are declared by name and type; the writer checks them against the
 * table once, so a writer and its migration cannot drift apart unnoticed.
 */
import { type DuckDBAppender, type DuckDBConnection, DuckDBTimestampValue } from '@duckdb/node-api';

/** How a JS value is appended: `json` takes any value and stores its JSON text. */
export type ColumnType = 'varchar' | 'bigint' | 'integer' | 'double' | 'boolean' | 'timestamp' | 'json';

export interface ColumnSpec {
  name: string;
  type: ColumnType;
}

/** The furthest instant a JS Date holds, in ms from the epoch: beyond it a number is no time. */
const MAX_DATE_MS = 8.64e15;

/** Epoch milliseconds or an ISO string to a DuckDB timestamp; undefined when unusable. */
export function timestampOf(value: unknown): DuckDBTimestampValue | undefined {
  const ms = typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : NaN;
  if (!(Math.abs(ms) <= MAX_DATE_MS)) return undefined;
  return new DuckDBTimestampValue(BigInt(Math.round(ms)) * 1000n);
}

function appendValue(appender: DuckDBAppender, type: ColumnType, value: unknown): void {
  if (value === undefined || value === null) {
    appender.appendNull();
    return;
  }
  switch (type) {
    case 'varchar':
      appender.appendVarchar(typeof value === 'string' ? value : String(value));
      return;
    case 'json':
      appender.appendVarchar(JSON.stringify(value));
      return;
    case 'boolean':
      appender.appendBoolean(Boolean(value));
      return;
    case 'double':
      if (typeof value === 'number' && Number.isFinite(value)) appender.appendDouble(value);
      else appender.appendNull();
      return;
    case 'integer':
      if (typeof value === 'number' && Number.isInteger(value) && Math.abs(value) <= 0x7fffffff)
        appender.appendInteger(value);
      else appender.appendNull();
      return;
    case 'bigint': {
      const big =
        typeof value === 'bigint'
          ? value
          : typeof value === 'number' && Number.isFinite(value)
            ? BigInt(Math.trunc(value))
            : undefined;
      // Past int64 the binding would throw mid-row and leave the row half appended.
      if (big !== undefined && BigInt.asIntN(64, big) === big) appender.appendBigInt(big);
      else appender.appendNull();
      return;
    }
    case 'timestamp': {
      const stamp = timestampOf(value);
      if (stamp) appender.appendTimestamp(stamp);
      else appender.appendNull();
      return;
    }
  }
}

/** An open appender on one table; `flush` commits what was appended. */
export class TableWriter {
  private rows = 0;

  private constructor(
    readonly table: string,
    private readonly columns: readonly ColumnSpec[],
    private readonly appender: DuckDBAppender,
  ) {}

  /** Opens an appender on `table` after checking its columns are `columns`, in order. */
  static async open(connection: DuckDBConnection, table: string, columns: readonly ColumnSpec[]): Promise<TableWriter> {
    const reader = await connection.runAndReadAll(
      'SELECT column_name FROM information_schema.columns WHERE table_name = $table ORDER BY ordinal_position',
      { table },
    );
    const actual = reader.getRows().map((row) => String(row[0]));
    const expected = columns.map((column) => column.name);
    if (actual.join(',') !== expected.join(',')) {
      throw new Error(`table ${table} has columns (${actual.join(', ')}), the writer expects (${expected.join(', ')})`);
    }
    return new TableWriter(table, columns, await connection.createAppender(table));
  }

  /** Appends one row: values in column order. */
  append(values: readonly unknown[]): void {
    const { appender, columns } = this;
    for (let i = 0; i < columns.length; i++) appendValue(appender, columns[i]!.type, values[i]);
    appender.endRow();
    this.rows++;
  }

  /** Rows appended since the writer was opened. */
  get count(): number {
    return this.rows;
  }

  flush(): void {
    this.appender.flushSync();
  }

  close(): void {
    this.appender.closeSync();
  }
}
