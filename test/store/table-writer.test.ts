/**
 * TableWriter against the real DuckDB (:memory:): rows past the appender's
 * 2048-row chunks arrive whole and in order, and values a column cannot hold
 * are stored as null instead of failing the row.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import { TableWriter } from '../../src/store/table-writer';
import type { ColumnSpec } from '../../src/store/table-writer';

const COLUMNS: ColumnSpec[] = [
  { name: 'n', type: 'bigint' },
  { name: 'i', type: 'integer' },
  { name: 'd', type: 'double' },
  { name: 'b', type: 'boolean' },
  { name: 'ts', type: 'timestamp' },
  { name: 's', type: 'varchar' },
  { name: 'j', type: 'json' },
];

let instance: DuckDBInstance;
let connection: DuckDBConnection;

beforeEach(async () => {
  instance = await DuckDBInstance.create(':memory:');
  connection = await instance.connect();
  await connection.run('CREATE TABLE t (n BIGINT, i INTEGER, d DOUBLE, b BOOLEAN, ts TIMESTAMP, s VARCHAR, j JSON)');
});
afterEach(() => {
  connection.closeSync();
  instance.closeSync();
});

const rows = async (sql: string) => (await connection.runAndReadAll(sql)).getRowsJS();

describe('TableWriter', () => {
  it('stores every row of several full appender chunks and a partial one, in order', async () => {
    const writer = await TableWriter.open(connection, 't', COLUMNS);
    const total = 2048 * 3 + 17;
    for (let k = 0; k < total; k++)
      writer.append([k, k % 7, k / 2, k % 2 === 0, k * 1000, `line ${k}`, { k, tag: 'é\u0000x' }]);
    writer.flush();
    expect(writer.count).toBe(total);
    expect(
      await rows('SELECT count(*), sum(n), count(DISTINCT s), epoch_ms(min(ts)), epoch_ms(max(ts)) FROM t'),
    ).toEqual([[BigInt(total), BigInt((total * (total - 1)) / 2), BigInt(total), 0n, BigInt((total - 1) * 1000)]]);
    expect(await rows(`SELECT n, i, d, b, epoch_ms(ts), s, j->>'tag' FROM t WHERE n = ${total - 1}`)).toEqual([
      [
        BigInt(total - 1),
        (total - 1) % 7,
        (total - 1) / 2,
        true,
        BigInt((total - 1) * 1000),
        `line ${total - 1}`,
        'é\u0000x',
      ],
    ]);
    writer.close();
  });

  it('stores null for values the column type cannot hold', async () => {
    const writer = await TableWriter.open(connection, 't', COLUMNS);
    writer.append([1e300, 2 ** 40, Number.NaN, undefined, 1e300, null, undefined]);
    writer.append([2n ** 70n, 1.5, Infinity, null, 'not a date', 42, null]);
    writer.close();
    expect(await rows('SELECT n, i, d, b, ts, s, j FROM t ORDER BY s NULLS FIRST')).toEqual([
      [null, null, null, null, null, null, null],
      [null, null, null, null, null, '42', null],
    ]);
  });

  it('refuses a column list that is not the table’s', async () => {
    await expect(TableWriter.open(connection, 't', COLUMNS.slice(1))).rejects.toThrow(
      'table t has columns (n, i, d, b, ts, s, j), the writer expects (i, d, b, ts, s, j)',
    );
  });
});
