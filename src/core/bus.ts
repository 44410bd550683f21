/**
 * The context bus: tracers publish findings and react to each other's.
 *
 * Guarantees that keep correlation safe: a finding is delivered once per
 * (kind, key); every finding records what caused it; chains deeper than the
 * limit are cut; a handler that throws or rejects is isolated and reported as a
 * `bus.error` finding. `settled()` resolves once no handler is running.
 *
 * A bus may be bounded (`maxFindings`, for a process that follows logs for
 * days): the oldest findings are then forgotten and counted. A forgotten
 * (kind, key) can be published again; `revise` of it returns false, which tells
 * the publisher to publish its current state anew.
 */
import { type AnyFinding, type Finding, type FindingKind, type FindingKinds, findingId } from './finding';
import { type Clock, systemClock } from './options';

/** A reaction to findings of one kind; may be async. */
export type Handler<K extends FindingKind> = (finding: Finding<K>) => void | Promise<void>;

/** What a publisher supplies; the bus adds `at` and `depth`. */
export interface Publication<K extends FindingKind> {
  kind: K;
  key: string;
  tracer: string;
  data: FindingKinds[K];
  /** The finding that led to this one (its handler is publishing). */
  causedBy?: Finding<FindingKind>;
}

export interface BusOptions {
  clock?: Clock;
  /** Longest causal chain; a finding deeper than this is dropped and counted. Default 6. */
  maxDepth?: number;
  /** Most findings kept; beyond it the oldest are evicted and counted. Default: no limit. */
  maxFindings?: number;
}

/** Counters that show what the bus did, for reports and tests. */
export interface BusStats {
  published: number;
  duplicates: number;
  tooDeep: number;
  handlerErrors: number;
  /** Findings forgotten to stay within `maxFindings`. */
  evicted: number;
}

interface Subscription {
  name: string;
  handler: Handler<FindingKind>;
}

export class ContextBus {
  private readonly clock: Clock;
  private readonly maxDepth: number;
  private readonly maxFindings: number;
  private readonly byId = new Map<string, AnyFinding>();
  /** Publication order; the live findings start at `head` (evicted ones before it until compaction). */
  private readonly ordered: AnyFinding[] = [];
  private head = 0;
  private readonly subscriptions = new Map<string, Subscription[]>();
  private readonly running = new Set<Promise<void>>();
  private readonly counters: BusStats = { published: 0, duplicates: 0, tooDeep: 0, handlerErrors: 0, evicted: 0 };

  constructor(options: BusOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.maxDepth = options.maxDepth ?? 6;
    this.maxFindings = options.maxFindings ?? Infinity;
    if (!(this.maxFindings >= 1)) throw new RangeError(`maxFindings must be at least 1, got ${this.maxFindings}`);
  }

  /**
   * Subscribes to one kind. `name` identifies the handler in `bus.error` findings.
   * Returns a function that unsubscribes.
   */
  on<K extends FindingKind>(kind: K, handler: Handler<K>, name = `handler:${kind}`): () => void {
    const list = this.subscriptions.get(kind) ?? [];
    const subscription: Subscription = { name, handler: handler as unknown as Handler<FindingKind> };
    list.push(subscription);
    this.subscriptions.set(kind, list);
    return () => {
      const index = list.indexOf(subscription);
      if (index >= 0) list.splice(index, 1);
    };
  }

  /**
   * Publishes a finding and schedules its handlers. Returns the new finding, or
   * undefined when it was a duplicate of an earlier (kind, key) or too deep.
   */
  publish<K extends FindingKind>(publication: Publication<K>): Finding<K> | undefined {
    const id = findingId(publication);
    if (this.byId.has(id)) {
      this.counters.duplicates++;
      return undefined;
    }
    const depth = publication.causedBy ? publication.causedBy.depth + 1 : 0;
    if (depth > this.maxDepth) {
      this.counters.tooDeep++;
      return undefined;
    }
    const finding: Finding<K> = {
      kind: publication.kind,
      key: publication.key,
      tracer: publication.tracer,
      at: this.clock.now(),
      data: publication.data,
      depth,
    };
    if (publication.causedBy) finding.causedBy = { kind: publication.causedBy.kind, key: publication.causedBy.key };
    this.byId.set(id, finding as unknown as AnyFinding);
    this.ordered.push(finding as unknown as AnyFinding);
    this.counters.published++;
    if (this.byId.size > this.maxFindings) this.evictOldest();
    for (const subscription of this.subscriptions.get(finding.kind) ?? []) {
      this.dispatch(subscription, finding as unknown as Finding<FindingKind>);
    }
    return finding;
  }

  /**
   * Replaces the data of a published finding as evidence accumulates (a threat
   * score that keeps rising). Handlers are not run again: they reacted to the
   * subject, which has not changed. Returns false when no such finding exists.
   */
  revise<K extends FindingKind>(kind: K, key: string, data: FindingKinds[K]): boolean {
    const finding = this.byId.get(findingId({ kind, key })) as Finding<K> | undefined;
    if (!finding) return false;
    finding.data = data;
    return true;
  }

  /** The finding published under (kind, key), if any. */
  get<K extends FindingKind>(kind: K, key: string): Finding<K> | undefined {
    return this.byId.get(findingId({ kind, key })) as Finding<K> | undefined;
  }

  /** All findings in publication order, optionally of one kind. */
  findings(): AnyFinding[];
  findings<K extends FindingKind>(kind: K): Finding<K>[];
  findings(kind?: FindingKind): AnyFinding[] {
    const live = this.ordered.slice(this.head);
    return kind === undefined ? live : live.filter((finding) => finding.kind === kind);
  }

  /** The findings directly caused by `finding`. */
  effectsOf(finding: Finding<FindingKind>): AnyFinding[] {
    return this.findings().filter((f) => f.causedBy?.kind === finding.kind && f.causedBy.key === finding.key);
  }

  stats(): BusStats {
    return { ...this.counters };
  }

  /** Resolves when every handler, including those scheduled by handlers, has finished. */
  async settled(): Promise<void> {
    while (this.running.size > 0) {
      await Promise.allSettled([...this.running]);
    }
  }

  private evictOldest(): void {
    this.byId.delete(findingId(this.ordered[this.head++] as AnyFinding));
    this.counters.evicted++;
    // Amortised O(1): the evicted prefix is cut once it is half the array (so at most as long as the live part).
    if (this.head >= 1024 && this.head * 2 >= this.ordered.length) {
      this.ordered.splice(0, this.head);
      this.head = 0;
    }
  }

  private dispatch(subscription: Subscription, finding: Finding<FindingKind>): void {
    // A microtask, not a direct call: a publish inside a handler never re-enters
    // the publisher's stack, so chains cannot grow the call stack.
    const run = Promise.resolve()
      .then(() => subscription.handler(finding))
      .catch((error: unknown) => this.isolate(subscription, finding, error))
      .finally(() => this.running.delete(run));
    this.running.add(run);
  }

  private isolate(subscription: Subscription, finding: Finding<FindingKind>, error: unknown): void {
    this.counters.handlerErrors++;
    // A failing bus.error handler is counted only: reporting it again could loop.
    if (finding.kind === 'bus.error') return;
    this.publish({
      kind: 'bus.error',
      key: `${subscription.name}\u0000${finding.kind}\u0000${finding.key}`,
      tracer: 'bus',
      data: {
        handler: subscription.name,
        kind: finding.kind,
        key: finding.key,
        error: error instanceof Error ? error.message : String(error),
      },
      causedBy: finding,
    });
  }
}
