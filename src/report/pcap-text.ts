/**
 * The terminal form of a pcap report: files, packet counts with skips by
 * reason, SYN-scan suspects, each address's DNS, TLS and HTTP names, then the
 * largest flows. File names and names taken from packets are escaped (they can
 * hold anything); addresses and numbers are our own text.
 */
import type { TrafficNamesData } from '../core/kinds';
import type { FlowSummary, PcapReport } from '../traffic/pcap-report';
import { escapeForTerminal as esc } from './terminal-escape';

function nonZero(counts: Record<string, number>): string {
  return Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([reason, n]) => `${n} ${reason}`)
    .join(', ');
}

function renderFlow(flow: FlowSummary): string {
  const handshake = flow.protocol !== 'tcp' ? '' : flow.handshakeCompleted ? '  handshake' : '  no handshake';
  const reset = flow.resetBy ? `  reset by ${flow.resetBy}` : '';
  const flags = flow.tcpFlags.length ? `  [${flow.tcpFlags.join(',')}]` : '';
  return (
    `  ${flow.protocol} ${flow.initiator}:${flow.initiatorPort} -> ${flow.responder}:${flow.responderPort}` +
    `  out ${flow.packetsOut} pkts ${flow.bytesOut} B, in ${flow.packetsIn} pkts ${flow.bytesIn} B` +
    `  ${flow.first} .. ${flow.last}${flags}${handshake}${reset}\n`
  );
}

/** Names listed per address and kind; the rest are counted. */
const NAMES_SHOWN = 10;

function listed<T>(indent: string, items: T[], untracked: number, line: (item: T) => string): string {
  let out = items
    .slice(0, NAMES_SHOWN)
    .map((item) => `${indent}${line(item)}\n`)
    .join('');
  const more = items.length - Math.min(items.length, NAMES_SHOWN) + untracked;
  if (more) out += `${indent}... and ${more} more\n`;
  return out;
}

/** One address's lookups, server names and requests, a line each. */
/** Targets a suspect's line names; a sweep of thousands of hosts is counted, not listed. */
const MAX_TARGETS_SHOWN = 20;

export function renderApplications(apps: TrafficNamesData, indent = '    '): string {
  const count = (n: number): string => (n > 1 ? ` (x${n})` : '');
  const at = (server: string, port: number): string => ` at ${server}:${port}`;
  return (
    listed(indent, apps.dns, apps.untracked.dns, (lookup) => {
      const answers = lookup.answers.length ? ` -> ${lookup.answers.map(esc).join(', ')}` : '';
      return `dns ${esc(lookup.name)}${answers}${count(lookup.count)}`;
    }) +
    listed(
      indent,
      apps.tls,
      apps.untracked.tls,
      (name) => `tls ${esc(name.serverName)}${at(name.server, name.serverPort)}${count(name.count)}`,
    ) +
    listed(indent, apps.http, apps.untracked.http, (request) => {
      const host = request.host === null ? '' : ` Host ${esc(request.host)}`;
      return `http ${esc(request.method)} ${esc(request.target)}${host}${at(request.server, request.serverPort)}${count(request.count)}`;
    })
  );
}

/** The report as text; at most `top` flows are listed (default 20). */
export function renderPcapText(report: PcapReport, top = 20): string {
  const { packets, flows } = report;
  let out = '';
  for (const file of report.files) {
    const state = file.error
      ? `error: ${esc(file.error)}`
      : `${file.format}, ${file.packets} packets` +
        (file.truncatedBytes ? `, truncated (${file.truncatedBytes} bytes left over)` : '');
    out += `${esc(file.name)}: ${state}\n`;
  }
  out += `\n${packets.read} packets read, ${packets.decoded} decoded into ${flows.count} flows`;
  if (packets.untracked) out += ` (${packets.untracked} packets past the ${flows.maxFlows}-flow limit not tracked)`;
  out += '\n';
  const skipped = nonZero(packets.skipped);
  if (skipped) out += `  skipped: ${skipped}\n`;
  if (packets.cutBySnapLength) out += `  cut by snap length: ${packets.cutBySnapLength}\n`;
  if (packets.fragments) out += `  IP fragments: ${packets.fragments}\n`;
  out += `\nSYN-scan suspects (${report.synScans.length})\n`;
  for (const s of report.synScans) {
    const more = s.targets.length > MAX_TARGETS_SHOWN ? ` (+${s.targets.length - MAX_TARGETS_SHOWN} more)` : '';
    out +=
      `  ${s.source}: ${s.acrossHosts ? `sweep across ${s.hosts} hosts, ` : ''}` +
      `${s.probed} host:port pairs probed, ${s.completed} handshakes completed, ` +
      `targets ${s.targets.slice(0, MAX_TARGETS_SHOWN).join(', ')}${more}; ports ${s.ports.join(', ')}\n`;
  }
  const { applications } = report;
  out += `\nDNS, TLS and HTTP names by address (${applications.addresses.length})\n`;
  for (const apps of applications.addresses) out += `  ${apps.address}\n${renderApplications(apps)}`;
  if (applications.untracked)
    out += `  (${applications.untracked} more past the ${applications.maxAddresses}-address limit)\n`;
  if (applications.dnsMalformed) out += `  malformed DNS messages: ${applications.dnsMalformed}\n`;
  const shown = flows.list.slice(0, top);
  out += `\nFlows by bytes (${shown.length} of ${flows.count})\n`;
  for (const flow of shown) out += renderFlow(flow);
  return out;
}
