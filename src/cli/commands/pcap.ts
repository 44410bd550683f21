/**
 * `logsleuth pcap FILE... [--json|--ndjson] [--top N] [--cases]`: reads pcap
 * and pcapng captures into flows and SYN-scan suspects; `--cases` scores the
 * suspects with the standard tracers and prints the investigation report. A capture that cannot be read (bad
 * magic, absurd length, missing) or ends mid-record is a one-line error and
 * exit 1; the others are still reported.
 */
import type { Command } from 'commander';
import { createReadStream } from 'node:fs';
import { assertValid } from '../../core/schemas';
import { createInvestigation } from '../../investigate';
import { renderPcapText } from '../../report/pcap-text';
import { renderText } from '../../report/text';
import { escapeForTerminal } from '../../report/terminal-escape';
import { buildPcapReport, type CaptureInput, type PcapReport } from '../../traffic/pcap-report';
import { TrafficTracer } from '../../tracers/traffic';
import { scanEvents } from '../../traffic/scan-events';
import { contactEvents } from '../../traffic/contact-events';
import { inTimeOrder } from '../../traffic/wire-event';
import { listedAddresses } from '../../tracers/ip/listed';
import { readReputation } from '../../tracers/ip/reputation';
import type { CidrSet } from '../../tracers/ip/whitelist';
import { cidrSetFromArgs } from '../cidr-args';
import { appendRun } from '../store-flag';
import type { Case } from '../../core/case';
import { type CliRun, collectValues, fail } from '../io';

/** How a pcap report is printed. */
export interface PcapOutputOptions {
  /** Print the investigation's cases (the scanners scored by the IP tracer) instead of the flows. */
  cases?: boolean;
  json?: boolean;
  ndjson?: boolean;
  top?: string;
  /** With `cases`: a reputation database whose listed addresses, seen in a flow, become cases. */
  reputation?: string;
  /** With `cases`: known-bad addresses or networks (CIDR or a file of them). */
  knownBad?: string[];
  /** Append the capture's flows (and with `cases` its cases) to this store (`true`: the default path). */
  store?: string | boolean;
}

/** Adds the flags that list bad addresses to a capture command. */
export function addListedFlags(command: Command): Command {
  return command
    .option('--reputation <file>', 'with --cases: a reputation database; listed addresses in a flow become cases')
    .option(
      '--known-bad <cidr|file>',
      'with --cases: known-malicious addresses or networks; repeatable',
      collectValues,
      [],
    )
    .option('--store [path]', "append the capture's flows (with --cases, its cases) to a DuckDB store");
}

/** Checks the output options; reports a bad one and returns undefined. */
export function parseTop(run: CliRun, options: PcapOutputOptions): number | undefined {
  const top = options.top === undefined ? 20 : Number(options.top);
  if (!Number.isInteger(top) || top < 0) {
    fail(run, `--top needs a whole number, got '${escapeForTerminal(options.top ?? '')}'`, 2);
    return undefined;
  }
  if (options.ndjson && (options.json || options.cases)) {
    fail(run, '--ndjson excludes --json and --cases', 2);
    return undefined;
  }
  return top;
}

/**
 * The suspects of a capture as an investigation's cases: its scan events go
 * through the standard tracers, and each suspect's case gets its names.
 */
async function printCases(run: CliRun, report: PcapReport, options: PcapOutputOptions): Promise<Case[] | undefined> {
  const source = report.files.map((file) => file.name).join(' + ');
  let listed: CidrSet | undefined;
  try {
    const known = options.knownBad?.length ? await cidrSetFromArgs(options.knownBad) : undefined;
    listed = listedAddresses(known, options.reputation ? await readReputation(options.reputation) : undefined).set;
  } catch (error) {
    fail(run, escapeForTerminal((error as Error).message), 2);
    return undefined;
  }
  const { investigation } = createInvestigation({
    tracers: [new TrafficTracer(report.applications.addresses)],
    // A listed address is a suspect from one contact: the capture holds no other evidence against it.
    ...(listed ? { knownMalicious: listed, ip: { scoring: { weights: { knownMalicious: 100 } } } } : {}),
  });
  // One time order and one line numbering over both kinds of event.
  const events = inTimeOrder([...scanEvents(report, source), ...(listed ? contactEvents(report, source, listed) : [])]);
  for (const event of events) investigation.ingest(event);
  await investigation.finish();
  const result = investigation.result([{ source, lines: report.packets.read }]);
  if (options.json) {
    assertValid('report', result);
    run.io.out(JSON.stringify(result, null, 2) + '\n');
  } else run.io.out(renderText(result, { colour: run.io.isTTY }));
  return result.cases;
}

/** Prints a report as asked, and an error line per capture that failed (shared with `logsleuth capture`). */
export async function printPcapReport(
  run: CliRun,
  report: PcapReport,
  options: PcapOutputOptions,
  top: number,
): Promise<void> {
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
  let cases: Case[] | undefined;
  if (options.cases) {
    cases = await printCases(run, report, options);
    if (!cases) return;
  } else if (options.json) run.io.out(JSON.stringify(report, null, 2) + '\n');
  else if (options.ndjson) run.io.out(report.flows.list.map((flow) => JSON.stringify(flow) + '\n').join(''));
  else run.io.out(renderPcapText(report, top));
  if (options.store !== undefined && options.store !== false) {
    const info = { command: 'pcap', inputs: report.files.map((file) => file.name) };
    await appendRun(run, options.store, info, (writer) => writer.writeCapture(report, cases));
  }
}

/** Adds `pcap` to the program. */
export function register(program: Command, run: CliRun): void {
  const command = program
    .command('pcap')
    .description('Flows and SYN-scan suspects in pcap/pcapng captures (tcpdump -w, Wireshark, editcap).')
    .argument('<files...>', 'capture files (pcap in either byte order, micro or nanoseconds; pcapng)')
    .option('--json', 'print one JSON object (schemas/pcap-report.schema.json)')
    .option('--ndjson', 'print one flow per line, most bytes first')
    .option('--top <n>', 'flows listed in the text report', '20')
    .option('--cases', 'print the suspects as an investigation report (with --json: schemas/report.schema.json)');
  addListedFlags(command).action(async (files: string[], options: PcapOutputOptions) => {
    const top = parseTop(run, options);
    if (top === undefined) return;
    const inputs: CaptureInput[] = files.map((path) => ({ name: path, open: () => createReadStream(path) }));
    await printPcapReport(run, await buildPcapReport(inputs), options, top);
  });
}
