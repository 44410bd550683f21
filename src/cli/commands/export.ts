/**
 * `logsleuth export <store> --format parquet|csv --out DIR`: every table of
 * the store into DIR, one file per table (DuckDB's COPY).
 */
import { mkdirSync } from 'node:fs';
import type { Command } from 'commander';
import { escapeForTerminal } from '../../report/terminal-escape';
import { openCliStore } from '../store-flag';
import { type CliRun, fail } from '../io';

interface ExportFlags {
  format: string;
  out: string;
}

async function runExport(run: CliRun, path: string, flags: ExportFlags): Promise<void> {
  if (flags.format !== 'parquet' && flags.format !== 'csv') {
    fail(run, `--format must be parquet or csv, not '${escapeForTerminal(flags.format)}'`, 2);
    return;
  }
  const store = await openCliStore(run, path, true);
  if (!store) return;
  try {
    mkdirSync(flags.out, { recursive: true });
    const files = await store.exportTables(flags.out, flags.format);
    run.io.err(`logsleuth: ${files.length} tables written to ${escapeForTerminal(flags.out)}\n`);
  } catch (error) {
    fail(run, escapeForTerminal((error as Error).message.split('\n')[0]!));
  } finally {
    store.close();
  }
}

/** Adds `export` to the program. */
export function register(program: Command, run: CliRun): void {
  program
    .command('export')
    .description('Copy every table of a store into a directory, one Parquet or CSV file per table.')
    .argument('<store>', 'the DuckDB store')
    .option('--format <format>', 'parquet or csv', 'parquet')
    .requiredOption('--out <dir>', 'the directory to write (created when missing)')
    .action(async (path: string, flags: ExportFlags) => runExport(run, path, flags));
}
