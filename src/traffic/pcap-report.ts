/**
 * The report of one or more captures read together: what each file held, what
 * could not be decoded and why, the flows (largest first), the SYN-scan
 * suspects and each address's DNS, TLS and HTTP names. Plain data, valid against `schemas/pcap-report.schema.json`.
 */
import type { TrafficNamesData } from '../core/kinds';
import { AppLayerTable, DEFAULT_MAX_ADDRESSES } from './app-layer';
import { captureFlows } from './capture-flows';
import { IPPROTO, type SkipReason, TCP_FLAG } from './decode';
import { DEFAULT_MAX_FLOWS, type Flow, FlowTable } from './flows';
import { CaptureFormatError, CaptureParser, type ReaderStats } from './pcap-reader';
import { findSynScans, type SynScanSuspect } from './syn-scan';

/** A capture to read: a name for the report and its bytes. */
export interface CaptureInput {
  name: string;
  open(): AsyncIterable<Buffer | string>;
}

/** What one capture held, or why it could not be read. */
export interface CaptureFileSummary {
  name: string;
  format: ReaderStats['format'];
  packets: number;
  decoded: number;
  cutBySnapLength: number;
  /** pcapng blocks that are not packets (statistics, name resolution, ...). */
  otherBlocks: number;
  /** Bytes left over when the file ended mid-record: the file is truncated. */
  truncatedBytes: number;
  /** Why reading stopped early (bad magic, absurd length, unreadable file); null when read to the end. */
  error: string | null;
}

/** Why a packet was read but not counted in a flow. */
export type PacketSkipReason = SkipReason | 'unreadable-block';

/** One flow as reports show it: a {@link Flow} with names for its protocol and flags, and ISO 8601 times. */
export type FlowSummary = Omit<Flow, 'protocol' | 'first' | 'last' | 'tcpFlags' | 'handshakeStage'> & {
  protocol: string;
  first: string;
  last: string;
  tcpFlags: string[];
};

export interface PcapReport {
  files: CaptureFileSummary[];
  packets: {
    read: number;
    decoded: number;
    /** IP fragments seen (first fragments are decoded too). */
    fragments: number;
    cutBySnapLength: number;
    /** Packets of new flows past the flow limit. */
    untracked: number;
    skipped: Record<PacketSkipReason, number>;
  };
  flows: {
    count: number;
    /** The flow table's limit. */
    maxFlows: number;
    /** Every flow, most bytes first. */
    list: FlowSummary[];
  };
  synScans: SynScanSuspect[];
  applications: {
    /** Addresses with a DNS lookup, a TLS server name or an HTTP request, in address order. */
    addresses: TrafficNamesData[];
    /** The table's limit, and observations of addresses past it. */
    maxAddresses: number;
    untracked: number;
    /** Port-53 payloads that were not a DNS message. */
    dnsMalformed: number;
  };
}

const PROTOCOL_NAMES: Record<number, string> = {
  [IPPROTO.TCP]: 'tcp',
  [IPPROTO.UDP]: 'udp',
  [IPPROTO.ICMP]: 'icmp',
  [IPPROTO.ICMPV6]: 'icmpv6',
};

const FLAG_NAMES: [number, string][] = [
  [TCP_FLAG.SYN, 'SYN'],
  [TCP_FLAG.ACK, 'ACK'],
  [TCP_FLAG.PSH, 'PSH'],
  [TCP_FLAG.URG, 'URG'],
  [TCP_FLAG.FIN, 'FIN'],
  [TCP_FLAG.RST, 'RST'],
  [0x40, 'ECE'],
  [0x80, 'CWR'],
];

function isoTime(epochSeconds: number): string {
  return new Date(Math.round(epochSeconds * 1000)).toISOString();
}

