/**
 * An agent's local findings: the standard tracers run on the agent over the
 * events it has shipped, so what only the host can see (the connections and
 * processes behind a threat address, from its own /proc) reaches the fleet.
 * Every new finding is published once on `logsleuth.findings.<host>`, one
 * message each, its id naming the host, kind and key (fleet-finding.ts). A
 * finding whose publish fails waits for the next round; at most
 * {@link MAX_PENDING_FINDINGS} wait, the oldest dropped and counted beyond.
 */
import type { PubAck } from '@nats-io/jetstream';
import type { LogEvent } from '../core/event';
import type { AnyFinding } from '../core/finding';
import type { Investigation } from '../core/investigation';
import { type InvestigateOptions, createInvestigation } from '../investigate';
import { encodeFleetFinding, fleetFindingId } from './fleet-finding';
import { fleetSubject } from './subjects';

/** Most findings kept waiting for the server. */
export const MAX_PENDING_FINDINGS = 10_000;

/** What the local findings did. */
export interface LocalFindingsReport {
  /** Findings the server stored (or already had: `duplicates`). */
  published: number;
  duplicates: number;
  /** Findings over the size limit, or dropped from a full wait list. */
  dropped: number;
  /** Findings still waiting for the server. */
  pending: number;
}

/** Publishes one message with a dedup id, resolving with its ack. */
export type PublishFinding = (subject: string, data: Uint8Array, msgID: string) => Promise<PubAck>;

/** The tracers over what an agent ships, and the findings they made that are not published yet. */
export class LocalFindings {
  private readonly investigation: Investigation;
  /** Findings the bus had published when last looked at. */
  private seen = 0;
  private pending: AnyFinding[] = [];
  private readonly counts = { published: 0, duplicates: 0, dropped: 0 };
  private sending: Promise<void> = Promise.resolve();

  constructor(
    private readonly host: string,
    investigate?: InvestigateOptions,
  ) {
    ({ investigation: this.investigation } = createInvestigation(investigate));
  }

  /** Feeds shipped events to the tracers. */
  ingest(events: readonly LogEvent[]): void {
    for (const event of events) this.investigation.ingest(event);
  }

  /** A copy of the counts. */
  report(): LocalFindingsReport {
    return { ...this.counts, pending: this.pending.length };
  }

  /**
   * Lets the tracers conclude what they can (`final`: the input has ended),
   * then publishes every finding not published yet, in order, stopping at the
   * first failure (the rest wait for the next call). One call at a time.
   */
  send(publish: PublishFinding, final = false): Promise<void> {
    this.sending = this.sending.then(() => this.sendNow(publish, final));
    return this.sending;
  }

  private async sendNow(publish: PublishFinding, final: boolean): Promise<void> {
    await (final ? this.investigation.finish() : this.investigation.flush());
    this.takeNew();
    const subject = fleetSubject('findings', this.host);
    while (this.pending.length > 0) {
      const finding = this.pending[0]!;
      const data = encodeFleetFinding(this.host, finding);
      if (data) {
        try {
          const ack = await publish(subject, data, fleetFindingId(this.host, finding));
          this.counts[ack.duplicate ? 'duplicates' : 'published']++;
        } catch {
          return;
        }
      } else this.counts.dropped++;
      this.pending.shift();
    }
  }

  /** Moves the findings published on the bus since the last look to the wait list. */
  private takeNew(): void {
    const published = this.investigation.bus.stats().published;
    const live = this.investigation.findings();
    // The newest are last; ones the bus already evicted are gone.
    this.pending.push(...live.slice(Math.max(0, live.length - (published - this.seen))));
    this.seen = published;
    const over = this.pending.length - MAX_PENDING_FINDINGS;
    if (over > 0) {
      this.pending = this.pending.slice(over);
      this.counts.dropped += over;
    }
  }
}
