/**
 * The gold table of a packet capture (`pcap --store`, `capture --store`): one
 * row per flow, as the capture report gives it. Pure functions, no SQL.
 */
import type { FlowSummary } from '../traffic/pcap-report';
import { RUN, type RowContext, spec } from './rows';

export const GOLD_FLOWS = spec([
  ...RUN,
  ['protocol', 'varchar'],
  ['initiator', 'varchar'],
  ['initiator_port', 'integer'],
  ['responder', 'varchar'],
  ['responder_port', 'integer'],
  ['packets_out', 'bigint'],
  ['bytes_out', 'bigint'],
  ['packets_in', 'bigint'],
  ['bytes_in', 'bigint'],
  ['first_at', 'timestamp'],
  ['last_at', 'timestamp'],
  ['tcp_flags', 'json'],
  ['handshake_completed', 'boolean'],
  ['reset_by', 'varchar'],
]);

export function flowRow(context: RowContext, f: FlowSummary): unknown[] {
  return [
    context.runId,
    context.host,
    f.protocol,
    f.initiator,
    f.initiatorPort,
    f.responder,
    f.responderPort,
    f.packetsOut,
    f.bytesOut,
    f.packetsIn,
    f.bytesIn,
    f.first,
    f.last,
    f.tcpFlags,
    f.handshakeCompleted,
    f.resetBy,
  ];
}
