/**
 * The terminal form of a pcap report: files, packet counts with skips by
 * reason, SYN-scan suspects, then the largest flows. File names are escaped
 * (a path can hold anything); addresses and numbers are our own text.
 */
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
    out +=
      `  ${s.source}: ${s.probed} ports probed, ${s.completed} handshakes completed, ` +
      `targets ${s.targets.join(', ')}; ports ${s.ports.join(', ')}\n`;
  }
  const shown = flows.list.slice(0, top);
  out += `\nFlows by bytes (${shown.length} of ${flows.count})\n`;
  for (const flow of shown) out += renderFlow(flow);
  return out;
}
