/**
 * The agent's sampling: every interval, the /proc sample `record` takes
 * (ProcSampler), published gzip'd to `logsleuth.samples.<host>.<p>` (p: the host's partition) with
 * Nats-Msg-Id = host:sample:<time>. A sample is a figure of now, not a record
 * to keep: while the server is away samples are dropped and counted, never
 * spooled, and a tick that finds the previous publish still waiting is skipped.
 */
import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { ProcSampler } from '../proc/sampler';
import { type SampleCaps, encodeSample, fleetSample, sampleId } from './sample';
import { ensureFleetStream, samplesSubject } from './subjects';

/** The default interval between an agent's samples (ms). */
export const DEFAULT_SAMPLE_MS = 5000;

/** Options of {@link publishSamples}. */
export interface SamplePublishOptions {
  /** An open connection; not closed. */
  connection: NatsConnection;
  /** The agent's host id. */
  host: string;
  /** Sampling stops when it aborts; `publishSamples` then resolves. */
  signal: AbortSignal;
  /** Between samples, in ms (default {@link DEFAULT_SAMPLE_MS}). */
  intervalMs?: number;
  procRoot?: string;
  caps?: SampleCaps;
  /** Told why each dropped sample was dropped. */
  onDropped?: (error: Error) => void;
}

/** What the sampling did. */
export interface SampleReport {
  /** Samples the server acknowledged. */
  published: number;
  /** Samples not published: the server away or slow, or larger than its max_payload. */
  dropped: number;
  /** Processes and sockets left out of the published samples by the caps. */
  cut: { processes: number; sockets: number };
}

/** Samples and publishes every interval until `signal` aborts; resolves with what it did. */
export async function publishSamples(options: SamplePublishOptions): Promise<SampleReport> {
  const { connection, host, signal } = options;
  const intervalMs = options.intervalMs ?? DEFAULT_SAMPLE_MS;
  const sampler = new ProcSampler(options.procRoot ? { procRoot: options.procRoot } : {});
  const js = jetstream(connection);
  const subject = samplesSubject(host);
  const report: SampleReport = { published: 0, dropped: 0, cut: { processes: 0, sockets: 0 } };
  let streamReady = false;
  let inFlight: Promise<void> | undefined;
  const drop = (error: Error) => {
    report.dropped++;
    options.onDropped?.(error);
  };
  const publish = async () => {
    const sample = fleetSample(host, sampler.sample(), intervalMs, options.caps);
    const data = encodeSample(sample);
    const limit = connection.info?.max_payload ?? Number.POSITIVE_INFINITY;
    if (data.length > limit) throw new Error(`sample of ${data.length} bytes is over max_payload ${limit}`);
    if (!streamReady) {
      await ensureFleetStream(connection);
      streamReady = true;
    }
    await js.publish(subject, data, { msgID: sampleId(sample) });
    report.published++;
    report.cut.processes += sample.cut.processes;
    report.cut.sockets += sample.cut.sockets;
  };
  const tick = () => {
    if (inFlight) {
      drop(new Error('the previous sample is still being published'));
      return;
    }
    inFlight = publish()
      .catch((error: unknown) => drop(error as Error))
      .finally(() => (inFlight = undefined));
  };
  if (signal.aborted) return report;
  tick();
  const timer = setInterval(tick, intervalMs);
  await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  clearInterval(timer);
  await inFlight;
  return report;
}
