/**
 * The pipeline from lines to events: per source, detect the format from the
 * first lines (keeping the best-scoring one as it goes), parse each line with
 * it, fall back per line to the other formats and finally to raw, join the
 * continuation lines of multi-line records, name the service and run the
 * recognisers. Never throws on any input: a parser that fails on a line is
 * counted and the line kept as a raw event.
 */
import { type LogEvent, createEvent } from '../core/event';
import { FORMATS, type LogFormat, ParseContext, formatByName } from './formats';
import { containerLineOf, jsonFormat } from './formats/json';
import { rawFormat } from './formats/raw';
import type { SourceLine } from './line';
import type { LineReader } from './sources';
import { type HostileMode, Recognisers } from './recognisers';
import { embeddedLevel } from './embedded-level';
import { identifyService } from './services';
import type { TimeOptions } from './time';

/** Options of {@link readEvents}. */
export interface ReadEventsOptions extends TimeOptions {
  /** Force one format by name (`raw`: no header parsing); default: detect per source. */
  format?: string;
  /** Which line shapes count as hostile (fail2ban's filter modes); default `aggressive`. */
  mode?: HostileMode;
  /** Reference date per source for year-less dates (e.g. the file's mtime); wins over `referenceDate`. */
  referenceDateOf?: (source: string) => number | undefined;
  /** Lines at the start of a source over which the detected format may still change; default 50. */
  detectionLines?: number;
  /** Most lines joined into one multi-line record; default 500. */
  maxRecordLines?: number;
  /** Most characters of one multi-line record; default 1 MiB. */
  maxRecordChars?: number;
  /** Extra rules tried after the built-in recognisers found nothing hostile (fail2ban's filters: `loadFail2ban`). */
  fail2ban?: { apply(event: LogEvent): boolean };
}

/** What happened to one source's lines. */
export interface SourceStats {
  source: string;
  /** The format chosen for the source (the one that parsed most of its first lines). */
  format: string;
  lines: number;
  events: number;
  /** Events read by a format other than raw. */
  parsed: number;
  /** Events left raw: no format read the line (or `--format raw`). */
  unparsed: number;
  /** Empty or whitespace-only lines (no event). */
  blank: number;
  /** Lines joined into the previous event (tracebacks, stack traces). */
  joined: number;
  /** Lines on which a parser or recogniser threw (kept as raw events). */
  failures: number;
  /** Events per format name. */
  byFormat: Record<string, number>;
}

function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return true;
}

/** 9999-12-31T23:59:59.999Z. */
const MAX_TIMESTAMP = 253_402_300_799_999;

interface SourceState {
  ctx: ParseContext;
  format: LogFormat | undefined;
  /** Lines each format read during detection. */
  votes: Map<LogFormat, number>;
  pending: LogEvent | undefined;
  pendingLines: number;
  stats: SourceStats;
}

async function* oneByOne(lines: AsyncIterable<SourceLine> | Iterable<SourceLine>): AsyncGenerator<SourceLine[]> {
  for await (const line of lines) yield [line];
}

/** Events from lines, with per-source statistics once iterated. */
export class EventReader implements AsyncIterable<LogEvent> {
  private readonly states = new Map<string, SourceState>();
  private readonly recognisers: Recognisers;
  private readonly forced: LogFormat | undefined;

  constructor(
    private readonly lines: AsyncIterable<SourceLine> | Iterable<SourceLine>,
    private readonly options: ReadEventsOptions = {},
  ) {
    if (options.format !== undefined) {
      this.forced = formatByName(options.format);
      if (!this.forced) throw new RangeError(`unknown format ${JSON.stringify(options.format)}`);
    }
    this.recognisers = new Recognisers({ mode: options.mode });
  }

