/**
 * A bounded table of flows keyed by 5-tuple (protocol, both addresses, both
 * ports). The side that sent the first packet is the initiator, except when
 * that packet is a SYN-ACK: the capture began mid-handshake, so its receiver is.
 */
import { type DecodedPacket, IPPROTO, TCP_FLAG } from './decode';

/** One flow, counted both ways. */
export interface Flow {
  protocol: number;
  initiator: string;
  initiatorPort: number;
  responder: string;
  responderPort: number;
  /** Packets and bytes (on-the-wire length) from initiator to responder ... */
  packetsOut: number;
  bytesOut: number;
  /** ... and back. */
  packetsIn: number;
  bytesIn: number;
  /** Epoch seconds (with fraction) of the first and last packet. */
  first: number;
  last: number;
  /** Every TCP flag either side sent, OR-ed. */
  tcpFlags: number;
  /** SYN from the initiator, SYN-ACK back, then an ACK from the initiator. */
  handshakeCompleted: boolean;
  /** Who sent the first RST, if anyone. */
  resetBy: 'initiator' | 'responder' | null;
  /** Internal handshake progress: 0 none, 1 SYN, 2 SYN-ACK, 3 done. */
  handshakeStage: number;
}

/** Flows kept at most; packets of further new flows are counted, not tracked. */
export const DEFAULT_MAX_FLOWS = 100_000;

export class FlowTable {
  private readonly flows = new Map<string, Flow>();
  /** Packets that would have opened a flow beyond the limit. */
  untrackedPackets = 0;

  constructor(readonly maxFlows = DEFAULT_MAX_FLOWS) {}

  /** Counts one decoded packet of `wireLength` bytes seen at `time` (epoch seconds). */
  add(packet: DecodedPacket, wireLength: number, time: number): void {
    const forward = `${packet.protocol}|${packet.src}|${packet.srcPort}|${packet.dst}|${packet.dstPort}`;
    let flow = this.flows.get(forward);
    if (!flow) {
      flow = this.flows.get(`${packet.protocol}|${packet.dst}|${packet.dstPort}|${packet.src}|${packet.srcPort}`);
    }
    if (!flow) {
      if (this.flows.size >= this.maxFlows) {
        this.untrackedPackets++;
        return;
      }
      flow = newFlow(packet, time);
      this.flows.set(
        `${flow.protocol}|${flow.initiator}|${flow.initiatorPort}|${flow.responder}|${flow.responderPort}`,
        flow,
      );
    }
    const fromInitiator = packet.src === flow.initiator && packet.srcPort === flow.initiatorPort;
    if (fromInitiator) {
      flow.packetsOut++;
      flow.bytesOut += wireLength;
    } else {
      flow.packetsIn++;
      flow.bytesIn += wireLength;
    }
    if (time < flow.first) flow.first = time;
    if (time > flow.last) flow.last = time;
    if (packet.protocol === IPPROTO.TCP) trackTcp(flow, packet.tcpFlags, fromInitiator);
  }

  /** All flows, in the order they were first seen. */
  list(): Flow[] {
    return [...this.flows.values()];
  }

  get size(): number {
    return this.flows.size;
  }
}

function newFlow(packet: DecodedPacket, time: number): Flow {
  const synAck = TCP_FLAG.SYN | TCP_FLAG.ACK;
  const reversed = packet.protocol === IPPROTO.TCP && (packet.tcpFlags & synAck) === synAck;
  return {
    protocol: packet.protocol,
    initiator: reversed ? packet.dst : packet.src,
    initiatorPort: reversed ? packet.dstPort : packet.srcPort,
    responder: reversed ? packet.src : packet.dst,
    responderPort: reversed ? packet.srcPort : packet.dstPort,
    packetsOut: 0,
    bytesOut: 0,
    packetsIn: 0,
    bytesIn: 0,
    first: time,
    last: time,
    tcpFlags: 0,
    handshakeCompleted: false,
    resetBy: null,
    handshakeStage: 0,
  };
}

function trackTcp(flow: Flow, flags: number, fromInitiator: boolean): void {
  flow.tcpFlags |= flags;
  const syn = (flags & TCP_FLAG.SYN) !== 0;
  const ack = (flags & TCP_FLAG.ACK) !== 0;
  if (flow.handshakeStage === 0 && fromInitiator && syn && !ack) flow.handshakeStage = 1;
  else if (flow.handshakeStage === 1 && !fromInitiator && syn && ack) flow.handshakeStage = 2;
  else if (flow.handshakeStage === 2 && fromInitiator && ack && !syn) {
    flow.handshakeStage = 3;
    flow.handshakeCompleted = true;
  }
  if (flags & TCP_FLAG.RST && flow.resetBy === null) flow.resetBy = fromInitiator ? 'initiator' : 'responder';
}
