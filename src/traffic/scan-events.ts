/**
 * SYN-scan suspects as log events, so the IP tracer scores a scanner seen on
 * the wire the way it scores one a firewall log shows: one hostile event per
 * probe that never completed its handshake, with the probed port as `dport`
 * (the IP tracer's distinct-ports evidence) and the flow's first packet time.
 */
import type { LogEvent } from '../core/event';
import { inTimeOrder, wireEvent } from './wire-event';
import type { PcapReport } from './pcap-report';

/** The events of every suspect's failed probes, oldest first; `source` names the capture(s). */
export function scanEvents(report: PcapReport, source: string): LogEvent[] {
  const suspects = new Map(report.synScans.map((suspect) => [suspect.source, suspect]));
  const events: LogEvent[] = [];
  for (const flow of report.flows.list) {
    if (flow.protocol !== 'tcp' || flow.handshakeCompleted || !suspects.has(flow.initiator)) continue;
    if (!flow.tcpFlags.includes('SYN')) continue;
    const refused = flow.resetBy === 'responder';
    const message =
      `SYN from ${flow.initiator}:${flow.initiatorPort} to ${flow.responder}:${flow.responderPort} ` +
      (refused ? 'refused (reset)' : 'unanswered');
    events.push(
      wireEvent(source, message, flow.first, {
        action: refused ? 'conn.refused' : 'conn.timeout',
        outcome: 'failure',
        hostile: true,
        ip: flow.initiator,
        port: flow.initiatorPort,
        fields: {
          dport: flow.responderPort,
          destination: flow.responder,
          scan: suspects.get(flow.initiator)!.acrossHosts ? 'sweep' : 'syn',
        },
      }),
    );
  }
  return inTimeOrder(events);
}
