/**
 * The collector's view of the samples: an ordered (ephemeral, unacked)
 * consumer on `logsleuth.samples.*` starting at each host's latest sample, so
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
import { decodeSample } from './sample';
import { allHosts, hostToken } from './subjects';

function take(hosts: HostHealthTable, message: JsMsg): void {
  let sample;
  try {
    sample = decodeSample(message.data);
  } catch {
    hosts.malformedSamples++;
    return;
  }
  // The subject names the publisher's host: a sample may not speak for another one.
  if (message.subject.slice(message.subject.lastIndexOf('.') + 1) !== hostToken(sample.host)) hosts.malformedSamples++;
  else hosts.sample(sample, message.time.getTime());
}

/** Feeds every sample to `hosts` until `signal` aborts. */
export function consumeSamples(
  connection: NatsConnection,
  hosts: HostHealthTable,
  signal: AbortSignal,
  onRetry?: (error: Error, attempt: number) => void,
): Promise<void> {
  const samples = { subject: allHosts('samples'), deliver: DeliverPolicy.LastPerSubject, what: 'samples' };
  return followOrdered(connection, samples, (message) => take(hosts, message), signal, onRetry);
}
