/**
 * The collector's view of the agents' local findings: an ordered (ephemeral,
 * unacked) consumer on `logsleuth.findings.*` from the stream's start, so
 * every collector sees every host's findings, whoever shares its durable.
 * Each finding is kept once by its id (a finding published again after the
 * server's dedup window, or read twice after the consumer is made again,
 * counts once), at most {@link DEFAULT_MAX_FINDINGS}, the oldest forgotten
 * first; counted per host and kind. A message that is not a finding, or
 * whose host is not its subject's, is counted and skipped.
 */
import { DeliverPolicy, type JsMsg, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { type FleetFinding, decodeFleetFinding } from './fleet-finding';
import { followOrdered, orderedConsumer } from './ordered-consumer';
import { FLEET_STREAM, allHosts, hostToken, subjectHost } from './subjects';

/** Most findings a collector keeps. */
export const DEFAULT_MAX_FINDINGS = 100_000;

/** One host's findings: how many, and how many of each kind. */
export interface HostFindingCount {
  host: string;
  findings: number;
  byKind: Record<string, number>;
}

/** The agents' findings a collector has read, each once. */
export class HostFindingsTable {
  private readonly byId = new Map<string, FleetFinding>();
  /** Messages that were not a finding, or spoke for another host. */
  malformed = 0;
  /** Findings forgotten to stay within the bound. */
  forgotten = 0;

  constructor(private readonly max = DEFAULT_MAX_FINDINGS) {}

  /** Keeps one message's finding (the latest under its id); counts it as malformed if it is none. */
  take(message: Pick<JsMsg, 'data' | 'subject'>): void {
    let finding;
    try {
      finding = decodeFleetFinding(message.data);
    } catch {
      this.malformed++;
      return;
    }
    // The subject names the publisher's host: a finding may not speak for another one.
    if (subjectHost(message.subject) !== hostToken(finding.host)) {
      this.malformed++;
      return;
    }
    this.byId.delete(finding.id);
    this.byId.set(finding.id, finding);
    if (this.byId.size > this.max) {
      this.byId.delete(this.byId.keys().next().value!);
      this.forgotten++;
    }
  }

  /** The findings kept, of one host or all, oldest first. */
  findings(host?: string): FleetFinding[] {
    const all = [...this.byId.values()];
    return host === undefined ? all : all.filter((finding) => finding.host === host);
  }

  /** The count per host, by host id. */
  counts(): HostFindingCount[] {
    const hosts = new Map<string, HostFindingCount>();
    for (const { host, finding } of this.byId.values()) {
      let count = hosts.get(host);
      if (!count) hosts.set(host, (count = { host, findings: 0, byKind: {} }));
      count.findings++;
      count.byKind[finding.kind] = (count.byKind[finding.kind] ?? 0) + 1;
    }
    return [...hosts.values()].sort((a, b) => (a.host < b.host ? -1 : a.host > b.host ? 1 : 0));
  }
}

/** Every host's findings, from the stream's start. */
const FINDINGS = { subject: allHosts('findings'), deliver: DeliverPolicy.All, what: 'findings' };

/** Reads every finding the stream holds now into `table`. */
export async function drainFindings(connection: NatsConnection, table: HostFindingsTable): Promise<void> {
  const jsm = await jetstreamManager(connection);
  const { state } = await jsm.streams.info(FLEET_STREAM, { subjects_filter: FINDINGS.subject });
  if (Object.keys(state.subjects ?? {}).length === 0) return;
  const messages = await (await orderedConsumer(connection, FINDINGS)).consume();
  for await (const message of messages) {
    table.take(message);
    if (message.info.pending === 0) break;
  }
  await messages.close();
}

/** Feeds every finding to `table` as it comes, until `signal` aborts; made again after a backoff when it fails. */
export function consumeFindings(
  connection: NatsConnection,
  table: HostFindingsTable,
  signal: AbortSignal,
  onRetry?: (error: Error, attempt: number) => void,
): Promise<void> {
  return followOrdered(connection, FINDINGS, (message) => table.take(message), signal, onRetry);
}
