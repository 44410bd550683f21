/**
 * One finding as one line for people watching a live stream (`logsleuth
 * watch`): its kind, its subject and the gist of its data, escaped.
 */
import type { AnyFinding } from '../core/finding';
import { escapeForTerminal as esc } from './terminal-escape';

function gist(finding: AnyFinding): string {
  switch (finding.kind) {
    case 'ip.threat':
    case 'ip.blacklisted':
      return `score ${Math.round(finding.data.score)} (${finding.data.type}): ${finding.data.reasons.map((r) => r.text).join('; ')}`;
    case 'ip.sweep':
      return `${finding.data.kind} from ${finding.data.subnet}: ${finding.data.ips.length} addresses`;
    case 'network.connections':
      return finding.data.connections
        .map((c) => `${c.local.address}:${c.local.port} ${c.state} pid ${c.pid ?? '?'} ${c.process ?? ''}`.trim())
        .join('; ');
    case 'process.owner':
      return `pid ${finding.data.pid} ${finding.data.name}: ${finding.data.cmdline}`;
    case 'event.chain':
      return finding.data.summary;
    case 'event.timeline':
      return `${finding.data.total} events`;
    case 'error.recurring':
      return `x${finding.data.count} [${finding.data.category}] ${finding.data.template}`;
    case 'error.related':
      return finding.data.errors.map((e) => `x${e.count} ${e.template}`).join('; ');
    case 'traffic.names':
      return `${finding.data.dns.length} names looked up, ${finding.data.tls.length} TLS server names, ${finding.data.http.length} HTTP requests`;
    case 'bus.error':
      return `${finding.data.handler} failed on ${finding.data.kind}: ${finding.data.error}`;
    default:
      // A kind added by another package: its data as JSON.
      return JSON.stringify((finding as { data: unknown }).data);
  }
}

/** `2026-03-14T03:12:23.000Z ip.blacklisted 203.0.113.45: score 92 (public): ...` */
export function findingLine(finding: AnyFinding): string {
  return `${new Date(finding.at).toISOString()} ${finding.kind} ${esc(finding.key)}: ${esc(gist(finding))}\n`;
}
