/**
 * `logsleuth analyze <paths...>`: the whole investigation of a host's logs.
 * Reads files, globs, rotated sets, .gz, stdin and journald; prints the report
 * (text, --json), the events (--ndjson) and writes the reputation database
 * (--reputation). Exit 1 when an input could not be read (after analysing the
 * others), 2 for bad flags.
 */
import type { Command } from 'commander';
import { toEcs } from '../../core/ecs';
import { assertValid } from '../../core/schemas';
import { investigate, type InvestigateOptions } from '../../investigate';
import { FORMAT_NAMES } from '../../logs/formats';
import type { SourceProblem } from '../../logs/line';
import { isValidTimezone, parseTimestamp } from '../../logs/time';
import { escapeForTerminal } from '../../report/terminal-escape';
import { renderText } from '../../report/text';
import { exportReputation, writeReputation } from '../../tracers/ip/reputation';
import { DEFAULT_WHITELIST } from '../../tracers/ip/whitelist';
import { cidrSetFromArgs } from '../cidr-args';
import { journalChoice } from '../journal-flag';
import { type Fail2banFlag, addFail2banFlags, packsOrFail } from '../fail2ban-flag';
import { type CliRun, collectValues, fail } from '../io';
import { ProcSampler } from '../../proc/sampler';
import { Progress } from '../progress';
import { openRunStore, reportStoreError } from '../store-flag';

interface AnalyzeOptions {
  journal?: string | boolean;
  since?: string;
  until?: string;
  format?: string;
  timezone?: string;
  referenceDate?: string;
  whitelist: string[];
  knownBad: string[];
  cloudRanges: string[];
  geoip: string[];
  live?: boolean;
  procRoot?: string;
  json?: boolean;
  ndjson?: boolean;
  reputation?: string;
  reputationAll?: boolean;
  color?: boolean;
  fail2ban?: Fail2banFlag;
  store?: string | boolean;
  raw: boolean;
}

/** Checks the flags and turns them into investigation options; undefined after reporting a bad flag. */
async function optionsFrom(
  run: CliRun,
  given: string[],
  flags: AnalyzeOptions,
): Promise<InvestigateOptions | undefined> {
  const { paths, journal } = journalChoice(given, flags.journal);
  if (paths.length === 0 && !journal) {
    fail(run, 'nothing to analyse: give log paths, - for stdin, or --journal', 2);
    return undefined;
  }
  if (flags.format !== undefined && !FORMAT_NAMES.includes(flags.format)) {
    fail(run, `unknown format '${escapeForTerminal(flags.format)}' (known: ${FORMAT_NAMES.join(', ')})`, 2);
    return undefined;
  }
  if (flags.timezone !== undefined && !isValidTimezone(flags.timezone)) {
    fail(run, `unknown timezone '${escapeForTerminal(flags.timezone)}'`, 2);
    return undefined;
  }
  const options: InvestigateOptions = { inputs: paths, cloudRanges: flags.cloudRanges, geoip: flags.geoip };
  for (const [name, text] of [
    ['since', flags.since],
    ['until', flags.until],
    ['referenceDate', flags.referenceDate],
  ] as const) {
    if (text === undefined) continue;
    const time = parseTimestamp(text, { timezone: flags.timezone, referenceDate: Date.now() });
    if (time === undefined) {
      fail(run, `cannot read the date '${escapeForTerminal(text)}'`, 2);
      return undefined;
    }
    options[name] = time;
  }
  try {
    options.whitelist = await cidrSetFromArgs(flags.whitelist, DEFAULT_WHITELIST);
    if (flags.knownBad.length) options.knownMalicious = await cidrSetFromArgs(flags.knownBad);
  } catch (error) {
    fail(run, escapeForTerminal((error as Error).message), 2);
    return undefined;
  }
  if (journal) options.journal = journal;
  if (flags.format) options.format = flags.format;
  if (flags.timezone) options.timezone = flags.timezone;
  if (flags.live) options.live = true;
  if (flags.procRoot) options.procRoot = flags.procRoot;
  const fail2ban = packsOrFail(run, flags.fail2ban);
  if (fail2ban === null) return undefined;
  if (fail2ban) options.fail2ban = fail2ban;
  return options;
}

