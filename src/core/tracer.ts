/**
 * The Tracer: a unit of analysis that declares itself, in the spirit of an
 * ESLint rule (`{ meta, create(context) }`). `meta` names the finding kinds it
 * consumes and produces; `attach` wires its handlers through a context that
 * enforces that declaration.
 */
import { ContextBus, type Handler } from './bus';
import type { LogEvent } from './event';
import type { Finding, FindingKind, FindingKinds } from './finding';
import { type TracerOptions, resolveOptions } from './options';

/** What a tracer is: the bus checks `consumes`/`produces`, docs are generated from it. */
export interface TracerMeta {
  name: string;
  description: string;
  consumes: readonly FindingKind[];
  produces: readonly FindingKind[];
}

/** What a tracer gets when attached: the bus (through checked helpers) and the options. */
export interface TracerContext {
  readonly bus: ContextBus;
  readonly options: TracerOptions;
  /** Publishes a finding of a kind the tracer declared in `meta.produces`. */
  report<K extends FindingKind>(
    kind: K,
    key: string,
    data: FindingKinds[K],
    causedBy?: Finding<FindingKind>,
  ): Finding<K> | undefined;
  /** Subscribes to a kind the tracer declared in `meta.consumes`. */
  on<K extends FindingKind>(kind: K, handler: Handler<K>): void;
}

export interface Tracer {
  readonly meta: TracerMeta;
  /** Wires handlers on the bus. Called once, before any event. */
  attach(ctx: TracerContext): void;
  /** Takes one log event (tracers that read logs). */
  ingest?(event: LogEvent): void;
  /**
   * Input continues (a followed log): publish what can be concluded so far.
   * Findings published here may be revised later (`bus.revise`).
   */
  flush?(): void | Promise<void>;
  /** End of input: publish what can only be concluded from all events. */
  finish?(): void | Promise<void>;
  /** The tracer's own statistics, as plain data, for the investigation's report. */
  summary?(): Record<string, unknown>;
}

/** Raised when a tracer uses a kind its `meta` does not declare: a programming error. */
export class UndeclaredKindError extends Error {
  constructor(tracer: string, use: 'produces' | 'consumes', kind: string) {
    super(
      `tracer '${tracer}' ${use === 'produces' ? 'reports' : 'listens to'} '${kind}' without declaring it in meta.${use}`,
    );
    this.name = 'UndeclaredKindError';
  }
}

/** Builds the context through which `tracer` talks to `bus`. */
export function createContext(tracer: Pick<Tracer, 'meta'>, bus: ContextBus, options: TracerOptions): TracerContext {
  const { name, consumes, produces } = tracer.meta;
  return {
    bus,
    options,
    report(kind, key, data, causedBy) {
      if (!produces.includes(kind)) throw new UndeclaredKindError(name, 'produces', kind);
      return bus.publish({ kind, key, tracer: name, data, causedBy });
    },
    on(kind, handler) {
      if (!consumes.includes(kind)) throw new UndeclaredKindError(name, 'consumes', kind);
      bus.on(kind, handler, `${name}:${kind}`);
    },
  };
}

/**
 * A context on a private bus, for a tracer used on its own (without an
 * Investigation): its findings are still published and can be read back.
 */
export function standaloneContext(tracer: Pick<Tracer, 'meta'>, options: Partial<TracerOptions> = {}): TracerContext {
  const resolved = resolveOptions(options);
  const bus = new ContextBus({ clock: resolved.clock, maxDepth: resolved.limits.maxCorrelationDepth });
  return createContext(tracer, bus, resolved);
}

/** Identity function that types a tracer object literal. */
export function defineTracer<T extends Tracer>(tracer: T): T {
  return tracer;
}
