/**
 * The collector's view of the samples: an ordered (ephemeral, unacked)
 * consumer on `logsleuth.samples.>` starting at each host's latest sample, so
 * every collector sees every host, whoever shares its durable. A message that
 * is not a sample, or names another host than its subject, is counted and
 * skipped. When the consumer fails (the server away) it is made again after a
 * backoff, from the latest samples again: they are kept by the time the server
 * stored them, so a sample read twice changes nothing.
 */
import { DeliverPolicy, type JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { HostHealthTable } from './host-health';
import { followOrdered } from './ordered-consumer';
import { type FleetSample, decodeSample } from './sample';
import { ALL_SAMPLES, hostToken, subjectHost } from './subjects';

/**
 * The sample a message on a samples subject holds; undefined when it is not
 * one, or names another host than its subject (an agent may not speak for another).
 */
export function sampleOf(message: Pick<JsMsg, 'subject' | 'data'>): FleetSample | undefined {
  let sample;
  try {
    sample = decodeSample(message.data);
  } catch {
    return undefined;
  }
  return subjectHost(message.subject) === hostToken(sample.host) ? sample : undefined;
}

function take(hosts: HostHealthTable, message: JsMsg): void {
  const sample = sampleOf(message);
  if (sample) hosts.sample(sample, message.time.getTime());
  else hosts.malformedSamples++;
}

/** Feeds every sample to `hosts` until `signal` aborts. */
export function consumeSamples(
  connection: NatsConnection,
  hosts: HostHealthTable,
  signal: AbortSignal,
  onRetry?: (error: Error, attempt: number) => void,
): Promise<void> {
  const samples = { subject: ALL_SAMPLES, deliver: DeliverPolicy.LastPerSubject, what: 'samples' };
  return followOrdered(connection, samples, (message) => take(hosts, message), signal, onRetry);
}
