/**
 * `logsleuth serve [paths...]`: follows logs and journald, samples /proc, and
 * serves the REST API, the dashboard and /metrics until interrupted.
 */
import type { Command } from 'commander';
import { isValidTimezone, parseTimestamp } from '../../logs/time';
import { escapeForTerminal } from '../../report/terminal-escape';
import type * as Serve from '../../serve/serve';
import type { ServeOptions } from '../../serve/serve';
import { journalChoice } from '../journal-flag';
import { openCliStore, storePath } from '../store-flag';
import { type CliRun, fail } from '../io';
import { readTokenFile } from '../token-flag';

interface ServeFlags {
  journal?: string | boolean;
  store?: string | boolean;
  listen: string;
  token?: string;
  newOnly?: boolean;
  timezone?: string;
  referenceDate?: string;
}

async function runServe(run: CliRun, given: string[], flags: ServeFlags): Promise<void> {
  const { paths, journal } = journalChoice(given, flags.journal);
  if (paths.length === 0 && !journal) {
    fail(run, 'nothing to serve: give log paths or --journal', 2);
    return;
  }
  if (flags.timezone !== undefined && !isValidTimezone(flags.timezone)) {
    fail(run, `unknown timezone '${escapeForTerminal(flags.timezone)}'`, 2);
    return;
  }
  const options: ServeOptions = { inputs: paths, listen: flags.listen, fromStart: !flags.newOnly };
  if (journal) options.journal = journal;
  if (flags.timezone) options.timezone = flags.timezone;
  if (flags.referenceDate !== undefined) {
    const time = parseTimestamp(flags.referenceDate, { timezone: flags.timezone, referenceDate: Date.now() });
    if (time === undefined) {
      fail(run, `cannot read the date '${escapeForTerminal(flags.referenceDate)}'`, 2);
      return;
    }
    options.referenceDate = time;
  }
  if (flags.token !== undefined) {
    const token = readTokenFile(run, flags.token);
    if (token === null) return;
    options.token = token;
  }
  options.onProblem = (problem) => {
    if (problem.line === undefined)
      run.io.err(
        `logsleuth: ${escapeForTerminal(problem.source)}: ${problem.kind}: ${escapeForTerminal(problem.message)}\n`,
      );
  };
  options.onSamplerError = (kind, error) =>
    run.io.err(
      `logsleuth: sampler: ${escapeForTerminal(kind)}: ${escapeForTerminal(String((error as Error)?.message ?? error).split('\n')[0]!)} (serving goes on; errors of this kind are counted in /api/v1/health, not logged again)\n`,
    );
  options.onStoreError = (error) =>
    run.io.err(
      `logsleuth: store: ${escapeForTerminal(String((error as Error)?.message ?? error).split('\n')[0]!)} (event writes stop; following goes on in memory, shown in /api/v1/health)\n`,
    );
  const store = flags.store === undefined ? undefined : await openCliStore(run, storePath(flags.store));
  if (store === null) return;
  if (store) options.store = store;
  try {
    let serving;
    try {
      // fastify and prom-client load with this command, not with every CLI start.
      const { serve } = require('../../serve/serve') as typeof Serve;
      serving = await serve(options);
    } catch (error) {
      fail(run, escapeForTerminal((error as Error).message.split('\n')[0]!), 2);
      return;
    }
    run.io.err(`logsleuth: serving on ${serving.server.url}\n`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await serving.stop();
  } finally {
    store?.close();
  }
}

/** Adds `serve` to the program. */
export function register(program: Command, run: CliRun): void {
  program
    .command('serve')
    .description('Follow logs and serve a REST API, a web dashboard and Prometheus metrics.')
    .argument('[paths...]', 'log files to follow (read from the start, then followed)')
    .option('--journal [unit]', 'also follow journald, optionally one unit')
    .option('--store [path]', 'also append the run to a DuckDB store (default ./logsleuth.duckdb)')
    .option('--listen <host:port>', 'address to listen on (non-loopback needs --token)', '127.0.0.1:8377')
    .option('--token <file>', 'file holding the bearer token API and metrics requests must present')
    .option('--new-only', 'only what is appended to the files, not what they already hold')
    .option('--timezone <zone>', 'zone of timestamps without offset')
    .option('--reference-date <date>', 'anchor for year-less syslog dates (default: now)')
    .action(async (paths: string[], flags: ServeFlags) => runServe(run, paths, flags));
}
