/**
 * `logsleuth watch <paths...>`: follows logs (rotation-safe) and journald and
 * prints each finding as it happens, as a line (or JSON with --ndjson), until
 * interrupted (SIGINT/SIGTERM), when end-of-input findings are printed too.
 */
import type { Command } from 'commander';
import { watch } from '../../investigate';
import type { SourceProblem } from '../../logs/line';
import { findingLine } from '../../report/finding-line';
import { escapeForTerminal } from '../../report/terminal-escape';
import { journalChoice } from '../journal-flag';
import { type Fail2banFlag, addFail2banFlags, packsOrFail } from '../fail2ban-flag';
import { type CliRun, fail } from '../io';

interface WatchFlags {
  journal?: string | boolean;
  fromStart?: boolean;
  ndjson?: boolean;
  live?: boolean;
  timezone?: string;
  poll: string;
  fail2ban?: Fail2banFlag;
}

async function runWatch(run: CliRun, given: string[], flags: WatchFlags): Promise<void> {
  const { paths, journal } = journalChoice(given, flags.journal);
  if (paths.length === 0 && !journal) {
    fail(run, 'nothing to watch: give log paths or --journal', 2);
    return;
  }
  const pollMs = Number(flags.poll);
  if (!Number.isInteger(pollMs) || pollMs < 10) {
    fail(run, `--poll must be a whole number of milliseconds >= 10, not '${escapeForTerminal(flags.poll)}'`, 2);
    return;
  }
  const fail2ban = packsOrFail(run, flags.fail2ban);
  if (fail2ban === null) return;
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    await watch({
      inputs: paths,
      signal: controller.signal,
      pollMs,
      ...(journal ? { journal } : {}),
      ...(flags.fromStart ? { fromStart: true } : {}),
      ...(flags.live ? { live: true } : {}),
      ...(flags.timezone ? { timezone: flags.timezone } : {}),
      ...(fail2ban ? { fail2ban } : {}),
      onFinding: (finding) => run.io.out(flags.ndjson ? JSON.stringify(finding) + '\n' : findingLine(finding)),
      onProblem: (problem: SourceProblem) => {
        if (problem.line === undefined) {
          run.io.err(
            `logsleuth: ${escapeForTerminal(problem.source)}: ${problem.kind}: ${escapeForTerminal(problem.message)}\n`,
          );
        }
      },
    });
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

/** Adds `watch` to the program. */
export function register(program: Command, run: CliRun): void {
  const command = program
    .command('watch')
    .description('Follow logs (tail -F) and journald; print each finding as it happens.')
    .argument('[paths...]', 'log files to follow (they may not exist yet)')
    .option('--journal [unit]', 'also follow journald, optionally one unit')
    .option('--from-start', 'read the files from their beginning, not only what is appended')
    .option('--ndjson', 'print each finding as a JSON line')
    .option('--live', "correlate suspects with this host's live connections and processes")
    .option('--timezone <zone>', 'zone of timestamps without offset')
    .option('--poll <ms>', 'interval between polls of the files', '250');
  addFail2banFlags(command).action(async (paths: string[], flags: WatchFlags) => runWatch(run, paths, flags));
}
