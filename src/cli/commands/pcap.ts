/**
 * `logsleuth pcap FILE... [--json|--ndjson] [--top N]`: reads pcap and pcapng
 * captures into flows and SYN-scan suspects. A capture that cannot be read (bad
 * magic, absurd length, missing) or ends mid-record is a one-line error and
 * exit 1; the others are still reported.
 */
import type { Command } from 'commander';
import { createReadStream } from 'node:fs';
import { assertValid } from '../../core/schemas';
import { renderPcapText } from '../../report/pcap-text';
import { escapeForTerminal } from '../../report/terminal-escape';
import { buildPcapReport, type CaptureInput, type PcapReport } from '../../traffic/pcap-report';
import { type CliRun, fail } from '../io';

/** How a pcap report is printed. */
export interface PcapOutputOptions {
  json?: boolean;
  ndjson?: boolean;
  top?: string;
}

/** Checks the output options; reports a bad one and returns undefined. */
export function parseTop(run: CliRun, options: PcapOutputOptions): number | undefined {
  const top = options.top === undefined ? 20 : Number(options.top);
  if (!Number.isInteger(top) || top < 0) {
    fail(run, `--top needs a whole number, got '${escapeForTerminal(options.top ?? '')}'`, 2);
    return undefined;
  }
  if (options.json && options.ndjson) {
    fail(run, '--json and --ndjson exclude each other', 2);
    return undefined;
  }
  return top;
}

/** Prints a report as asked, and an error line per capture that failed (shared with `logsleuth capture`). */
export function printPcapReport(run: CliRun, report: PcapReport, options: PcapOutputOptions, top: number): void {
  assertValid<PcapReport>('pcap-report', report);
  for (const file of report.files) {
    if (file.error) fail(run, `${escapeForTerminal(file.name)}: ${escapeForTerminal(file.error)}`);
    else if (file.truncatedBytes)
      fail(
        run,
        `${escapeForTerminal(file.name)}: truncated: the last ${file.truncatedBytes} bytes are a partial record`,
      );
  }
  if (report.files.every((file) => file.error)) return;
  if (options.json) run.io.out(JSON.stringify(report, null, 2) + '\n');
  else if (options.ndjson) run.io.out(report.flows.list.map((flow) => JSON.stringify(flow) + '\n').join(''));
  else run.io.out(renderPcapText(report, top));
}

/** Adds `pcap` to the program. */
export function register(program: Command, run: CliRun): void {
  program
    .command('pcap')
    .description('Flows and SYN-scan suspects in pcap/pcapng captures (tcpdump -w, Wireshark, editcap).')
    .argument('<files...>', 'capture files (pcap in either byte order, micro or nanoseconds; pcapng)')
    .option('--json', 'print one JSON object (schemas/pcap-report.schema.json)')
    .option('--ndjson', 'print one flow per line, most bytes first')
    .option('--top <n>', 'flows listed in the text report', '20')
    .action(async (files: string[], options: PcapOutputOptions) => {
      const top = parseTop(run, options);
      if (top === undefined) return;
      const inputs: CaptureInput[] = files.map((path) => ({ name: path, open: () => createReadStream(path) }));
      printPcapReport(run, await buildPcapReport(inputs), options, top);
    });
}
