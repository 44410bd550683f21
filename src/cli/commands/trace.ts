/**
 * `logsleuth trace [options] -- CMD ARGS...` and `logsleuth trace --pid PID`:
 * runs strace on a command or a process and reports its syscalls, paths,
 * peers, process tree and resources (text, --json), or writes one ECS
 * document per syscall (--ndjson, --es-bulk). On a terminal a live view
 * refreshes every second on stderr. Exit 1 when the trace could not run
 * (strace missing, ptrace refused, no such process), 2 for bad flags.
 */
import type { Command } from 'commander';
import { escapeForTerminal } from '../../report/terminal-escape';
import { renderLiveView, renderTraceText } from '../../report/trace-text';
import { type TraceOptions, TraceError, trace } from '../../trace';
import { bulkAction, syscallToEcs } from '../../tracers/syscall/ecs';
import { cidrSetFromArgs } from '../cidr-args';
import { type CliRun, collectValues, fail } from '../io';
import { appendRun } from '../store-flag';

interface TraceFlags {
  pid?: string;
  duration?: string;
  json?: boolean;
  ndjson?: boolean;
  esBulk?: boolean;
  esIndex: string;
  reputation?: string;
  knownBad: string[];
  stringSize: string;
  strace?: string;
  live: boolean;
  store?: string | boolean;
}

/** `30s`, `2m`, `1h`, `500ms` or a plain number of seconds, in ms; undefined when unreadable. */
export function parseDuration(text: string): number | undefined {
  const units: [string, number][] = [
    ['ms', 1],
    ['s', 1000],
    ['m', 60_000],
    ['h', 3_600_000],
  ];
  for (const [unit, factor] of units) {
    if (text.endsWith(unit)) {
      const value = Number(text.slice(0, -unit.length));
      if (text.length > unit.length && Number.isFinite(value) && value > 0) return value * factor;
      if (unit === 'ms') return undefined;
    }
  }
  const value = Number(text);
  return text.length && Number.isFinite(value) && value > 0 ? value * 1000 : undefined;
}

async function runTrace(run: CliRun, command: string[], flags: TraceFlags): Promise<void> {
  const options: TraceOptions = {};
  if (flags.pid !== undefined) {
    const pid = Number(flags.pid);
    if (!Number.isInteger(pid) || pid <= 0)
      return fail(run, `--pid wants a process id, got '${escapeForTerminal(flags.pid)}'`, 2);
    if (command.length) return fail(run, 'give a command or --pid, not both', 2);
    options.pid = pid;
  } else if (command.length === 0) {
    return fail(run, 'nothing to trace: give a command after --, or --pid PID', 2);
  } else {
    options.command = command;
  }
  if (flags.duration !== undefined) {
    const ms = parseDuration(flags.duration);
    if (ms === undefined)
      return fail(run, `cannot read the duration '${escapeForTerminal(flags.duration)}' (e.g. 30s, 2m)`, 2);
    options.durationMs = ms;
  }
  const size = Number(flags.stringSize);
  if (!Number.isInteger(size) || size < 0 || size > 1 << 20)
    return fail(run, `--string-size wants 0..1048576, got '${escapeForTerminal(flags.stringSize)}'`, 2);
  options.stringSize = size;
  if (flags.strace) options.strace = flags.strace;
  if (flags.reputation) options.reputation = flags.reputation;
  try {
    if (flags.knownBad.length) options.knownBad = await cidrSetFromArgs(flags.knownBad);
  } catch (error) {
    return fail(run, escapeForTerminal((error as Error).message), 2);
  }
  const machine = Boolean(flags.json || flags.ndjson || flags.esBulk);
  // Machine output owns stdout: the program's own stdout then goes to stderr.
  options.programOutput = machine ? 'stderr' : 'inherit';
  options.onStderr = (chunk) => run.io.err(chunk.toString('utf8'));
  let buffer = '';
  if (flags.ndjson || flags.esBulk) {
    const action = flags.esBulk ? bulkAction(flags.esIndex) + '\n' : '';
    let epoch: ((t: number) => number | undefined) | undefined;
    options.onCall = (call, process, effect) => {
      epoch ??= (t) => (Number.isNaN(t) ? undefined : t > 1e8 ? t * 1000 : undefined);
      buffer += action + JSON.stringify(syscallToEcs(call, process, effect, epoch(call.time))) + '\n';
      if (buffer.length >= 1 << 16) {
        run.io.out(buffer);
        buffer = '';
      }
    };
  }
  if (!machine && flags.live && run.io.errIsTTY) {
    options.onTick = (progress) => run.io.err('\x1b[H\x1b[2J' + renderLiveView(progress));
  }
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.once('SIGINT', onSigint);
  options.signal = abort.signal;
  let result;
  try {
    result = await trace(options);
  } catch (error) {
    if (error instanceof TraceError) return fail(run, escapeForTerminal(error.message));
    return fail(run, escapeForTerminal((error as Error).message));
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
  if (buffer) run.io.out(buffer);
  if (flags.json) run.io.out(JSON.stringify(result, null, 2) + '\n');
  else if (!flags.ndjson && !flags.esBulk) run.io.out(renderTraceText(result));
  if (flags.store !== undefined && flags.store !== false) {
    const traced = result;
    const info = {
      command: 'trace',
      inputs: traced.command ?? [`pid:${traced.pid}`],
      started: Date.parse(traced.startedAt),
    };
    await appendRun(run, flags.store, info, (writer) => writer.writeTrace(traced));
  }
}

/** Adds `trace` to the program. */
export function register(program: Command, run: CliRun): void {
  program
    .command('trace')
    .description(
      'Run a command (or attach to a pid) under strace: syscalls, durations, paths, peers, process tree, CPU/RSS.',
    )
    .argument('[command...]', 'the command to run and its arguments (after --)')
    .option('--pid <pid>', 'attach to a running process instead')
    .option('--duration <time>', 'stop after this long (30s, 2m); with --pid, detach then')
    .option('--json', 'print the whole result as JSON')
    .option('--ndjson', 'print one ECS document per syscall (JSON lines)')
    .option('--es-bulk', 'print the ECS documents in Elasticsearch bulk format')
    .option('--es-index <name>', 'index of the bulk actions', 'logsleuth-syscall')
    .option('--reputation <file>', 'a reputation database: peers it lists become cases')
    .option('--known-bad <cidr|file>', 'known-malicious addresses or networks; repeatable', collectValues, [])
    .option('--string-size <n>', 'longest string strace prints (strace -s)', '256')
    .option('--strace <path>', 'the strace binary (default: strace on the PATH)')
    .option('--no-live', 'no live view on a terminal')
    .option('--store [path]', 'append the trace to a DuckDB store (default ./logsleuth.duckdb)')
    .action(async (command: string[], flags: TraceFlags) => runTrace(run, command, flags));
}
