/**
 * Contact with a listed address as log events: one per flow with a known-bad
 * or reputation-listed endpoint, so the IP tracer, given the same list as
 * known-malicious, makes the listed address a case whose evidence is the
 * flow ("TCP 10.0.0.5:51234 -> 203.0.113.9:443, 12 packets, handshake completed").
 */
import type { LogEvent } from '../core/event';
import { inTimeOrder, wireEvent } from './wire-event';
import type { PcapReport } from './pcap-report';

/** The contact events of every flow with an endpoint in `listed`, oldest first; `source` names the capture(s). */
export function contactEvents(report: PcapReport, source: string, listed: { has(ip: string): boolean }): LogEvent[] {
  const events: LogEvent[] = [];
  for (const flow of report.flows.list) {
    for (const [ip, port, peer] of [
      [flow.responder, flow.responderPort, flow.initiator],
      [flow.initiator, flow.initiatorPort, flow.responder],
    ] as const) {
      if (!listed.has(ip)) continue;
      const message =
        `${flow.protocol.toUpperCase()} ${flow.initiator}:${flow.initiatorPort} -> ${flow.responder}:${flow.responderPort}, ` +
        `${flow.packetsOut + flow.packetsIn} packets` +
        (flow.protocol === 'tcp' ? (flow.handshakeCompleted ? ', handshake completed' : ', no handshake') : '');
      events.push(
        wireEvent(source, message, flow.first, {
          action: 'network.contact',
          ip,
          port,
          fields: { peer, listed: ip },
        }),
      );
      break;
    }
  }
  return inTimeOrder(events);
}