async function runAnalyze(run: CliRun, paths: string[], flags: AnalyzeOptions): Promise<void> {
  const options = await optionsFrom(run, paths, flags);
  if (!options) return;
  const skippedLines = new Map<string, number>();
  options.onProblem = (problem: SourceProblem) => {
    if (problem.line === undefined) {
      fail(run, `${escapeForTerminal(problem.source)}: ${problem.kind}: ${escapeForTerminal(problem.message)}`);
    } else {
      skippedLines.set(problem.source, (skippedLines.get(problem.source) ?? 0) + 1);
    }
  };
  const stored = await openRunStore(run, flags.store, 'analyze', paths);
  if (stored === null) return;
  const progress = new Progress(run.io, Boolean(run.io.errIsTTY) && !flags.ndjson);
  let ndjson = '';
  options.onEvent = (event, tracers) => {
    progress.tick();
    stored?.event(event, flags.raw, tracers.error.signatureFor(event));
    if (!flags.ndjson) return;
    ndjson += JSON.stringify(toEcs(event)) + '\n';
    if (ndjson.length >= 1 << 16) {
      run.io.out(ndjson);
      ndjson = '';
    }
  };
  let outcome;
  try {
    outcome = await investigate(options);
  } catch (error) {
    progress.done();
    await stored?.abort();
    // Loading a range file or a GeoIP database fails before any log is read.
    fail(run, escapeForTerminal((error as Error).message), 2);
    return;
  }
  progress.done();
  const { result, tracers } = outcome;
  if (stored) {
    // With --live the run keeps the /proc it was correlated with: one sample of processes, sockets and system.
    if (flags.live)
      stored.sample(new ProcSampler(flags.procRoot ? { procRoot: flags.procRoot } : {}).sample(), flags.raw);
    try {
      await stored.finish(result);
    } catch (error) {
      // The report is still printed: the analysis stands, only its copy in the store failed.
      reportStoreError(run, error);
    }
  }
  for (const [source, count] of skippedLines) {
    run.io.err(`logsleuth: ${escapeForTerminal(source)}: ${count} line(s) skipped (too long or binary)\n`);
  }
  if (flags.ndjson) run.io.out(ndjson);
  else if (flags.json) {
    assertValid('report', result);
    run.io.out(JSON.stringify(result, null, 2) + '\n');
  } else {
    run.io.out(renderText(result, { colour: flags.color !== false && run.io.isTTY }));
  }
  if (flags.reputation) {
    try {
      await writeReputation(flags.reputation, exportReputation(tracers.ip, flags.reputationAll ? { all: true } : {}));
    } catch (error) {
      fail(run, `cannot write ${escapeForTerminal(flags.reputation)}: ${escapeForTerminal((error as Error).message)}`);
    }
  }
}

/** Adds `analyze` to the program. */
export function register(program: Command, run: CliRun): void {
  const command = program
    .command('analyze')
    .description('Investigate a host’s logs: suspects with reasons, sweeps, chains, recurring errors.')
    .argument('[paths...]', 'log files (.gz, .xz, .bz2, .zst too), directories, globs, or - for stdin')
    .option('--journal [unit]', 'also read journald (journalctl -o json), optionally one unit')
    .option('--since <date>', 'only events from this time ("2025-01-02 10:00", "2 hours ago", "yesterday")')
    .option('--until <date>', 'only events up to this time')
    .option('--format <name>', `force a log format (${FORMAT_NAMES.join(', ')})`)
    .option('--timezone <zone>', 'zone of timestamps without offset: local, UTC, +01:00 or an IANA name')
    .option('--reference-date <date>', 'anchor for year-less syslog dates (default: each file mtime)')
    .option('--whitelist <cidr|file>', 'never blacklist these (in addition to loopback); repeatable', collectValues, [])
    .option('--known-bad <cidr|file>', 'known-malicious addresses or networks; repeatable', collectValues, [])
    .option('--cloud-ranges <file>', "a provider's published range file (or name=file); repeatable", collectValues, [])
    .option('--geoip <file>', 'a MaxMind .mmdb database (ASN, Country or City); repeatable', collectValues, [])
    .option('--live', "correlate suspects with this host's live connections and processes (/proc)")
    .option('--proc-root <dir>', 'the /proc to read with --live', undefined)
    .option('--json', 'print the report as JSON (schemas/report.schema.json)')
    .option('--ndjson', 'print the events as ECS JSON lines instead of a report')
    .option('--reputation <file>', 'write the reputation database (schemas/reputation.schema.json)')
    .option('--reputation-all', 'put every address in the reputation database, not only threats')
    .option('--no-color', 'never colour the report')
    .option('--store [path]', 'append the run to a DuckDB store (default ./logsleuth.duckdb; :memory: too)')
    .option('--no-raw', 'with --store, leave the raw lines out (bronze_lines)');
  addFail2banFlags(command).action(async (paths: string[], flags: AnalyzeOptions) => runAnalyze(run, paths, flags));
}
