/**
 * `logsleuth agent <paths...> --nats URL [--host-id NAME]`: reads the files once
 * through the standard pipeline and publishes their events to the fleet stream
 * (docs/fleet.md). Following, state and buffering are not there yet.
 */
import { hostname } from 'node:os';
import type { Command } from 'commander';
import { Agent } from '../../fleet/agent';
import type { SourceProblem } from '../../logs/line';
import { isValidTimezone, parseTimestamp } from '../../logs/time';
import { escapeForTerminal } from '../../report/terminal-escape';
import { type CliRun, fail } from '../io';
import { connectOrFail } from '../nats-flag';

interface AgentFlags {
  nats: string;
  hostId?: string;
  timezone?: string;
  referenceDate?: string;
}

async function runAgent(run: CliRun, paths: string[], flags: AgentFlags): Promise<void> {
  if (flags.timezone !== undefined && !isValidTimezone(flags.timezone)) {
    fail(run, `unknown timezone '${escapeForTerminal(flags.timezone)}'`, 2);
    return;
  }
  let referenceDate: number | undefined;
  if (flags.referenceDate !== undefined) {
    referenceDate = parseTimestamp(flags.referenceDate, { timezone: flags.timezone, referenceDate: Date.now() });
    if (referenceDate === undefined) {
      fail(run, `cannot read the date '${escapeForTerminal(flags.referenceDate)}'`, 2);
      return;
    }
  }
  const connection = await connectOrFail(run, flags.nats);
  if (!connection) return;
  const host = flags.hostId ?? hostname();
  const onProblem = (problem: SourceProblem): void => {
    if (problem.line === undefined)
      fail(run, `${escapeForTerminal(problem.source)}: ${problem.kind}: ${escapeForTerminal(problem.message)}`);
  };
  try {
    const sent = await new Agent({ connection, host }).ship(paths, {
      onProblem,
      ...(flags.timezone ? { timezone: flags.timezone } : {}),
      ...(referenceDate !== undefined ? { referenceDate } : {}),
    });
    run.io.out(
      `${escapeForTerminal(host)}: ${sent.events} events in ${sent.batches} batches` +
        ` (${sent.duplicates} already there, ${sent.oversized} too large) to ${escapeForTerminal(flags.nats)}\n`,
    );
  } catch (error) {
    fail(run, `publishing failed: ${escapeForTerminal((error as Error).message)}`);
  } finally {
    await connection.close();
  }
}

/** Adds `agent` to the program. */
export function register(program: Command, run: CliRun): void {
  program
    .command('agent')
    .description("Publish this host's log events to a NATS JetStream fleet stream (once; see docs/fleet.md).")
    .argument('<paths...>', 'log files (.gz too), directories or globs')
    .requiredOption('--nats <url>', 'the NATS server, e.g. nats://127.0.0.1:4222')
    .option('--host-id <name>', "this host's id in subjects (default: the host name)")
    .option('--timezone <zone>', 'zone of timestamps without offset: local, UTC, +01:00 or an IANA name')
    .option('--reference-date <date>', 'anchor for year-less syslog dates (default: each file mtime)')
    .action(async (paths: string[], flags: AgentFlags) => runAgent(run, paths, flags));
}
