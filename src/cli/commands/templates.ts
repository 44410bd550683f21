/**
 * `logsleuth templates <paths...> --ndjson [--format NAME]`: mines the
 * template of every record's message and prints, in input order, one JSON
 * object per record: `{line, templateId, template}` (`line` is the record's
 * 1-based line number; `source` is added when several inputs are read).
 *
 * Two passes: templates generalise as messages arrive, so every record is
 * printed with its cluster's final template (and id), the same for all its
 * members. Memory is one reference per record on top of the miner's bound.
 */
import type { Command } from 'commander';
import { FORMAT_NAMES } from '../../logs/formats';
import type { SourceProblem } from '../../logs/line';
import { readEvents } from '../../logs/read-events';
import { readLines } from '../../logs/sources';
import { escapeForTerminal } from '../../report/terminal-escape';
import { survivorOf, type TemplateCluster, TemplateMiner, templateOf, templateSignature } from '../../tracers/error';
import { type CliRun, fail } from '../io';

interface TemplatesOptions {
  ndjson?: boolean;
  format?: string;
}

const FLUSH_CHARS = 1 << 16;

async function runTemplates(run: CliRun, paths: string[], options: TemplatesOptions): Promise<void> {
  if (!options.ndjson) {
    fail(run, 'templates prints NDJSON only: add --ndjson', 2);
    return;
  }
  if (options.format !== undefined && !FORMAT_NAMES.includes(options.format)) {
    fail(run, `unknown format '${escapeForTerminal(options.format)}' (known: ${FORMAT_NAMES.join(', ')})`, 2);
    return;
  }
  const onProblem = (problem: SourceProblem): void => {
    if (problem.line === undefined)
      fail(run, `${escapeForTerminal(problem.source)}: ${problem.kind}: ${escapeForTerminal(problem.message)}`);
  };
  const miner = new TemplateMiner();
  const records: { source: string; line: number; cluster: TemplateCluster }[] = [];
  const sources = new Set<string>();
  for await (const event of readEvents(readLines(paths, { onProblem, stdin: run.io.stdin }), {
    format: options.format,
  })) {
    sources.add(event.source);
    records.push({ source: event.source, line: event.line, cluster: miner.add(event.message).cluster });
  }
  const ids = new Map<TemplateCluster, { templateId: string; template: string }>();
  let buffer = '';
  for (const record of records) {
    const { source, line } = record;
    // A line belongs to the cluster its own merged into, if a varying word merged them later.
    const cluster = survivorOf(record.cluster);
    let named = ids.get(cluster);
    if (!named) {
      const template = templateOf(cluster);
      named = { templateId: templateSignature(template), template };
      ids.set(cluster, named);
    }
    const object = sources.size > 1 ? { source, line, ...named } : { line, ...named };
    buffer += JSON.stringify(object) + '\n';
    if (buffer.length >= FLUSH_CHARS) {
      run.io.out(buffer);
      buffer = '';
    }
  }
  if (buffer) run.io.out(buffer);
}

/** Adds `templates` to the program. */
export function register(program: Command, run: CliRun): void {
  program
    .command('templates')
    .description('Mine message templates: one {line, templateId, template} JSON object per record, in input order.')
    .argument('<paths...>', 'log files (.gz, .xz, .bz2, .zst too), directories, globs, or - for stdin')
    .option('--ndjson', 'print NDJSON (required)')
    .option('--format <name>', `force a format (${FORMAT_NAMES.join(', ')}); raw = every line is one message`)
    .action(async (paths: string[], options: TemplatesOptions) => runTemplates(run, paths, options));
}