  /** Statistics per source, in the order sources appeared. */
  stats(): SourceStats[] {
    return [...this.states.values()].map((s) => s.stats);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<LogEvent> {
    for await (const events of this.batches()) yield* events;
  }

  /**
   * The events in batches, one per batch of lines when the lines come in
   * batches (as {@link LineReader}'s do), else one per line: the same events in
   * the same order as async iteration, with one await per batch instead of per
   * event.
   */
  async *batches(): AsyncGenerator<LogEvent[]> {
    const source = this.lines as Partial<Pick<LineReader, 'batches'>>;
    const batches = typeof source.batches === 'function' ? source.batches() : oneByOne(this.lines);
    for await (const lines of batches) {
      const events: LogEvent[] = [];
      for (const line of lines) {
        const n = this.push(line);
        for (let i = 0; i < n; i++) events.push(this.out[i]!);
      }
      if (events.length > 0) yield events;
    }
    const last: LogEvent[] = [];
    for (const state of this.states.values()) {
      const event = this.flush(state);
      if (event) last.push(event);
    }
    if (last.length > 0) yield last;
  }

  /** Synchronous form over in-memory lines (tests, benchmarks); same events as async iteration. */
  *readSync(lines: Iterable<SourceLine>): Generator<LogEvent> {
    for (const line of lines) {
      const n = this.push(line);
      for (let i = 0; i < n; i++) yield this.out[i]!;
    }
    for (const state of this.states.values()) {
      const last = this.flush(state);
      if (last) yield last;
    }
  }

  /** Events completed by the last `push` (reused: the hot path allocates only events). */
  private readonly out: LogEvent[] = [];

  /** Takes one line; puts the events it completes in `out` and returns how many. */
  private push(line: SourceLine): number {
    const state = this.state(line.source);
    state.stats.lines++;
    if (isBlank(line.text)) {
      state.stats.blank++;
      return 0;
    }
    let event: LogEvent | undefined;
    try {
      event = this.parse(line, state);
    } catch {
      state.stats.failures++;
      event = createEvent({ source: line.source, line: line.line, raw: line.text, format: 'raw' });
    }
    if (event === undefined) return 0; // joined into the pending record
    // Set here, not by each format: the offset is the source's, whatever parsed the line.
    event.byteOffset = line.byteOffset;
    let n = 0;
    const done = this.flush(state);
    if (done) this.out[n++] = done;
    if (this.forced === undefined && formatByName(event.format)?.continues) {
      state.pending = event;
    } else {
      this.finish(event, state);
      this.out[n++] = event;
    }
    return n;
  }

  private parse(line: SourceLine, state: SourceState): LogEvent | undefined {
    const text = line.text;
    if (this.forced) return this.forced.parse(line, state.ctx) ?? rawFormat.parse(line, state.ctx);
    const current = state.format;
    if (current && current.accepts(text)) {
      const event = current.parse(line, state.ctx);
      if (event) {
        this.vote(state, current);
        return this.unwrap(event, state);
      }
    }
    for (const format of FORMATS) {
      if (format === current || format === rawFormat || !format.accepts(text)) continue;
      const event = format.parse(line, state.ctx);
      if (event) {
        this.vote(state, format);
        return this.unwrap(event, state);
      }
    }
    // Only a line no format's header reads continues a record: a misdetected file's own records start new events.
    const pending = state.pending;
    if (pending && formatByName(pending.format)?.continues?.(text) && this.join(state, text)) return undefined;
    return rawFormat.parse(line, state.ctx);
  }

  /**
   * A Docker json-file record carries a container's own line (an access line,
   * a traceback, syslog): read it with the other formats, keeping the record's
   * raw text, its time and its stream.
   */
  private unwrap(event: LogEvent, state: SourceState): LogEvent {
    const inner = containerLineOf(event);
    if (inner === undefined || inner.length === 0) return event;
    const line = { source: event.source, line: event.line, text: inner };
    for (const format of FORMATS) {
      if (format === jsonFormat || format === rawFormat || !format.accepts(inner)) continue;
      const parsed = format.parse(line, state.ctx);
      if (!parsed) continue;
      parsed.raw = event.raw;
      // Docker's time is exact and in UTC; the container's own stamp may be in any zone.
      parsed.timestamp = event.timestamp ?? parsed.timestamp;
      parsed.fields = { ...parsed.fields, ...event.fields };
      return parsed;
    }
    return event;
  }

  /** Appends a continuation line to the pending record; false when the record is full. */
  private join(state: SourceState, text: string): boolean {
    const pending = state.pending!;
    const maxLines = this.options.maxRecordLines ?? 500;
    const maxChars = this.options.maxRecordChars ?? 1 << 20;
    if (state.pendingLines >= maxLines || pending.raw.length + text.length + 1 > maxChars) return false;
    pending.raw += '\n' + text;
    state.pendingLines++;
    state.stats.joined++;
    return true;
  }

  /** Counts a format's success during detection and switches to the leader. */
  private vote(state: SourceState, format: LogFormat): void {
    const limit = this.options.detectionLines ?? 50;
    if (state.stats.lines > limit) {
      state.format ??= format;
      return;
    }
    const votes = (state.votes.get(format) ?? 0) + 1;
    state.votes.set(format, votes);
    if (!state.format || (format !== state.format && votes > (state.votes.get(state.format) ?? 0))) {
      state.format = format;
      state.stats.format = format.name;
    }
  }

  /** Completes the pending record of a source, if any. */
  private flush(state: SourceState): LogEvent | undefined {
    const pending = state.pending;
    if (!pending) return undefined;
    state.pending = undefined;
    this.finish(pending, state);
    return pending;
  }

  /** Service, recognisers and counting, once an event is complete. */
  private finish(event: LogEvent, state: SourceState): void {
    const t = event.timestamp;
    // Outside years 1970-9999 a stamp is garbage (and has no ISO-8601 form).
    if (t !== undefined && !(t >= 0 && t <= MAX_TIMESTAMP)) event.timestamp = undefined;
    if (state.pendingLines > 1 && event.raw.includes('\n'))
      event.fields = { ...event.fields, lines: state.pendingLines };
    state.pendingLines = 1;
    try {
      event.service = identifyService(event);
      this.recognisers.apply(event);
      this.options.fail2ban?.apply(event);
      if (event.level === undefined && event.format === 'syslog')
        event.level = embeddedLevel(event.service, event.message);
    } catch {
      state.stats.failures++;
    }
    const stats = state.stats;
    stats.events++;
    if (event.format === 'raw') stats.unparsed++;
    else stats.parsed++;
    stats.byFormat[event.format] = (stats.byFormat[event.format] ?? 0) + 1;
  }

  private state(source: string): SourceState {
    let state = this.states.get(source);
    if (!state) {
      const reference = this.options.referenceDateOf?.(source) ?? this.options.referenceDate ?? Date.now();
      state = {
        ctx: new ParseContext(this.options.timezone, reference),
        format: this.forced,
        votes: new Map(),
        pending: undefined,
        pendingLines: 1,
        stats: {
          source,
          format: this.forced?.name ?? 'raw',
          lines: 0,
          events: 0,
          parsed: 0,
          unparsed: 0,
          blank: 0,
          joined: 0,
          failures: 0,
          byFormat: {},
        },
      };
      this.states.set(source, state);
    }
    return state;
  }
}

/**
 * Turns lines into events (see the module comment). Iterate the result; its
 * `stats()` then tells, per source, the lines, parsed and unparsed counts and
 * the formats seen. Throws RangeError at once for an unknown `format` name.
 */
export function readEvents(
  lines: AsyncIterable<SourceLine> | Iterable<SourceLine>,
  options: ReadEventsOptions = {},
): EventReader {
  return new EventReader(lines, options);
}
