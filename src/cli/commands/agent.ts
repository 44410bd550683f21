/**
 * `logsleuth agent [paths...] [--journal [unit]] --nats URL [--host-id NAME]`: follows the files
 * and journald (tail -F; `--from-start` ships what they hold) and publishes their events to
 * the fleet stream, keeping its place per file in `--state DIR` so a restart
 * goes on where it stopped; `--once` reads them once and exits; `--findings` also
 * runs the tracers over what it ships and publishes their findings (docs/fleet.md).
 */
import { hostname } from 'node:os';
import { type Command, Option } from 'commander';
import type * as FleetAgent from '../../fleet/agent';
import type { Agent, FollowReport, FollowShipOptions, PublishReport } from '../../fleet/agent';
import type * as FleetSamples from '../../fleet/sample-publisher';
import type { SampleReport } from '../../fleet/sample-publisher';
import { AgentState, defaultStateDir } from '../../fleet/agent-state';
import { DEFAULT_SPOOL_BYTES } from '../../fleet/spool';
import type { SourceProblem } from '../../logs/line';
import { isValidTimezone, parseTimestamp } from '../../logs/time';
import { parseDuration } from '../../store/retention';
import { escapeForTerminal } from '../../report/terminal-escape';
import { FIREWALL_FORMATS, type FirewallFormat, applyFleetBlocklist } from '../blocklist-apply';
import { type CliRun, fail, untilInterrupted } from '../io';
import { journalChoice } from '../journal-flag';
import { type NatsFlags, addNatsOptions, connectOrFail } from '../nats-flag';

interface AgentFlags extends NatsFlags {
  journal?: string | boolean;
  once?: boolean;
  fromStart?: boolean;
  state?: string;
  poll: string;
  spoolMax: string;
  sampleInterval: string;
  findings?: boolean;
  procRoot?: string;
  hostId?: string;
  timezone?: string;
  referenceDate?: string;
  blocklistApply?: FirewallFormat;
  blocklistExec?: boolean;
}

async function runAgent(run: CliRun, given: string[], flags: AgentFlags): Promise<void> {
  const { paths, journal } = journalChoice(given, flags.journal);
  if (paths.length === 0 && !journal) {
    fail(run, 'nothing to follow: give log paths or --journal', 2);
    return;
  }
  if (journal && flags.once) {
    fail(run, '--journal follows journald: it does not go with --once', 2);
    return;
  }
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
  const pollMs = Number(flags.poll);
  if (!Number.isInteger(pollMs) || pollMs < 10) {
    fail(run, `--poll must be a whole number of milliseconds >= 10, not '${escapeForTerminal(flags.poll)}'`, 2);
    return;
  }
  const spoolBytes = Number(flags.spoolMax);
  if (!Number.isSafeInteger(spoolBytes) || spoolBytes < 0) {
    fail(run, `--spool-max must be a whole number of bytes >= 0, not '${escapeForTerminal(flags.spoolMax)}'`, 2);
    return;
  }
  const sampleMs = ['0', 'off'].includes(flags.sampleInterval) ? 0 : parseDuration(flags.sampleInterval);
  if (sampleMs === undefined || (sampleMs > 0 && sampleMs < 100)) {
    fail(
      run,
      `--sample-interval takes a duration like 5s or 200ms (at least 100ms), or 0/off, not '${escapeForTerminal(flags.sampleInterval)}'`,
      2,
    );
    return;
  }
  const connection = await connectOrFail(run, flags, { reconnect: !flags.once });
  if (!connection) return;
  const host = flags.hostId ?? hostname();
  const onProblem = (problem: SourceProblem): void => {
    if (problem.line === undefined)
      fail(run, `${escapeForTerminal(problem.source)}: ${problem.kind}: ${escapeForTerminal(problem.message)}`);
  };
  const time = {
    ...(flags.timezone ? { timezone: flags.timezone } : {}),
    ...(referenceDate !== undefined ? { referenceDate } : {}),
  };
  const { Agent } = require('../../fleet/agent') as typeof FleetAgent;
  // The agent's tracers see this host's /proc: the connections and processes behind a threat.
  const findings = flags.findings ? { live: true, ...(flags.procRoot ? { procRoot: flags.procRoot } : {}) } : undefined;
  const agent = new Agent({ connection, host, ...(findings ? { findings } : {}) });
  const format = flags.blocklistApply;
  const blocklist = (signal?: AbortSignal) =>
    format
      ? applyFleetBlocklist(run, connection, format, {
          exec: flags.blocklistExec ?? false,
          ...(signal ? { signal } : {}),
        })
      : Promise.resolve();
  let sampled: SampleReport | undefined;
  const samples = async (signal: AbortSignal) => {
    if (sampleMs === 0) return;
    const { publishSamples } = require('../../fleet/sample-publisher') as typeof FleetSamples;
    sampled = await publishSamples({
      connection,
      host,
      signal,
      intervalMs: sampleMs,
      ...(flags.procRoot ? { procRoot: flags.procRoot } : {}),
    });
  };
  try {
    let followed: FollowReport | undefined;
    const sent: PublishReport = flags.once
      ? await agent.ship(paths, { onProblem, ...time })
      : (followed = await followUntilStopped(
          agent,
          paths,
          {
            state: new AgentState(flags.state ?? defaultStateDir()),
            ...(journal ? { journal } : {}),
            pollMs,
            spoolBytes,
            onProblem,
            ...(flags.fromStart ? { fromStart: true } : {}),
            ...time,
          },
          (signal) => Promise.all([blocklist(signal), samples(signal)]),
        ));
    if (flags.once) await blocklist();
    // Printed firewall lines own stdout (to pipe into nft or ipset): the summary goes to stderr then.
    const summary = format && !flags.blocklistExec ? run.io.err : run.io.out;
    summary(
      `${escapeForTerminal(host)}: ${sent.events} events in ${sent.batches} batches` +
        ` (${sent.duplicates} already there, ${sent.oversized} too large) to ${escapeForTerminal(flags.nats)}\n`,
    );
    if (followed)
      summary(
        `${followed.retries} publish retries, ${followed.dropped} events dropped, ${followed.unsent} unsent (read again on the next start),` +
          ` ${followed.spooled} spooled (sent first on the next start)\n`,
      );
    const found = agent.findingsReport();
    if (found)
      summary(
        `${found.published} findings published (${found.duplicates} already there), ${found.dropped} dropped,` +
          ` ${found.pending} unsent\n`,
      );
    if (sampled)
      summary(
        `${sampled.published} samples published, ${sampled.dropped} dropped (server away or slow),` +
          ` ${sampled.cut.processes} processes and ${sampled.cut.sockets} sockets cut by the caps\n`,
      );
  } catch (error) {
    fail(run, `publishing failed: ${escapeForTerminal((error as Error).message)}`);
  } finally {
    await connection.close();
  }
}

