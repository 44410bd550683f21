/**
 * A capture stream into flows: reads records, decodes them, counts what could
 * not be decoded by reason, and fills a bounded flow table (and, when given,
 * the application-layer table).
 */
import type { AppLayerTable } from './app-layer';
import { decodeInto, PacketView, type SkipReason } from './decode';
import { type Flow, FlowTable } from './flows';
import { CaptureParser, type PacketRecord, type ReaderStats } from './pcap-reader';

export interface CaptureFlows {
  reader: ReaderStats;
  /** Packets decoded into a flow. */
  decoded: number;
  /** IP fragments seen (first fragments are also decoded). */
  fragments: number;
  /** Packets not decoded, by reason. */
  skipped: Record<SkipReason, number>;
  /** Packets of new flows past the table's limit. */
  untrackedPackets: number;
  flows: Flow[];
}

/**
 * Reads a whole capture into flows; throws CaptureFormatError on a capture that
 * cannot be framed. Pass one `table` to several calls to merge captures: the
 * counts are then this capture's, the flows and untracked packets all of them.
 * Pass `apps` to collect DNS, TLS and HTTP names per address as well.
 */
export async function captureFlows(
  input: AsyncIterable<Buffer | string>,
  // `parser`: the caller's, when it needs what was read before a failure (the format, the packets so far).
  options: { maxFlows?: number; table?: FlowTable; apps?: AppLayerTable; parser?: CaptureParser } = {},
): Promise<CaptureFlows> {
  const table = options.table ?? new FlowTable(options.maxFlows);
  const skipped: Record<SkipReason, number> = {
    'unsupported-link': 0,
    'not-ip': 0,
    truncated: 0,
    'later-fragment': 0,
  };
  let decoded = 0;
  let fragments = 0;
  const apps = options.apps;
  // One callback and one packet for the whole capture: per packet, only the frame's view is allocated.
  const packet = new PacketView();
  const visit = (record: PacketRecord): void => {
    const reason = decodeInto(packet, record.linkType, record.data);
    if (reason !== null) {
      skipped[reason]++;
      if (reason === 'later-fragment') fragments++;
      return;
    }
    decoded++;
    if (packet.fragment) fragments++;
    table.add(packet, record.originalLength, record.seconds + record.nanos / 1e9);
    apps?.add(packet, record.data);
  };
  const parser = options.parser ?? new CaptureParser();
  for await (const chunk of input)
    parser.parse(typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk, visit);
  const reader = parser.end();
  return {
    reader,
    decoded,
    fragments,
    skipped,
    untrackedPackets: table.untrackedPackets,
    flows: table.list(),
  };
}
