/**
 * The terminal report of an investigation: suspects ranked with their reasons,
 * sweeps, chains, recurring errors and live connections. Every value that came
 * from a log or /proc is escaped; colour only when asked (a TTY).
 */
import type { Case } from '../core/case';
import type { InvestigationResult } from '../core/result';
import { renderApplications } from './pcap-text';
import { escapeForTerminal as esc } from './terminal-escape';

export interface TextReportOptions {
  /** ANSI colour (for a terminal). */
  colour?: boolean;
  /** Most suspects listed in full; the rest are counted. Default 20. */
  maxCases?: number;
  /** Most items per list (reasons, chains, errors). Default 10. */
  maxItems?: number;
}

type Paint = (code: string, text: string) => string;

function painter(colour: boolean): Paint {
  return colour ? (code, text) => `\u001b[${code}m${text}\u001b[0m` : (_code, text) => text;
}

function heading(paint: Paint, title: string, count: number): string {
  return `\n${paint('1', title)} (${count})\n`;
}

function more(shown: number, total: number, noun: string): string {
  return total > shown ? `    ... and ${total - shown} more ${noun}\n` : '';
}

function scoreColour(score: number): string {
  if (score >= 70) return '1;31';
  if (score >= 40) return '33';
  return '0';
}

function renderCase(suspect: Case, paint: Paint, maxItems: number): string {
  const verdict = suspect.blacklisted ? paint('1;31', 'BLACKLISTED') : paint('33', 'watch');
  let out = `  ${paint(scoreColour(suspect.score), String(Math.round(suspect.score)).padStart(3))}  ${esc(suspect.ip)}  ${verdict}  ${suspect.type}`;
  out += suspect.services.length ? `  services: ${suspect.services.map(esc).join(', ')}` : '';
  out += `\n       seen ${suspect.firstSeen ?? '?'} .. ${suspect.lastSeen ?? '?'}\n`;
  if (suspect.fleet) {
    const { fleet } = suspect;
    out += `       fleet ${paint(scoreColour(fleet.score), String(Math.round(fleet.score)))}: ${fleet.hosts.length} hosts, ${fleet.hostileHosts} hostile\n`;
    for (const told of fleet.summary.slice(0, maxItems)) out += `       ${esc(told)}\n`;
  }
  for (const reason of suspect.reasons.slice(0, maxItems)) {
    const sign = reason.points < 0 ? '-' : '+';
    out += `       ${sign}${Math.abs(reason.points).toFixed(0).padStart(3)}  ${esc(reason.text)}\n`;
  }
  for (const chain of suspect.chains.slice(0, maxItems)) out += `       chain: ${esc(chain.summary)}\n`;
  for (const connection of suspect.connections.slice(0, maxItems)) {
    const owner = connection.pid === null ? 'owner unknown' : `pid ${connection.pid} ${esc(connection.process ?? '?')}`;
    out += `       live: ${connection.protocol} ${esc(connection.local.address)}:${connection.local.port} <- ${esc(connection.remote.address)}:${connection.remote.port} ${connection.state} (${owner})\n`;
  }
  for (const error of suspect.errors.slice(0, maxItems)) {
    out += `       error: ${esc(error.template)} x${error.count} (${error.why})\n`;
  }
  if (suspect.traffic) out += renderApplications(suspect.traffic, '       ');
  return out;
}

/** Renders the result as text for people. */
export function renderText(result: InvestigationResult, options: TextReportOptions = {}): string {
  const paint = painter(options.colour ?? false);
  const maxCases = options.maxCases ?? 20;
  const maxItems = options.maxItems ?? 10;
  let out = '';

  const failed = result.inputs.filter((input) => input.error);
  const lines = result.inputs.reduce((sum, input) => sum + (input.lines ?? 0), 0);
  out += `${paint('1', 'logsleuth report')}  ${result.generatedAt}\n`;
  out += `  read ${result.inputs.length - failed.length} input(s), ${lines} lines`;
  const unparsed = result.inputs.reduce((sum, input) => sum + (input.unparsed ?? 0), 0);
  const skipped = result.inputs.reduce((sum, input) => sum + (input.skipped ?? 0), 0);
  out += unparsed ? `, ${unparsed} unparsed` : '';
  out += skipped ? `, ${skipped} skipped` : '';
  out += '\n';
  for (const input of failed) out += `  ${paint('31', 'could not read')} ${esc(input.source)}: ${esc(input.error!)}\n`;

  out += heading(paint, 'Suspects', result.cases.length);
  if (result.cases.length === 0) out += '  none\n';
  for (const suspect of result.cases.slice(0, maxCases)) out += renderCase(suspect, paint, maxItems);
  out += more(Math.min(maxCases, result.cases.length), result.cases.length, 'suspects');

  if (result.sweeps.length) {
    out += heading(paint, 'Sweeps', result.sweeps.length);
    for (const sweep of result.sweeps.slice(0, maxItems)) {
      const what = sweep.users?.length
        ? `${sweep.users.length} users`
        : sweep.ports?.length
          ? `${sweep.ports.length} ports`
          : `${sweep.ips.length} addresses`;
      out += `  ${sweep.kind.padEnd(10)} ${esc(sweep.subnet)}  ${what}: ${sweep.ips.slice(0, 5).map(esc).join(', ')}${sweep.ips.length > 5 ? ', ...' : ''}\n`;
    }
    out += more(Math.min(maxItems, result.sweeps.length), result.sweeps.length, 'sweeps');
  }

  const orphanChains = result.chains;
  if (orphanChains.length) {
    out += heading(paint, 'Chains', orphanChains.length);
    for (const chain of orphanChains.slice(0, maxItems)) {
      out += `  ${chain.kind.padEnd(24)} ${esc(chain.summary)}\n`;
    }
    out += more(Math.min(maxItems, orphanChains.length), orphanChains.length, 'chains');
  }

  if (result.errors.length) {
    out += heading(paint, 'Errors', result.errors.length);
    for (const error of result.errors.slice(0, maxItems)) {
      out += `  ${paint(scoreColour(error.severity), String(error.severity).padStart(3))}  x${error.count}  [${error.category}/${esc(error.subkind)}] ${esc(error.template)}\n`;
      out += `       hint: ${esc(error.hint)}\n`;
    }
    out += more(Math.min(maxItems, result.errors.length), result.errors.length, 'errors');
  }
  return out;
}
