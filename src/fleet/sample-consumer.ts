/**
 * The collector's view of the samples: an ordered (ephemeral, unacked)
 * consumer on `logsleuth.samples.*` starting at each host's latest sample, so
 * every collector sees every host, whoever shares its durable. A message that
 * is not a sample, or names another host than its subject, is counted and skipped.
 */
import { DeliverPolicy, jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { HostHealthTable } from './host-health';
import { decodeSample } from './sample';
import { FLEET_STREAM, allHosts, hostToken } from './subjects';

/** Feeds every sample to `hosts` until `signal` aborts. */
export async function consumeSamples(
  connection: NatsConnection,
  hosts: HostHealthTable,
  signal: AbortSignal,
): Promise<void> {
  if (signal.aborted) return;
  const consumer = await jetstream(connection).consumers.get(FLEET_STREAM, {
    filter_subjects: allHosts('samples'),
    deliver_policy: DeliverPolicy.LastPerSubject,
  });
  const messages = await consumer.consume();
  const stop = () => void messages.close();
  signal.addEventListener('abort', stop, { once: true });
  try {
    for await (const message of messages) {
      let sample;
      try {
        sample = decodeSample(message.data);
      } catch {
        hosts.malformedSamples++;
        continue;
      }
      // The subject names the publisher's host: a sample may not speak for another one.
      if (message.subject.slice(message.subject.lastIndexOf('.') + 1) !== hostToken(sample.host))
        hosts.malformedSamples++;
      else hosts.sample(sample);
    }
  } finally {
    signal.removeEventListener('abort', stop);
  }
}
