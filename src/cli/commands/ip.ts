/**
 * `logsleuth ip ADDRESSES... [--json] [--cloud-ranges FILE]... [--geoip FILE]...`:
 * classifies addresses (type, range, global reachability, embedded IPv4,
 * cloud provider, ASN, country). Exit 1 when any address is invalid (after
 * printing every result), 2 when a range file or database cannot be used.
 */
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { type CliRun, collectValues, fail } from '../io';
import { escapeForTerminal } from '../../report/terminal-escape';
import {
  Classifier,
  type IpClassification,
  type IpClassificationError,
  isClassificationError,
} from '../../tracers/ip/classify';
import { loadClassifier } from '../../tracers/ip/load-classifier';

interface IpOptions {
  json?: boolean;
  cloudRanges: string[];
  geoip: string[];
}

function globalText(global: boolean | null): string {
  return global === null ? 'n/a' : global ? 'yes' : 'no';
}

function detailsOf(result: IpClassification): string {
  const parts: string[] = [];
  if (result.cidr) parts.push(result.cidr);
  if (result.embedded) {
    const { kind, ip, server, port } = result.embedded;
    parts.push(`${kind} ${ip}${server ? ` (server ${server}, port ${port})` : ''}`);
  }
  if (result.zone !== undefined) parts.push(`zone ${result.zone}`);
  if (result.asn !== undefined) parts.push(`AS${result.asn}${result.org ? ` ${result.org}` : ''}`);
  if (result.country) parts.push(result.country);
  return parts.join(', ');
}

/** A plain text table, columns padded to their widest cell. */
function renderTable(results: (IpClassification | IpClassificationError)[]): string {
  const rows = [['ADDRESS', 'TYPE', 'RANGE', 'GLOBAL', 'DETAILS']];
  for (const result of results) {
    if (isClassificationError(result)) rows.push([result.input, 'invalid', result.error, '', '']);
    else rows.push([result.ip, result.type, result.range, globalText(result.global), detailsOf(result)]);
  }
  const cells = rows.map((row) => row.map((cell) => escapeForTerminal(cell)));
  const widths = cells[0]!.map((_, column) => Math.max(...cells.map((row) => row[column]!.length)));
  return (
    cells
      .map((row) =>
        row
          .map((cell, column) => cell.padEnd(widths[column]!))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}

/** Addresses from standard input, one per line (surrounding whitespace and blank lines ignored). */
async function readAddresses(stdin: NodeJS.ReadableStream): Promise<string[]> {
  const addresses: string[] = [];
  for await (const line of createInterface({ input: stdin, crlfDelay: Infinity })) {
    const address = line.trim();
    if (address !== '') addresses.push(address);
  }
  return addresses;
}

/** Registers `logsleuth ip`. */
export function register(program: Command, run: CliRun): void {
  program
    .command('ip')
    .description(
      'Classify IP addresses: localhost, private, special, cloud or public, with range, reachability, ASN and country',
    )
    .argument(
      '<addresses...>',
      'IPv4 or IPv6 addresses (zone ids such as fe80::1%eth0 are accepted); - reads them from standard input, one per line',
    )
    .option('--json', 'print a JSON array, one object per address in input order')
    .option(
      '--cloud-ranges <file>',
      'cloud range file (AWS, Google, Azure, Oracle JSON, Cloudflare list, or NAME=FILE for a plain CIDR list); repeatable',
      collectValues,
      [],
    )
    .option('--geoip <file>', 'MaxMind .mmdb database (ASN, Country or City); repeatable', collectValues, [])
    .action(async (args: string[], options: IpOptions) => {
      let classifier: Classifier;
      try {
        classifier = loadClassifier({ cloudRanges: options.cloudRanges, geoip: options.geoip }).classifier;
      } catch (error) {
        fail(run, escapeForTerminal((error as Error).message), 2);
        return;
      }
      const addresses: string[] = [];
      for (const arg of args) {
        if (arg !== '-') addresses.push(arg);
        else for (const address of await readAddresses(run.io.stdin)) addresses.push(address);
      }
      const results = addresses.map((address) => classifier.classify(address));
      run.io.out(options.json ? `${JSON.stringify(results, null, 2)}\n` : renderTable(results));
      if (results.some(isClassificationError)) run.exitCode = Math.max(run.exitCode, 1);
    });
}
