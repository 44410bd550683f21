/**
 * A capture stream into flows: reads records, decodes them, counts what could
 * not be decoded by reason, and fills a bounded flow table (and, when given,
 * the application-layer table).
 */
import type { AppLayerTable } from './app-layer';
import { decodePacket, type SkipReason } from './decode';
import { type Flow, FlowTable } from './flows';
import { type ReaderStats, readPackets } from './pcap-reader';

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
  options: { maxFlows?: number; table?: FlowTable; apps?: AppLayerTable } = {},
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
  let reader: ReaderStats | undefined;
  const apps = options.apps;
  for await (const record of readPackets(input, (stats) => (reader = stats))) {
    const result = decodePacket(record.linkType, record.data);
    if (!result.ok) {
      skipped[result.reason]++;
      if (result.reason === 'later-fragment') fragments++;
      continue;
    }
    decoded++;
    if (result.packet.fragment) fragments++;
    table.add(result.packet, record.originalLength, record.seconds + record.nanos / 1e9);
    apps?.add(result.packet, record.data);
  }
  return {
    reader: reader!,
    decoded,
    fragments,
    skipped,
    untrackedPackets: table.untrackedPackets,
    flows: table.list(),
  };
}