/**
 * Follows until SIGINT or SIGTERM; what was read by then is published before it
 * returns. `alongside` runs for as long (the blocklist's watch).
 */
async function followUntilStopped(
  agent: Agent,
  paths: string[],
  options: Omit<FollowShipOptions, 'signal'>,
  alongside: (signal: AbortSignal) => Promise<unknown>,
): Promise<FollowReport> {
  const [sent] = await untilInterrupted((signal) =>
    Promise.all([agent.follow(paths, { ...options, signal }), alongside(signal)]),
  );
  return sent;
}

/** Adds `agent` to the program. */
export function register(program: Command, run: CliRun): void {
  addNatsOptions(program.command('agent'))
    .description(
      "Follow this host's logs and publish their events to a NATS JetStream fleet stream (see docs/fleet.md).",
    )
    .argument('[paths...]', 'log files to follow (with --once: files, .gz, directories or globs)')
    .option('--journal [unit]', 'also follow journald, optionally one unit (not with --once)')
    .option('--from-start', 'ship what the files already hold (default: start at their end, like tail -F)')
    .option(
      '--state <dir>',
      'where the position in each file is kept (default $XDG_STATE_HOME/logsleuth/agent, else ~/.local/state/logsleuth/agent)',
    )
    .option('--once', 'read the files once from their start, publish, and exit (no state)')
    .option('--poll <ms>', 'interval between polls of the files', '250')
    .option(
      '--spool-max <bytes>',
      'most bytes of the on-disk buffer in the state directory for events the server has not taken (0: none)',
      String(DEFAULT_SPOOL_BYTES),
    )
    .option(
      '--sample-interval <duration>',
      'between /proc and system samples published to logsleuth.samples.<host> (0 or off: none)',
      '5s',
    )
    .option(
      '--findings',
      "also run the tracers over what is shipped (with this host's /proc) and publish their findings to logsleuth.findings.<host>",
    )
    .option('--proc-root <dir>', 'the /proc to sample (and, with --findings, to correlate with)')
    .option('--host-id <name>', "this host's id in subjects (default: the host name)")
    .option('--timezone <zone>', 'zone of timestamps without offset: local, UTC, +01:00 or an IANA name')
    .option('--reference-date <date>', 'anchor for year-less syslog dates (default: each file mtime)')
    .addOption(
      new Option(
        '--blocklist-apply <format>',
        "keep this host's firewall set in step with the fleet's blocklist: print its lines (ipset restore or nft -f syntax)",
      ).choices(FIREWALL_FORMATS),
    )
    .option('--blocklist-exec', 'run the lines with nft -f - / ipset restore -exist instead of printing them')
    .action(async (paths: string[], flags: AgentFlags) => runAgent(run, paths, flags));
}
