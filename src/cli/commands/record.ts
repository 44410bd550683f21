/**
 * `logsleuth record [paths...] --store PATH`: follows logs and samples /proc
 * into a store until SIGINT/SIGTERM, which flush, rebuild gold and close it.
 */
import type { Command } from 'commander';
import { escapeForTerminal } from '../../report/terminal-escape';
import { record } from '../../store/record';
import { DEFAULT_RETENTION, type Retention, parseDuration, parseRetention } from '../../store/retention';
import { journalChoice } from '../journal-flag';
import { type CliRun, fail } from '../io';
import { openCliStore, storePath } from '../store-flag';

interface RecordFlags {
  journal?: string | boolean;
  store?: string | boolean;
  interval: string;
  gold: string;
  commit: string;
  retention?: string;
  raw: boolean;
  fromStart?: boolean;
  procRoot?: string;
}

async function runRecord(run: CliRun, given: string[], flags: RecordFlags): Promise<void> {
  const { paths, journal } = journalChoice(given, flags.journal);
  const intervalMs = parseDuration(flags.interval);
  const goldEveryMs = parseDuration(flags.gold);
  const commitEveryMs = parseDuration(flags.commit);
  if (intervalMs === undefined || intervalMs < 100 || goldEveryMs === undefined || commitEveryMs === undefined) {
    fail(run, `--interval, --commit and --gold take durations like 3s or 1m (interval >= 100ms)`, 2);
    return;
  }
  let retention: Retention = DEFAULT_RETENTION;
  try {
    if (flags.retention) retention = parseRetention(flags.retention);
  } catch (error) {
    fail(run, escapeForTerminal((error as Error).message), 2);
    return;
  }
  const path = storePath(flags.store ?? true);
  const store = await openCliStore(run, path);
  if (!store) return;
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const tty = Boolean(run.io.errIsTTY);
  try {
    await record({
      store,
      inputs: paths,
      ...(journal ? { journal } : {}),
      intervalMs,
      commitEveryMs,
      goldEveryMs,
      retention,
      raw: flags.raw,
      ...(flags.fromStart ? { fromStart: true } : {}),
      ...(flags.procRoot ? { procRoot: flags.procRoot } : {}),
      signal: controller.signal,
      onStatus: (counts, checkpoint) => {
        const line = `recording to ${escapeForTerminal(path)}: ${counts.events} events, ${counts.samples} samples`;
        if (tty) run.io.err(`\r\x1b[K${line}${checkpoint ? ' (checkpoint)' : ''}`);
        else if (checkpoint) run.io.err(`logsleuth: ${line}, checkpoint\n`);
      },
      onProblem: (problem) => {
        if (problem.line === undefined) {
          run.io.err(
            `logsleuth: ${escapeForTerminal(problem.source)}: ${problem.kind}: ${escapeForTerminal(problem.message)}\n`,
          );
        }
      },
    });
    if (tty) run.io.err('\n');
  } catch (error) {
    fail(run, escapeForTerminal((error as Error).message.split('\n')[0]!));
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    store.close();
  }
}

/** Adds `record` to the program. */
export function register(program: Command, run: CliRun): void {
  program
    .command('record')
    .description('Follow logs and sample /proc (processes, sockets, system) into a DuckDB store until interrupted.')
    .argument('[paths...]', 'log files to follow (they may not exist yet)')
    .option('--journal [unit]', 'also follow journald, optionally one unit')
    .option('--store [path]', 'the DuckDB store (default ./logsleuth.duckdb)')
    .option('--interval <duration>', 'between /proc samples', '3s')
    .option('--commit <duration>', 'between commits (at least the interval): a crash loses at most this much', '10s')
    .option('--gold <duration>', 'between gold rebuilds and checkpoints', '1m')
    .option('--retention <layers>', 'keep each layer this long: bronze=15m,silver=24h,gold=90d')
    .option('--no-raw', 'leave raw lines and /proc files out of bronze')
    .option('--from-start', 'read the files from their beginning, not only what is appended')
    .option('--proc-root <dir>', 'the /proc to sample')
    .action(async (paths: string[], flags: RecordFlags) => runRecord(run, paths, flags));
}
