/**
 * `logsleuth errors <paths...> [--json] [--format NAME] [--limit N]`: reads
 * logs and prints the distinct problems behind their errors, most important
 * (severity x count) first, each with what it probably is and what to do.
 * Every string from the logs is escaped before it reaches the terminal.
 */
import type { Command } from 'commander';
import { standaloneContext } from '../../core/tracer';
import { FORMAT_NAMES } from '../../logs/formats';
import type { SourceProblem } from '../../logs/line';
import { readEvents } from '../../logs/read-events';
import { readLines } from '../../logs/sources';
import { escapeForTerminal } from '../../report/terminal-escape';
import { type ErrorProblem, ErrorTracer } from '../../tracers/error';
import { type CliRun, fail } from '../io';

interface ErrorsOptions {
  json?: boolean;
  format?: string;
  limit?: string;
}

/** One problem as text: a headline, then the template, where, hint and advice, indented. */
export function formatProblem(problem: ErrorProblem): string {
  const e = escapeForTerminal;
  const when = problem.first ? ` ${problem.first}${problem.last !== problem.first ? ` .. ${problem.last}` : ''}` : '';
  const rate = problem.ratePerMinute !== null && problem.count > 1 ? `, ${problem.ratePerMinute.toFixed(2)}/min` : '';
  const example = problem.examples[0];
  const lines = [
    `[${problem.severity}] ${problem.category}/${problem.subkind} x${problem.count}${rate}${when}`,
    `  ${e(problem.template)}`,
  ];
  if (example)
    lines.push(
      `  at ${e(example.source)}:${example.line}${problem.services.length ? ` (${e(problem.services.join(', '))})` : ''}`,
    );
  lines.push(`  hint: ${e(problem.hint)}`);
  for (const action of problem.actions) lines.push(`  - ${e(action)}`);
  for (const measure of problem.prevention) lines.push(`  prevent: ${e(measure)}`);
  return lines.join('\n') + '\n';
}

async function runErrors(run: CliRun, paths: string[], options: ErrorsOptions): Promise<void> {
  if (options.format !== undefined && !FORMAT_NAMES.includes(options.format)) {
    fail(run, `unknown format '${escapeForTerminal(options.format)}' (known: ${FORMAT_NAMES.join(', ')})`, 2);
    return;
  }
  const limit = options.limit === undefined ? Infinity : Number(options.limit);
  if (!(Number.isInteger(limit) && limit > 0) && limit !== Infinity) {
    fail(run, `--limit needs a positive whole number, got '${escapeForTerminal(options.limit ?? '')}'`, 2);
    return;
  }
  const onProblem = (problem: SourceProblem): void => {
    if (problem.line === undefined)
      fail(run, `${escapeForTerminal(problem.source)}: ${problem.kind}: ${escapeForTerminal(problem.message)}`);
  };
  const tracer = new ErrorTracer();
  const ctx = standaloneContext(tracer);
  tracer.attach(ctx);
  for await (const event of readEvents(readLines(paths, { onProblem, stdin: run.io.stdin }), {
    format: options.format,
  })) {
    tracer.ingest(event);
  }
  tracer.finish();
  await ctx.bus.settled();
  const problems = tracer.problems().slice(0, limit);
  if (options.json) {
    run.io.out(JSON.stringify(problems, null, 2) + '\n');
    return;
  }
  const stats = tracer.stats();
  run.io.out(
    `${stats.errors} errors in ${stats.events} events: ${stats.signatures} distinct problems` +
      `${stats.evictedSignatures ? ` (${stats.evictedSignatures} rare ones evicted)` : ''}\n\n`,
  );
  run.io.out(problems.map(formatProblem).join('\n'));
}

/** Adds `errors` to the program. */
export function register(program: Command, run: CliRun): void {
  program
    .command('errors')
    .description('The distinct problems behind the errors in logs, most important first, with hints and actions.')
    .argument('<paths...>', 'log files (.gz, .xz, .bz2, .zst too), directories, globs, or - for stdin')
    .option('--json', 'print a JSON array of problems')
    .option('--format <name>', `force a format (${FORMAT_NAMES.join(', ')}); raw = no header parsing`)
    .option('--limit <n>', 'print at most n problems')
    .action(async (paths: string[], options: ErrorsOptions) => runErrors(run, paths, options));
}
