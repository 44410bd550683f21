/**
 * What the capture saw, as log events for the tracers: the fields every such
 * event shares, and their order (by first packet, lines numbered from 1).
 */
import { createEvent, type LogEvent } from '../core/event';

/** One event of a capture named `source`: `message` is its text, `at` its flow's first packet (ISO). */
export function wireEvent(
  source: string,
  message: string,
  at: string,
  rest: Omit<Parameters<typeof createEvent>[0], 'source' | 'line' | 'raw'>,
): LogEvent {
  return createEvent({
    source,
    line: 0,
    raw: message,
    message,
    format: 'pcap',
    program: 'pcap',
    service: 'network',
    timestamp: Date.parse(at),
    ...rest,
  });
}

/** Sorts `events` by time and numbers their lines. */
export function inTimeOrder(events: LogEvent[]): LogEvent[] {
  events.sort((a, b) => a.timestamp! - b.timestamp!);
  events.forEach((event, index) => (event.line = index + 1));
  return events;
}
