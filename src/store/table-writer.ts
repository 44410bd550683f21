/**
 * Rows into one table through DuckDB's appender (never an INSERT per row), a
 * data chunk at a time ({@link ChunkBuilder}). Columns are declared by name
 * and type; the writer checks them against the table once, so a writer and
 * its migration cannot drift apart unnoticed.
 */
import type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api';
import { ChunkBuilder } from './chunk-builder';

/** How a JS value is appended: `json` takes any value and stores its JSON text. */
export type ColumnType = 'varchar' | 'bigint' | 'integer' | 'double' | 'boolean' | 'timestamp' | 'json';

export interface ColumnSpec {
  name: string;
  type: ColumnType;
}

/** An open appender on one table; `flush` commits what was appended. */
export class TableWriter {
  private rows = 0;
  private readonly chunks: ChunkBuilder;

  private constructor(
    readonly table: string,
    columns: readonly ColumnSpec[],
    private readonly appender: DuckDBAppender,
  ) {
    this.chunks = new ChunkBuilder(
      appender,
      columns.map((column) => column.type),
      table,
    );
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
    return new TableWriter(table, columns, await connection.createAppender(table));
  }

  /** Appends one row: values in column order; a value the column cannot hold is stored as null. */
  append(values: readonly unknown[]): void {
    this.chunks.append(values);
    this.rows++;
  }

  /** Rows appended since the writer was opened. */
  get count(): number {
    return this.rows;
  }

  flush(): void {
    this.chunks.appendChunk();
    this.appender.flushSync();
  }

  close(): void {
    this.chunks.appendChunk();
    this.appender.closeSync();
  }
}
