/**
 * The wire form of an event batch: gzip'd JSON `{ host, source, line, byteOffset?, cursor?, events }`.
 * Shared by the agent (encode) and the collector (decode), so both agree on it.
 */
import { gzipSync } from 'node:zlib';
import { type LogEvent, createEvent } from '../core/event';
import { inflateJson } from './gzip-json';

/** One batch of one source's events of one partition, as published on `logsleuth.events.<host>.<partition>`. */
export interface EventBatch {
  /** The agent's host id. */
  host: string;
  source: string;
  /** Line of the batch's first event within `source`. */
  line: number;
  /** Byte offset of the batch's first event within `source`; absent when the source has none (journald). */
  byteOffset?: number;
  /** The journald cursor of the batch's first event (journald batches only). */
  cursor?: string;
  events: LogEvent[];
}

/** Largest decompressed batch a collector accepts (bytes): a gzip bomb is refused, not inflated. */
export const MAX_BATCH_BYTES = 64 * 1024 * 1024;

/**
 * The deduplication id (Nats-Msg-Id) of a batch: host, source, and where in the
 * source it starts: `b<byte offset>`, `c<cursor>` for journald, or `l<line>` for
 * another source without offsets.
 */
export function batchId(batch: Pick<EventBatch, 'host' | 'source' | 'line' | 'byteOffset' | 'cursor'>): string {
  const at =
    batch.byteOffset !== undefined
      ? `b${batch.byteOffset}`
      : batch.cursor !== undefined
        ? `c${batch.cursor}`
        : `l${batch.line}`;
  return `${batch.host}:${batch.source}:${at}`;
}

/** Compressed JSON of a batch. */
export function encodeBatch(batch: EventBatch): Uint8Array {
  return gzipSync(JSON.stringify(batch));
}

function isBatch(value: unknown): value is EventBatch {
  if (typeof value !== 'object' || value === null) return false;
  const batch = value as Record<string, unknown>;
  return (
    typeof batch.host === 'string' &&
    typeof batch.source === 'string' &&
    typeof batch.line === 'number' &&
    (batch.byteOffset === undefined || typeof batch.byteOffset === 'number') &&
    (batch.cursor === undefined || typeof batch.cursor === 'string') &&
    Array.isArray(batch.events) &&
    batch.events.every(
      (event: unknown) =>
        typeof event === 'object' &&
        event !== null &&
        typeof (event as LogEvent).source === 'string' &&
        typeof (event as LogEvent).line === 'number' &&
        typeof (event as LogEvent).raw === 'string',
    )
  );
}

/**
 * A batch from its wire form. JSON drops `undefined` keys, so each event is
 * rebuilt with {@link createEvent} to get back the one shape all events share.
 * Throws a clear error on anything that is not a batch.
 */
export function decodeBatch(data: Uint8Array): EventBatch {
  const value = inflateJson(data, MAX_BATCH_BYTES, 'an event batch');
  if (!isBatch(value)) throw new Error('not an event batch: missing host, source, line or events');
  return { ...value, events: value.events.map((event) => createEvent(event)) };
}
