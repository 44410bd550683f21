/**
 * `logsleuth capture [--interface IF] [--duration 30s] [--filter BPF]
 * [--json|--ndjson]`: captures live through tcpdump until the duration ends or
 * Ctrl-C, then prints the same report as `logsleuth pcap`.
 */
import type { Command } from 'commander';
import { escapeForTerminal } from '../../report/terminal-escape';
import { buildPcapReport } from '../../traffic/pcap-report';
import { startTcpdump } from '../../traffic/tcpdump';
import { type CliRun, fail } from '../io';
import { addListedFlags, parseTop, type PcapOutputOptions, printPcapReport } from './pcap';
import { parseDuration } from './trace';

interface CaptureOptions extends PcapOutputOptions {
  interface: string;
  duration: string;
  filter?: string;
  tcpdump?: string;
}

async function runCapture(run: CliRun, options: CaptureOptions): Promise<void> {
  const top = parseTop(run, options);
  if (top === undefined) return;
  const ms = parseDuration(options.duration);
  if (ms === undefined) {
    fail(run, `--duration needs a time like 30s, 5m or 1h, got '${escapeForTerminal(options.duration)}'`, 2);
    return;
  }
  const capture = startTcpdump({ interface: options.interface, filter: options.filter, binary: options.tcpdump });
  const timer = setTimeout(capture.stop, ms);
  const onInterrupt = (): void => capture.stop();
  process.once('SIGINT', onInterrupt);
  try {
    const name = `tcpdump -i ${options.interface}${options.filter ? ` ${options.filter}` : ''}`;
    const report = buildPcapReport([{ name, open: () => capture.packets }]);
    try {
      await capture.done;
    } catch (error) {
      // tcpdump's own failure is the one worth telling, not the empty stream it left.
      await report;
      fail(run, escapeForTerminal((error as Error).message));
      return;
    }
    await printPcapReport(run, await report, options, top);
  } finally {
    clearTimeout(timer);
    process.removeListener('SIGINT', onInterrupt);
  }
}

/** Adds `capture` to the program. */
export function register(program: Command, run: CliRun): void {
  const command = program
    .command('capture')
    .description('Capture live traffic through tcpdump, then report flows and SYN-scan suspects as `pcap` does.')
    .option('-i, --interface <name>', 'interface to capture on', 'any')
    .option('--duration <time>', 'stop after this long (30s, 5m, 1h); Ctrl-C stops earlier', '30s')
    .option('--filter <bpf>', 'a BPF filter, as tcpdump takes it (e.g. "tcp port 22")')
    .option('--tcpdump <path>', 'the tcpdump binary (default: tcpdump on PATH)')
    .option('--json', 'print one JSON object (schemas/pcap-report.schema.json)')
    .option('--ndjson', 'print one flow per line, most bytes first')
    .option('--top <n>', 'flows listed in the text report', '20')
    .option('--cases', 'print the suspects as an investigation report (with --json: schemas/report.schema.json)');
  addListedFlags(command).action(async (options: CaptureOptions) => runCapture(run, options));
}