/** A flow in report form: protocol and flags by name, times as ISO 8601. */
export function summariseFlow(flow: Flow): FlowSummary {
  return {
    protocol: PROTOCOL_NAMES[flow.protocol] ?? `ip-proto-${flow.protocol}`,
    initiator: flow.initiator,
    initiatorPort: flow.initiatorPort,
    responder: flow.responder,
    responderPort: flow.responderPort,
    packetsOut: flow.packetsOut,
    bytesOut: flow.bytesOut,
    packetsIn: flow.packetsIn,
    bytesIn: flow.bytesIn,
    first: isoTime(flow.first),
    last: isoTime(flow.last),
    tcpFlags: FLAG_NAMES.filter(([bit]) => flow.tcpFlags & bit).map(([, name]) => name),
    handshakeCompleted: flow.handshakeCompleted,
    resetBy: flow.resetBy,
  };
}

/** Reading errors that belong to the input (a bad capture, a missing file), not to us. */
function inputError(error: unknown): string | undefined {
  if (error instanceof CaptureFormatError) return error.message;
  // A system error (ENOENT, EACCES, EISDIR) by its code: streams may raise it from another realm.
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && typeof message === 'string') return message;
  return undefined;
}

/**
 * Reads the captures one after the other into one flow table. A capture that
 * cannot be read is reported in its file summary; the others still count.
 */
export async function buildPcapReport(
  inputs: CaptureInput[],
  options: { maxFlows?: number; maxAddresses?: number } = {},
): Promise<PcapReport> {
  const table = new FlowTable(options.maxFlows ?? DEFAULT_MAX_FLOWS);
  const apps = new AppLayerTable(options.maxAddresses ?? DEFAULT_MAX_ADDRESSES);
  const packets: PcapReport['packets'] = {
    read: 0,
    decoded: 0,
    fragments: 0,
    cutBySnapLength: 0,
    untracked: 0,
    skipped: { 'unsupported-link': 0, 'not-ip': 0, truncated: 0, 'later-fragment': 0, 'unreadable-block': 0 },
  };
  const files: CaptureFileSummary[] = [];
  for (const input of inputs) {
    const file: CaptureFileSummary = {
      name: input.name,
      format: 'unknown',
      packets: 0,
      decoded: 0,
      cutBySnapLength: 0,
      otherBlocks: 0,
      truncatedBytes: 0,
      error: null,
    };
    files.push(file);
    let result;
    const parser = new CaptureParser();
    try {
      result = await captureFlows(input.open(), { table, apps, parser });
    } catch (error) {
      const message = inputError(error);
      if (message === undefined) throw error;
      // What was read before the failure still describes the file.
      Object.assign(file, { format: parser.stats.format, packets: parser.stats.packets, error: message });
      continue;
    }
    const { reader } = result;
    Object.assign(file, {
      format: reader.format,
      packets: reader.packets,
      decoded: result.decoded,
      cutBySnapLength: reader.cutBySnapLength,
      otherBlocks: reader.otherBlocks,
      truncatedBytes: reader.truncatedBytes,
    });
    packets.read += reader.packets + reader.skippedPackets;
    packets.decoded += result.decoded;
    packets.fragments += result.fragments;
    packets.cutBySnapLength += reader.cutBySnapLength;
    packets.skipped['unreadable-block'] += reader.skippedPackets;
    for (const reason of Object.keys(result.skipped) as SkipReason[]) packets.skipped[reason] += result.skipped[reason];
  }
  packets.untracked = table.untrackedPackets;
  const flows = table.list();
  const bytes = (flow: Flow): number => flow.bytesOut + flow.bytesIn;
  const list = [...flows].sort((a, b) => bytes(b) - bytes(a) || a.first - b.first).map(summariseFlow);
  return {
    files,
    packets,
    flows: { count: flows.length, maxFlows: table.maxFlows, list },
    synScans: findSynScans(flows),
    applications: {
      addresses: apps.list(),
      maxAddresses: apps.maxAddresses,
      untracked: apps.untrackedObservations,
      dnsMalformed: apps.dnsMalformed,
    },
  };
}
