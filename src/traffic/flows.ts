/**
 * A bounded table of flows keyed by 5-tuple (protocol, both addresses, both
 * ports). The side that sent the first packet is the initiator, except when
 * that packet is a SYN-ACK: the capture began mid-handshake, so its receiver is.
 */
import { type AddressId, type DecodedPacket, IPPROTO, TCP_FLAG } from './decode';

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

/** A flow with what the table matches packets against, chained with the flows sharing its hash. */
interface Slot {
  flow: Flow;
  initiatorId: AddressId;
  responderId: AddressId;
  next: Slot | undefined;
}

/** Hashes of addresses: the IPv4 number itself, FNV-1a over an IPv6 address's bytes. */
function addressHash(id: AddressId): number {
  if (typeof id === 'number') return id;
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193);
  return hash;
}

function endpointHash(id: AddressId, port: number): number {
  return Math.imul(addressHash(id) ^ Math.imul(port, 0x9e3779b1), 0x85ebca6b);
}

/**
 * The flow key's hash, the same both ways (the endpoints' hashes are added)
 * and a small integer, so the table looks a packet up without making a string.
 */
function flowHash(packet: DecodedPacket): number {
  return (
    (endpointHash(packet.srcId, packet.srcPort) + endpointHash(packet.dstId, packet.dstPort) + packet.protocol) &
    0x3fffffff
  );
}

export class FlowTable {
  private readonly slots = new Map<number, Slot>();
  private readonly flows: Flow[] = [];
  /** Packets that would have opened a flow beyond the limit. */
  untrackedPackets = 0;

  constructor(readonly maxFlows = DEFAULT_MAX_FLOWS) {}

  /** Counts one decoded packet of `wireLength` bytes seen at `time` (epoch seconds). */
  add(packet: DecodedPacket, wireLength: number, time: number): void {
    const hash = flowHash(packet);
    const first = this.slots.get(hash);
    let slot = first;
    let fromInitiator = false;
    for (; slot; slot = slot.next) {
      const { flow } = slot;
      if (flow.protocol !== packet.protocol) continue;
      if (
        slot.initiatorId === packet.srcId &&
        flow.initiatorPort === packet.srcPort &&
        slot.responderId === packet.dstId &&
        flow.responderPort === packet.dstPort
      ) {
        fromInitiator = true;
        break;
      }
      if (
        slot.initiatorId === packet.dstId &&
        flow.initiatorPort === packet.dstPort &&
        slot.responderId === packet.srcId &&
        flow.responderPort === packet.srcPort
      )
        break;
    }
    if (!slot) {
      if (this.flows.length >= this.maxFlows) {
        this.untrackedPackets++;
        return;
      }
      slot = newSlot(packet, time, first);
      this.slots.set(hash, slot);
      this.flows.push(slot.flow);
      fromInitiator = slot.initiatorId === packet.srcId && slot.flow.initiatorPort === packet.srcPort;
    }
    const flow = slot.flow;
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
    return [...this.flows];
  }

  get size(): number {
    return this.flows.length;
  }
}

function newSlot(packet: DecodedPacket, time: number, next: Slot | undefined): Slot {
  const synAck = TCP_FLAG.SYN | TCP_FLAG.ACK;
  const reversed = packet.protocol === IPPROTO.TCP && (packet.tcpFlags & synAck) === synAck;
  const flow: Flow = {
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
  return {
    flow,
    initiatorId: reversed ? packet.dstId : packet.srcId,
    responderId: reversed ? packet.srcId : packet.dstId,
    next,
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
