/**
 * `logsleuth events [paths...] [--journal [UNIT]] [--ndjson] [--format NAME]
 * [--mode MODE] [--timezone TZ] [--reference-date DATE] [--hostile] [--stats]`:
 * reads logs (files, .gz, directories, globs, `-`, and journald through
 * `journalctl -o json`) and prints one event per record: ECS JSON lines with
 * --ndjson, else an escaped table. An input that cannot be read is reported on
 * one line and the others are still read (exit 1).
 */
import type { Command } from 'commander';
import { toEcs } from '../../core/ecs';
import type { LogEvent } from '../../core/event';
import { FORMAT_NAMES } from '../../logs/formats';
import { readEvents } from '../../logs/read-events';
import type { HostileMode } from '../../logs/recognisers';
import { journalLines, modificationTime, readLines } from '../../logs/sources';
import type { SourceLine } from '../../logs/line';
import { isValidTimezone, parseTimestamp } from '../../logs/time';
import type { SourceProblem } from '../../logs/line';
import { escapeForTerminal } from '../../report/terminal-escape';
import { journalChoice } from '../journal-flag';
import { type Fail2banFlag, addFail2banFlags, packsOrFail } from '../fail2ban-flag';
import { type CliRun, fail } from '../io';

interface EventsOptions {
  journal?: boolean | string;
  ndjson?: boolean;
  format?: string;
  mode: string;
  timezone?: string;
  referenceDate?: string;
  hostile?: boolean;
  stats?: boolean;
  fail2ban?: Fail2banFlag;
}

const MODES: readonly HostileMode[] = ['normal', 'ddos', 'extra', 'aggressive'];
/** Output is written in chunks of about this many characters. */
const FLUSH_CHARS = 1 << 16;
const MESSAGE_WIDTH = 160;

/** The files' lines, then the journal's. */
async function* concat(...sources: (AsyncIterable<SourceLine> | undefined)[]): AsyncGenerator<SourceLine> {
  for (const source of sources) if (source) yield* source;
}

function tableRow(event: LogEvent): string {
  const time = event.timestamp === undefined ? '-' : new Date(event.timestamp).toISOString();
  const where = `${event.source}:${event.line}`;
  const who = event.ip ?? event.domain ?? '-';
  const message = event.message.length > MESSAGE_WIDTH ? `${event.message.slice(0, MESSAGE_WIDTH)}…` : event.message;
  const cells = [
    time,
    escapeForTerminal(where),
    event.hostile ? '!' : ' ',
    escapeForTerminal(event.service ?? '-'),
    event.action ?? '-',
    escapeForTerminal(who),
    escapeForTerminal(event.user ?? '-'),
    escapeForTerminal(message),
  ];
  return cells.join('  ') + '\n';
}

async function runEvents(run: CliRun, given: string[], options: EventsOptions): Promise<void> {
  const { paths, journal: fromJournal } = journalChoice(given, options.journal);
  if (options.format !== undefined && !FORMAT_NAMES.includes(options.format)) {
    fail(run, `unknown format '${escapeForTerminal(options.format)}' (known: ${FORMAT_NAMES.join(', ')})`, 2);
    return;
  }
  if (!MODES.includes(options.mode as HostileMode)) {
    fail(run, `unknown mode '${escapeForTerminal(options.mode)}' (known: ${MODES.join(', ')})`, 2);
    return;
  }
  if (options.timezone !== undefined && !isValidTimezone(options.timezone)) {
    fail(run, `unknown timezone '${escapeForTerminal(options.timezone)}'`, 2);
    return;
  }
  let referenceDate: number | undefined;
  if (options.referenceDate !== undefined) {
    referenceDate = parseTimestamp(options.referenceDate, { timezone: options.timezone });
    if (referenceDate === undefined) {
      fail(run, `cannot read the reference date '${escapeForTerminal(options.referenceDate)}'`, 2);
      return;
    }
  }
  const skipped = new Map<string, Map<string, number>>();
  const onProblem = (problem: SourceProblem): void => {
    if (problem.line === undefined) {
      fail(run, `${escapeForTerminal(problem.source)}: ${problem.kind}: ${escapeForTerminal(problem.message)}`);
      return;
    }
    const kinds = skipped.get(problem.source) ?? new Map<string, number>();
    kinds.set(problem.kind, (kinds.get(problem.kind) ?? 0) + 1);
    skipped.set(problem.source, kinds);
  };
  if (paths.length === 0 && !fromJournal) {
    fail(run, 'nothing to read: give log paths (or - for stdin), or --journal', 2);
    return;
  }
  const fail2ban = packsOrFail(run, options.fail2ban);
  if (fail2ban === null) return;
  const files = paths.length > 0 ? readLines(paths, { onProblem, stdin: run.io.stdin }) : undefined;
  const journal = fromJournal === undefined ? undefined : journalLines({ ...fromJournal, onProblem });
  const lines = concat(files, journal);
  const reader = readEvents(lines, {
    format: options.format,
    mode: options.mode as HostileMode,
    timezone: options.timezone,
    referenceDate,
    referenceDateOf: referenceDate === undefined ? modificationTime : undefined,
    fail2ban,
  });
  let buffer = '';
  try {
    for await (const event of reader) {
      if (options.hostile && !event.hostile) continue;
      buffer += options.ndjson ? JSON.stringify(toEcs(event)) + '\n' : tableRow(event);
      if (buffer.length >= FLUSH_CHARS) {
        run.io.out(buffer);
        buffer = '';
      }
    }
  } catch (error) {
    // journalctl missing or failing: what was read is still printed.
    fail(run, escapeForTerminal(error instanceof Error ? error.message : String(error)));
  }
  if (buffer) run.io.out(buffer);
  for (const [source, kinds] of skipped) {
    const parts = [...kinds].map(([kind, n]) => `${n} ${kind}`).join(', ');
    run.io.err(`logsleuth: ${escapeForTerminal(source)}: skipped lines: ${parts}\n`);
  }
  if (options.stats) {
    for (const s of reader.stats()) {
      run.io.err(
        `${escapeForTerminal(s.source)}: ${s.lines} lines, ${s.events} events, ${s.parsed} parsed, ${s.unparsed} unparsed, ` +
          `${s.blank} blank, ${s.joined} joined, ${s.failures} failures; format ${s.format} (${Object.entries(
            s.byFormat,
          )
            .map(([name, n]) => `${name} ${n}`)
            .join(', ')})\n`,
      );
    }
  }
}

/** Adds `events` to the program. */
export function register(program: Command, run: CliRun): void {
  const command = program
    .command('events')
    .description('Parse logs into events: one ECS JSON object per line with --ndjson, else a table.')
    .argument('[paths...]', 'log files (.gz, .xz, .bz2, .zst too), directories, globs, or - for stdin')
    .option('--journal [unit]', 'also read journald (journalctl -o json), optionally one unit')
    .option('--ndjson', 'print one ECS JSON object per event')
    .option('--format <name>', `force a format (${FORMAT_NAMES.join(', ')}); raw = no header parsing`)
    .option('--mode <mode>', `what counts as hostile, as fail2ban's modes (${MODES.join(', ')})`, 'aggressive')
    .option('--timezone <zone>', 'zone of stamps without offset: local, UTC, +01:00 or an IANA name')
    .option('--reference-date <date>', 'anchor for year-less syslog dates (default: each file mtime)')
    .option('--hostile', 'print only events that count against a remote address')
    .option('--stats', 'print per-source counts (lines, parsed, unparsed, formats) to stderr');
  addFail2banFlags(command).action(async (paths: string[], options: EventsOptions) => runEvents(run, paths, options));
}
