/**
 * Rows of one table laid out as DuckDB's own vectors, appended a data chunk
 * (2,048 rows) at a time: numbers go into typed arrays copied into the
 * vectors in one call per column, and a column's strings into DuckDB in one
 * call per chunk instead of one per value. Per-value appender calls were
 * most of the cost of storing events (`docs/store.md`, what the store costs).
 *
 * A string column's values are encoded (UTF-8) into one buffer, which DuckDB
 * copies into the vector's string heap as a single string; each row's
 * `string_t` (DuckDB's C API layout: length, then the string inline when it
 * has at most 12 bytes, else its first 4 bytes and a pointer) is then
 * written here, pointing into that copy. The appender copies the strings out
 * of the chunk when it is appended, before the chunk is reset.
 */
import {
  type Vector,
  copy_data_to_vector,
  copy_data_to_vector_validity,
  data_chunk_get_vector,
  vector_assign_string_element_len,
  vector_ensure_validity_writable,
  vector_get_data,
} from '@duckdb/node-bindings';
import { type DuckDBAppender, DuckDBDataChunk, DuckDBTypeId } from '@duckdb/node-api';
import type { ColumnType } from './table-writer';

/** Rows per chunk: DuckDB's vector size, the most a data chunk holds. */
export const CHUNK_ROWS = 2048;
/** Characters of strings a chunk holds before it is appended early (huge lines: bounded buffers). */
const CHUNK_CHARS = 16 * 2 ** 20;
/** Bytes of one value in its vector. */
const WIDTH: Record<ColumnType, number> = {
  varchar: 16,
  json: 16,
  boolean: 1,
  integer: 4,
  double: 8,
  bigint: 8,
  timestamp: 8,
};
/** The DuckDB type each column type is written as (JSON is a VARCHAR). */
const TYPE_ID: Record<ColumnType, DuckDBTypeId> = {
  varchar: DuckDBTypeId.VARCHAR,
  json: DuckDBTypeId.VARCHAR,
  boolean: DuckDBTypeId.BOOLEAN,
  integer: DuckDBTypeId.INTEGER,
  double: DuckDBTypeId.DOUBLE,
  bigint: DuckDBTypeId.BIGINT,
  timestamp: DuckDBTypeId.TIMESTAMP,
};
/** The longest string DuckDB keeps inline in its `string_t`. */
const INLINE_BYTES = 12;
const TWO_32 = 2 ** 32;
/** The furthest instant a JS Date holds, in ms from the epoch: beyond it a number is no time. */
const MAX_DATE_MS = 8.64e15;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

const encoder = new TextEncoder();
/** Encoded strings of the column being written (grown as needed, shared: one chunk is written at a time). */
let utf8 = new Uint8Array(1 << 20);

/** Epoch milliseconds or an ISO string to microseconds from the epoch; undefined when unusable. */
export function epochMicros(value: unknown): number | bigint | undefined {
  const ms = typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : NaN;
  if (!(Math.abs(ms) <= MAX_DATE_MS)) return undefined;
  const micros = Math.round(ms) * 1000;
  return Number.isSafeInteger(micros) ? micros : BigInt(Math.round(ms)) * 1000n;
}

/** A BIGINT's value: an integer within int64 (a number truncated), else undefined (stored as null). */
function int64Of(value: unknown): number | bigint | undefined {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return undefined;
    const whole = Math.trunc(value);
    return Number.isSafeInteger(whole) ? whole : int64Of(BigInt(whole));
  }
  return typeof value === 'bigint' && value >= INT64_MIN && value <= INT64_MAX ? value : undefined;
}

/** One column's vector memory for a chunk, and its validity bits. */
class ColumnBuffer {
  readonly data: ArrayBuffer;
  readonly bytes: Uint8Array;
  readonly ints: Int32Array;
  readonly view: DataView;
  readonly doubles: Float64Array | undefined;
  readonly valid = new Uint32Array(CHUNK_ROWS / 32);
  /** A string column's values, by row (undefined: null). */
  readonly strings: (string | undefined)[] = [];

  constructor(readonly type: ColumnType) {
    this.data = new ArrayBuffer(WIDTH[type] * CHUNK_ROWS);
    this.bytes = new Uint8Array(this.data);
    this.ints = new Int32Array(this.data, 0, this.data.byteLength >> 2);
    this.view = new DataView(this.data);
    this.doubles = type === 'double' ? new Float64Array(this.data) : undefined;
  }

  /** Sets row `row` from `value`; false when the value is null or the column cannot hold it. */
  set(row: number, value: unknown): boolean {
    if (value === undefined || value === null) return false;
    switch (this.type) {
      case 'varchar':
        this.strings[row] = typeof value === 'string' ? value : String(value);
        return true;
      case 'json': {
        const text = JSON.stringify(value) as string | undefined;
        this.strings[row] = text;
        return text !== undefined;
      }
      case 'boolean':
        this.bytes[row] = value ? 1 : 0;
        return true;
      case 'double':
        if (typeof value !== 'number' || !Number.isFinite(value)) return false;
        this.doubles![row] = value;
        return true;
      case 'integer':
        if (typeof value !== 'number' || !Number.isInteger(value) || Math.abs(value) > 0x7fffffff) return false;
        this.ints[row] = value;
        return true;
      case 'bigint':
        return this.setInt64(row, int64Of(value));
      case 'timestamp':
        return this.setInt64(row, epochMicros(value));
    }
  }

