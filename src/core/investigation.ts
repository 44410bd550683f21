/**
 * An Investigation wires tracers to one bus, feeds them events and collects
 * what they found as plain data.
 */
import { ContextBus } from './bus';
import type { LogEvent } from './event';
import type { AnyFinding } from './finding';
import { type TracerOptions, resolveOptions } from './options';
import { type InputReport, type InvestigationResult, assembleResult } from './result';
import { type Tracer, createContext } from './tracer';

export interface InvestigationOptions extends Partial<TracerOptions> {
  tracers: Tracer[];
}

/** Plain-data summary of the bus and the input, part of every result. */
export interface InvestigationStats {
  events: number;
  findings: number;
  duplicates: number;
  tooDeep: number;
  handlerErrors: number;
}

export class Investigation {
  readonly bus: ContextBus;
  readonly options: TracerOptions;
  readonly tracers: readonly Tracer[];
  private readonly ingesting: Tracer[];
  private events = 0;

  constructor({ tracers, ...partial }: InvestigationOptions) {
    this.options = resolveOptions(partial);
    const { maxCorrelationDepth, maxBusFindings } = this.options.limits;
    this.bus = new ContextBus({
      clock: this.options.clock,
      maxDepth: maxCorrelationDepth,
      ...(maxBusFindings !== undefined ? { maxFindings: maxBusFindings } : {}),
    });
    const names = new Set<string>();
    for (const tracer of tracers) {
      if (names.has(tracer.meta.name)) throw new Error(`two tracers are named '${tracer.meta.name}'`);
      names.add(tracer.meta.name);
      tracer.attach(createContext(tracer, this.bus, this.options));
    }
    this.tracers = tracers;
    this.ingesting = tracers.filter((tracer) => tracer.ingest);
  }

  /** The tracer named `name`, typed by the caller. */
  tracer<T extends Tracer>(name: string): T | undefined {
    return this.tracers.find((tracer) => tracer.meta.name === name) as T | undefined;
  }

  /** Feeds one event to every tracer that reads events. */
  ingest(event: LogEvent): void {
    this.events++;
    for (const tracer of this.ingesting) tracer.ingest!(event);
  }

  /** Feeds a whole stream, then finishes. */
  async run(events: AsyncIterable<LogEvent> | Iterable<LogEvent>): Promise<void> {
    for await (const event of events) this.ingest(event);
    await this.finish();
  }

  /** Input continues (followed logs): each tracer publishes what it can conclude so far. */
  async flush(): Promise<void> {
    for (const tracer of this.tracers) {
      await tracer.flush?.();
      await this.bus.settled();
    }
  }

  /** Ends the input: each tracer concludes, then every correlation settles. */
  async finish(): Promise<void> {
    for (const tracer of this.tracers) {
      await tracer.finish?.();
      await this.bus.settled();
    }
    await this.bus.settled();
  }

  findings(): AnyFinding[] {
    return this.bus.findings();
  }

  /**
   * Everything found, as plain data valid against `schemas/report.schema.json`:
   * a case per suspect, sweeps, recurring errors, chains and statistics.
   */
  result(inputs: InputReport[] = []): InvestigationResult {
    const stats: Record<string, unknown> = { investigation: this.stats() };
    for (const tracer of this.tracers) {
      if (tracer.summary) stats[tracer.meta.name] = tracer.summary();
    }
    return assembleResult(this.findings(), this.options.clock.now(), stats, inputs);
  }

  stats(): InvestigationStats {
    const bus = this.bus.stats();
    return {
      events: this.events,
      findings: bus.published,
      duplicates: bus.duplicates,
      tooDeep: bus.tooDeep,
      handlerErrors: bus.handlerErrors,
    };
  }
}
