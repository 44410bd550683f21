/**
 * `logsleuth query <store> <sql>`: one SQL statement against a store, read
 * only; a table on a terminal, JSON (--json) or CSV (--csv) otherwise.
 */
import type { Command } from 'commander';
import type { Row } from '../../store/store';
import { escapeForTerminal } from '../../report/terminal-escape';
import { openCliStore } from '../store-flag';
import { type CliRun, fail } from '../io';

interface QueryFlags {
  json?: boolean;
  csv?: boolean;
}

const text = (value: Row[string]): string =>
  value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);

/** RFC 4180: quote a field holding a comma, quote or line break. */
function csvField(value: string): string {
  const quoted = value.includes('"') || value.includes(',') || value.includes('\r') || value.includes('\n');
  return quoted ? `"${value.replaceAll('"', '""')}"` : value;
}

/** Rows as an aligned text table (cells escaped for the terminal, long ones cut). */
export function renderTable(columns: string[], rows: Row[]): string {
  const cells = rows.map((row) => columns.map((column) => escapeForTerminal(text(row[column] ?? null)).slice(0, 80)));
  const widths = columns.map((column, i) => Math.max(column.length, ...cells.map((row) => row[i]!.length)));
  const line = (values: string[]) =>
    values
      .map((value, i) => value.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return (
    [line(columns), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line), `(${rows.length} rows)`].join('\n') +
    '\n'
  );
}

async function runQuery(run: CliRun, path: string, sql: string, flags: QueryFlags): Promise<void> {
  const store = await openCliStore(run, path, true);
  if (!store) return;
  try {
    const { columns, rows } = await store.queryWithColumns(sql);
    if (flags.json) run.io.out(JSON.stringify(rows, null, 2) + '\n');
    else if (flags.csv || !run.io.isTTY) {
      const lines = [
        columns.map(csvField).join(','),
        ...rows.map((row) => columns.map((c) => csvField(text(row[c] ?? null))).join(',')),
      ];
      run.io.out(lines.join('\n') + '\n');
    } else run.io.out(renderTable(columns, rows));
  } catch (error) {
    fail(run, escapeForTerminal((error as Error).message.split('\n')[0]!));
  } finally {
    store.close();
  }
}

/** Adds `query` to the program. */
export function register(program: Command, run: CliRun): void {
  program
    .command('query')
    .description('Ask a store a question in SQL (read only): a table, --json or --csv.')
    .argument('<store>', 'the DuckDB store (logsleuth.duckdb)')
    .argument('<sql>', 'one SQL statement, e.g. "SELECT * FROM top_suspects LIMIT 10"')
    .option('--json', 'print the rows as a JSON array')
    .option('--csv', 'print the rows as CSV (the default when stdout is not a terminal)')
    .action(async (path: string, sql: string, flags: QueryFlags) => runQuery(run, path, sql, flags));
}