  private setInt64(row: number, value: number | bigint | undefined): boolean {
    if (value === undefined) return false;
    if (typeof value === 'bigint') {
      this.view.setBigInt64(row * 8, value, true);
      return true;
    }
    // A safe integer as two 32-bit halves: no BigInt allocated per value.
    const high = Math.floor(value / TWO_32);
    this.ints[row * 2] = value - high * TWO_32;
    this.ints[row * 2 + 1] = high;
    return true;
  }

  /** Copies the first `rows` rows into `vector`. */
  writeTo(vector: Vector, rows: number): void {
    if (this.type === 'varchar' || this.type === 'json') this.writeStrings(vector, rows);
    copy_data_to_vector(vector, 0, this.data, 0, WIDTH[this.type] * rows);
    vector_ensure_validity_writable(vector);
    copy_data_to_vector_validity(vector, 0, this.valid.buffer, 0, Math.ceil(rows / 64) * 8);
  }

  /** Ready for the next chunk: no value valid, string slots zeroed (their inline padding must be zero). */
  clear(): void {
    this.valid.fill(0);
    if (this.type === 'varchar' || this.type === 'json') {
      this.bytes.fill(0);
      this.strings.length = 0;
    }
  }

  private writeStrings(vector: Vector, rows: number): void {
    const { strings, bytes, ints } = this;
    let joined = '';
    for (let row = 0; row < rows; row++) {
      const text = strings[row];
      if (text !== undefined) joined += text;
    }
    if (utf8.length < joined.length * 3) utf8 = new Uint8Array(joined.length * 3);
    // All ASCII (one byte per character) is the common case: one encoding for the whole column.
    let total = encoder.encodeInto(joined, utf8).written;
    const ascii = total === joined.length;
    const lengths = new Int32Array(rows);
    if (ascii) {
      for (let row = 0; row < rows; row++) lengths[row] = strings[row]?.length ?? 0;
    } else {
      total = 0;
      for (let row = 0; row < rows; row++) {
        const text = strings[row];
        if (text === undefined) continue;
        lengths[row] = encoder.encodeInto(text, utf8.subarray(total)).written;
        total += lengths[row]!;
      }
    }
    // DuckDB copies the whole buffer once; longer than 12 bytes, it is not inline and has an address.
    let low = 0;
    let high = 0;
    if (total > INLINE_BYTES) {
      vector_assign_string_element_len(vector, 0, utf8.subarray(0, total));
      const first = vector_get_data(vector, 16);
      const head = new DataView(first.buffer, first.byteOffset, 16);
      low = head.getUint32(8, true);
      high = head.getUint32(12, true);
    }
    let offset = 0;
    for (let row = 0; row < rows; row++) {
      if (strings[row] === undefined) continue;
      const length = lengths[row]!;
      const slot = row * 16;
      ints[row * 4] = length;
      if (length <= INLINE_BYTES) {
        for (let i = 0; i < length; i++) bytes[slot + 4 + i] = utf8[offset + i]!;
      } else {
        for (let i = 0; i < 4; i++) bytes[slot + 4 + i] = utf8[offset + i]!;
        const address = low + offset;
        ints[row * 4 + 2] = address;
        ints[row * 4 + 3] = address >= TWO_32 ? high + 1 : high;
      }
      offset += length;
    }
  }
}

/** Buffers rows for one appender and appends them as data chunks. */
export class ChunkBuilder {
  private readonly chunk: DuckDBDataChunk;
  private readonly columns: ColumnBuffer[];
  private rows = 0;
  private chars = 0;

  /** Throws when a column of the table is not of the type `types` gives it (a writer and its migration drifted). */
  constructor(
    private readonly appender: DuckDBAppender,
    types: readonly ColumnType[],
    table: string,
  ) {
    const actual = types.map((_, i) => appender.columnType(i));
    types.forEach((type, i) => {
      if (actual[i]!.typeId !== TYPE_ID[type])
        throw new Error(`table ${table} column ${i + 1} is ${actual[i]!.toString()}, the writer writes ${type}`);
    });
    this.chunk = DuckDBDataChunk.create(actual);
    this.columns = types.map((type) => new ColumnBuffer(type));
  }

  /** Buffers one row: values in column order. */
  append(values: readonly unknown[]): void {
    const row = this.rows;
    const { columns } = this;
    for (let i = 0; i < columns.length; i++) {
      const column = columns[i]!;
      if (column.set(row, values[i])) column.valid[row >> 5]! |= 1 << (row & 31);
      const text = column.strings[row];
      if (text !== undefined) this.chars += text.length;
    }
    if (++this.rows === CHUNK_ROWS || this.chars >= CHUNK_CHARS) this.appendChunk();
  }

  /** Appends the rows buffered so far (a partial chunk) to the appender. */
  appendChunk(): void {
    if (this.rows === 0) return;
    const raw = this.chunk.chunk;
    this.columns.forEach((column, i) => column.writeTo(data_chunk_get_vector(raw, i), this.rows));
    this.chunk.rowCount = this.rows;
    try {
      this.appender.appendDataChunk(this.chunk);
    } finally {
      this.chunk.reset();
      for (const column of this.columns) column.clear();
      this.rows = 0;
      this.chars = 0;
    }
  }
}
