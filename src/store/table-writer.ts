/**
 * Rows into one table through DuckDB's appender (never an INSERT per row).
 * Columns are declared by name and type; the writer checks them against the
 * table once, so a writer and its migration cannot drift apart unnoticed.
 *
 * Rows are gathered column by column and handed to the appender a data chunk
 * (2048 rows) at a time: numbers go into the chunk's vectors as plain memory
 * writes, one native call per chunk instead of one per value.
 */
import {
  type DuckDBAppender,
  type DuckDBConnection,
  DuckDBDataChunk,
  DuckDBTimestampValue,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';

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

/** The chunk value of `value` for a column of `type`; null for what the type cannot hold. */
function duckValue(type: ColumnType, value: unknown): DuckDBValue {
  if (value === undefined || value === null) return null;
  switch (type) {
    case 'varchar':
      return typeof value === 'string' ? value : String(value);
    case 'json':
      return JSON.stringify(value);
    case 'boolean':
      return Boolean(value);
    case 'double':
      return typeof value === 'number' && Number.isFinite(value) ? value : null;
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value) && Math.abs(value) <= 0x7fffffff ? value : null;
    case 'bigint': {
      const big =
        typeof value === 'bigint'
          ? value
          : typeof value === 'number' && Number.isFinite(value)
            ? BigInt(Math.trunc(value))
            : null;
      return big !== null && BigInt.asIntN(64, big) === big ? big : null;
    }
    case 'timestamp':
      return timestampOf(value) ?? null;
  }
}

/** An open appender on one table; `flush` commits what was appended. */
export class TableWriter {
  private rows = 0;
  /** Rows gathered for the next chunk, one array per column. */
  private readonly pending: DuckDBValue[][];
  private filled = 0;
  private readonly chunk: DuckDBDataChunk;

  private constructor(
    readonly table: string,
    private readonly columns: readonly ColumnSpec[],
    private readonly appender: DuckDBAppender,
    types: readonly DuckDBType[],
  ) {
    this.chunk = DuckDBDataChunk.create(types);
    this.pending = columns.map(() => new Array<DuckDBValue>(CHUNK_ROWS));
  }

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
    const appender = await connection.createAppender(table);
    const types = columns.map((_, i) => appender.columnType(i));
    return new TableWriter(table, columns, appender, types);
  }

  /** Appends one row: values in column order. */
  append(values: readonly unknown[]): void {
    const { columns, pending, filled } = this;
    for (let i = 0; i < columns.length; i++) pending[i]![filled] = duckValue(columns[i]!.type, values[i]);
    this.rows++;
    if (++this.filled === CHUNK_ROWS) this.appendChunk();
  }

  /** Hands the gathered rows to the appender as one data chunk. */
  private appendChunk(): void {
    const { chunk, pending, filled } = this;
    if (filled === 0) return;
    chunk.reset();
    chunk.rowCount = filled;
    for (let i = 0; i < pending.length; i++) {
      const column = pending[i]!;
      chunk.setColumnValues(i, filled === CHUNK_ROWS ? column : column.slice(0, filled));
    }
    this.appender.appendDataChunk(chunk);
    this.filled = 0;
  }

  /** Rows appended since the writer was opened. */
  get count(): number {
    return this.rows;
  }

  flush(): void {
    this.appendChunk();
    this.appender.flushSync();
  }

  close(): void {
    this.appendChunk();
    this.appender.closeSync();
  }
}

/** DuckDB's vector size: the most rows a data chunk holds. */
const CHUNK_ROWS = 2048;
