/**
 * A batch of events as posted to the store's thread: one array per LogEvent
 * field instead of one object per event. Structured clone pays for every
 * property of every object (2,048 events of twenty-odd keys a batch); arrays
 * of strings and typed arrays (transferred, not copied) cost it much less,
 * and the cloning is on the main thread, beside the analysis.
 */
import type { LogEvent } from '../core/event';

/** The LogEvent fields posted as strings (undefined where the event has none). */
const TEXT = [
  'source',
  'format',
  'host',
  'program',
  'service',
  'level',
  'action',
  'outcome',
  'ip',
  'user',
  'domain',
  'message',
] as const;
/** The LogEvent fields posted as numbers (NaN where the event has none). */
const NUMBER = ['timestamp', 'line', 'byteOffset', 'pid', 'port'] as const;

type TextField = (typeof TEXT)[number];
type NumberField = (typeof NUMBER)[number];

/** What {@link EventColumns.take} posts: plain data, its typed arrays' buffers transferable. */
export interface PostedEvents {
  count: number;
  text: Record<TextField, (string | undefined)[]>;
  numbers: Record<NumberField | 'readAt', Float64Array<ArrayBuffer>>;
  hostile: Uint8Array<ArrayBuffer>;
  fields: (Record<string, unknown> | undefined)[];
  /** The raw record, undefined when it is not to be stored in bronze. */
  raw: (string | undefined)[];
  templateId: (string | undefined)[];
  /** The host the event came from, undefined for the run's. */
  from: (string | undefined)[];
}

function emptyText(): Record<TextField, (string | undefined)[]> {
  return Object.fromEntries(TEXT.map((field) => [field, []])) as unknown as Record<TextField, (string | undefined)[]>;
}

/** Events being gathered into one batch on the main thread. */
export class EventColumns {
  private batch: PostedEvents;

  constructor(private readonly capacity: number) {
    this.batch = this.empty();
  }

  get length(): number {
    return this.batch.count;
  }

  /** Adds one event, as `RunWriter.event` takes it. */
  push(event: LogEvent, raw: boolean, templateId: string | undefined, readAt: number, from: string | undefined): void {
    const batch = this.batch;
    const i = batch.count++;
    for (const field of TEXT) batch.text[field][i] = event[field];
    for (const field of NUMBER) {
      const value = event[field];
      // Only numbers are numbers: anything else is stored as null, as before.
      batch.numbers[field][i] = typeof value === 'number' ? value : NaN;
    }
    batch.numbers.readAt[i] = readAt;
    batch.hostile[i] = event.hostile ? 1 : 0;
    batch.fields[i] = event.fields;
    batch.raw[i] = raw ? event.raw : undefined;
    batch.templateId[i] = templateId;
    batch.from[i] = from;
  }

  /** The batch gathered so far and the buffers to transfer with it; the next batch starts empty. */
  take(): [PostedEvents, ArrayBuffer[]] {
    const batch = this.batch;
    this.batch = this.empty();
    return [batch, [...Object.values(batch.numbers).map((numbers) => numbers.buffer), batch.hostile.buffer]];
  }

  private empty(): PostedEvents {
    const numbers = Object.fromEntries(
      [...NUMBER, 'readAt'].map((field) => [field, new Float64Array(this.capacity)]),
    ) as Record<NumberField | 'readAt', Float64Array<ArrayBuffer>>;
    return {
      count: 0,
      text: emptyText(),
      numbers,
      hostile: new Uint8Array(this.capacity),
      fields: [],
      raw: [],
      templateId: [],
      from: [],
    };
  }
}

const numberOrUndefined = (value: number): number | undefined => (Number.isNaN(value) ? undefined : value);

/** Calls `each` with every event of a posted batch, in order, rebuilt as a LogEvent. */
export function forEachPosted(
  batch: PostedEvents,
  each: (
    event: LogEvent,
    raw: boolean,
    templateId: string | undefined,
    readAt: number,
    from: string | undefined,
  ) => void,
): void {
  const { text, numbers } = batch;
  for (let i = 0; i < batch.count; i++) {
    const raw = batch.raw[i];
    const event: LogEvent = {
      timestamp: numberOrUndefined(numbers.timestamp[i]!),
      source: text.source[i]!,
      line: numbers.line[i]!,
      byteOffset: numberOrUndefined(numbers.byteOffset[i]!),
      format: text.format[i]!,
      host: text.host[i],
      program: text.program[i],
      pid: numberOrUndefined(numbers.pid[i]!),
      service: text.service[i],
      level: text.level[i] as LogEvent['level'],
      action: text.action[i],
      outcome: text.outcome[i] as LogEvent['outcome'],
      ip: text.ip[i],
      port: numberOrUndefined(numbers.port[i]!),
      user: text.user[i],
      domain: text.domain[i],
      hostile: batch.hostile[i] === 1,
      message: text.message[i]!,
      raw: raw ?? '',
      fields: batch.fields[i],
    };
    each(event, raw !== undefined, batch.templateId[i], numbers.readAt[i]!, batch.from[i]);
  }
}
