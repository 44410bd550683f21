/**
 * ChunkBuilder against the real DuckDB (:memory:): strings written as
 * DuckDB's own `string_t` read back exactly as the per-value appender stores
 * them (inline and not, ASCII or not, with NULs and lone surrogates), numbers
 * past 2^53 keep every bit, and a table whose column types are not the
 * writer's is refused.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import { CHUNK_ROWS, ChunkBuilder } from '../../src/store/chunk-builder';

let instance: DuckDBInstance;
let connection: DuckDBConnection;

beforeEach(async () => {
  instance = await DuckDBInstance.create(':memory:');
  connection = await instance.connect();
});
afterEach(() => {
  connection.closeSync();
  instance.closeSync();
});

const rows = async (sql: string) => (await connection.runAndReadAll(sql)).getRowsJS();

/** Stores `texts` in column `a` through a ChunkBuilder and in `b` through the appender's appendVarchar, row by row. */
async function storeBothWays(texts: (string | undefined)[]): Promise<void> {
  await connection.run('CREATE TABLE t (n INTEGER, a VARCHAR, b VARCHAR)');
  const chunked = await connection.createAppender('t');
  const builder = new ChunkBuilder(chunked, ['integer', 'varchar', 'varchar'], 't');
  texts.forEach((text, n) => builder.append([n, text, undefined]));
  builder.appendChunk();
  chunked.closeSync();
  await connection.run('CREATE TABLE u (n INTEGER, b VARCHAR)');
  const appender = await connection.createAppender('u');
  texts.forEach((text, n) => {
    appender.appendInteger(n);
    if (text === undefined) appender.appendNull();
    else appender.appendVarchar(text);
    appender.endRow();
  });
  appender.closeSync();
  await connection.run('UPDATE t SET b = u.b FROM u WHERE t.n = u.n');
}

describe('ChunkBuilder', () => {
  it('stores every string byte for byte as the per-value appender does', async () => {
    const texts = [
      '',
      'abc',
      'exactly12byt',
      'thirteen byte',
      'é',
      'çà et là, plus de douze octets',
      'a\u0000b',
      'nul inside \u0000 a long string',
      'lone \ud800 surrogate, long',
      '\udc00',
      '😀 four-byte characters 😀',
      undefined,
      'x'.repeat(5000),
    ];
    await storeBothWays(texts);
    expect(await rows('SELECT count(*) FROM t WHERE a IS NOT DISTINCT FROM b')).toEqual([[BigInt(texts.length)]]);
    expect(await rows('SELECT a FROM t WHERE n IN (2, 3, 6) ORDER BY n')).toEqual([
      ['exactly12byt'],
      ['thirteen byte'],
      ['a\u0000b'],
    ]);
    // Equal strings compare equal whether inline or not: the inline padding and the prefix are DuckDB's.
    expect(await rows("SELECT count(*) FROM t WHERE a = 'abc' OR a = 'thirteen byte' OR a = ''")).toEqual([[3n]]);
  });

  it('keeps strings right across chunks and in a column of mostly nulls', async () => {
    const texts = Array.from({ length: CHUNK_ROWS * 2 + 5 }, (_, n) =>
      n % 3 === 0 ? undefined : `row ${n} ${'é'.repeat(n % 20)}`,
    );
    await storeBothWays(texts);
    expect(await rows('SELECT count(*), count(a) FROM t WHERE a IS NOT DISTINCT FROM b')).toEqual([
      [BigInt(texts.length), BigInt(texts.filter((text) => text !== undefined).length)],
    ]);
  });

  it('appends a chunk early when its strings are large, and keeps the rows in order', async () => {
    const big = 'y'.repeat(2 ** 20);
    const texts = Array.from({ length: 40 }, (_, n) => `${n}:${big}`);
    await storeBothWays(texts);
    expect(await rows('SELECT count(*) FROM t WHERE a = b')).toEqual([[40n]]);
    expect(await rows("SELECT min(n), max(n) FROM t WHERE a LIKE '39:%'")).toEqual([[39, 39]]);
  });

  it('keeps every bit of a BIGINT past 2^53 and of negative and far timestamps', async () => {
    await connection.run('CREATE TABLE t (n BIGINT, ts TIMESTAMP)');
    const appender = await connection.createAppender('t');
    const builder = new ChunkBuilder(appender, ['bigint', 'timestamp'], 't');
    builder.append([2n ** 62n + 1n, -1]);
    builder.append([-(2n ** 63n), 8.64e15]);
    builder.append([-5.7, '1969-12-31T23:59:59.999Z']);
    builder.append([2 ** 60, -8.64e15]);
    builder.appendChunk();
    appender.closeSync();
    expect(await rows('SELECT n, epoch_us(ts) FROM t')).toEqual([
      [2n ** 62n + 1n, -1000n],
      [-(2n ** 63n), 8_640_000_000_000_000_000n],
      [-5n, -1000n],
      [2n ** 60n, -8_640_000_000_000_000_000n],
    ]);
  });

  it('refuses a table whose column is not of the type the writer writes', async () => {
    await connection.run('CREATE TABLE t (n BIGINT, s VARCHAR)');
    const appender = await connection.createAppender('t');
    expect(() => new ChunkBuilder(appender, ['integer', 'varchar'], 't')).toThrow(
      'table t column 1 is BIGINT, the writer writes integer',
    );
    appender.closeSync();
  });
});
