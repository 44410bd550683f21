/**
 * One run of the store written on its own thread: the events of an analysis
 * go to a worker that owns the DuckDB store, so the appends and DuckDB's
 * flush run on the second core while the main thread parses and traces
 * (`analyze --store` costs the main thread the structured clone of a batch's
 * columns, {@link EventColumns}, instead of twenty-odd appender calls an event). The worker appends in the order
 * rows were posted; at most {@link MAX_BATCHES_IN_FLIGHT} batches wait, then
 * the main thread waits for it (bounded memory on any input).
 *
 * By default the worker commits on its own schedule. With `explicitCommits`
 * (a collector, which acks a message only once its rows are durable) it holds
 * every row in one open transaction until {@link RunThread.commit}.
 */
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { LogEvent } from '../core/event';
import type { InvestigationResult } from '../core/result';
import { StoreError, type StoreErrorCode } from './errors';
import { EventColumns, type PostedEvents } from './event-columns';
import type { FleetMessage, RunCounts, SampleRows } from './run-writer';
import type { Row, RunInfo } from './store';

/** Events per message to the worker. */
const BATCH = 2048;
/** Batches posted and not yet appended before the main thread waits (about 130k events). */
export const MAX_BATCHES_IN_FLIGHT = 64;

/** What the worker is started with. */
export interface RunThreadData {
  path: string;
  info: RunInfo;
  /** One Int32: batches posted and not yet appended. */
  inFlight: SharedArrayBuffer;
  /** Commit only when asked ({@link RunThread.commit}), everything since the last commit in one transaction. */
  explicitCommits: boolean;
}

/** How a {@link RunThread} commits. */
export interface RunThreadOptions {
  /** Commit only on {@link RunThread.commit} (default: the worker commits every 131,072 rows). */
  explicitCommits?: boolean;
}

/** Main thread to worker. */
export type ToWorker =
  | { kind: 'events'; events: PostedEvents }
  | { kind: 'sample'; rows: SampleRows; raw: boolean; host: string | undefined }
  | { kind: 'commit'; id: number; messages: FleetMessage[] }
  | { kind: 'query'; id: number; sql: string; params: Record<string, string | number> }
  | { kind: 'finish'; result: InvestigationResult | undefined; finished: number };

/** Worker to main thread. */
export type ToMain =
  | { kind: 'ready'; runId: string }
  | { kind: 'open-failed'; message: string; code: StoreErrorCode | undefined }
  | { kind: 'finished'; counts: RunCounts }
  | { kind: 'answer'; id: number; rows: Row[] }
  | { kind: 'refused'; id: number; message: string }
  | { kind: 'error'; message: string; dropped: number };

/**
 * Starts the worker: the build's `.js`; from source (tests run the `.ts`
 * files), the source through tsx's require hook, which a worker does not
 * inherit from its parent.
 */
function startWorker(data: RunThreadData): Worker {
  const ext = extname(__filename);
  const file = join(__dirname, `run-thread-worker${ext}`);
  if (ext !== '.ts') return new Worker(file, { workerData: data });
  return new Worker(`require('tsx/cjs'); require(${JSON.stringify(file)});`, { eval: true, workerData: data });
}

/** A run written by a worker thread; get one from {@link openRunThread}. */
export class RunThread {
  private readonly batch = new EventColumns(BATCH);
  private readonly inFlight: Int32Array;
  private outcome: Promise<RunCounts>;
  /** Commits and queries waiting for the worker's answer, by id. */
  private readonly requests = new Map<number, { resolve: (rows: Row[]) => void; reject: (error: Error) => void }>();
  private lastRequest = 0;

  private constructor(
    private readonly worker: Worker,
    inFlight: SharedArrayBuffer,
    readonly runId: string,
  ) {
    this.inFlight = new Int32Array(inFlight);
    this.outcome = new Promise<RunCounts>((resolve, reject) => {
      let counts: RunCounts | undefined;
      let failure: Error | undefined;
      worker.on('message', (message: ToMain) => {
        if (message.kind === 'answer' || message.kind === 'refused') this.answer(message);
        else if (message.kind === 'finished') counts = message.counts;
        else if (message.kind === 'error')
          failure = new StoreError(
            'write-failed',
            `${message.message}${message.dropped ? ` (${message.dropped} event(s) not stored)` : ''}`,
          );
      });
      worker.on('error', (error) => (failure ??= error));
      worker.on('exit', () => {
        for (const request of this.requests.values())
          request.reject(new StoreError('write-failed', 'the store thread stopped before it answered'));
        this.requests.clear();
        if (counts && !failure) resolve(counts);
        else reject(failure ?? new StoreError('write-failed', 'the store thread stopped before the run was finished'));
      });
    });
    // Reported by finish(); a run abandoned after a failure must not be an unhandled rejection.
    this.outcome.catch(() => undefined);
  }

  /** @internal use {@link openRunThread}. */
  static start(path: string, info: RunInfo, options: RunThreadOptions = {}): Promise<RunThread> {
    const inFlight = new SharedArrayBuffer(4);
    const worker = startWorker({ path, info, inFlight, explicitCommits: options.explicitCommits ?? false });
    return new Promise((resolve, reject) => {
      const early = (error: Error): void => reject(error);
      worker.once('error', early);
      worker.once('message', (message: ToMain) => {
        worker.off('error', early);
        if (message.kind === 'ready') resolve(new RunThread(worker, inFlight, message.runId));
        else if (message.kind === 'open-failed')
          reject(message.code ? new StoreError(message.code, message.message) : new Error(message.message));
        else reject(new Error(`the store thread answered ${message.kind} before it was ready`));
      });
    });
  }

  /** One event into silver (and its raw record into bronze unless `raw` is false), as {@link RunWriter.event}. */
  event(event: LogEvent, raw = true, templateId?: string, readAt = Date.now(), host?: string): void {
    this.batch.push(event, raw, templateId, readAt, host);
    if (this.batch.length >= BATCH) this.post();
  }

  /**
   * Commits every row posted so far, with `messages` in `fleet_messages`, in
   * one transaction (`explicitCommits`); resolves once it is committed,
   * rejects when it is not (nothing of it is then stored).
   */
  async commit(messages: FleetMessage[] = []): Promise<void> {
    this.post();
    await this.request((id) => ({ kind: 'commit', id, messages }));
  }

  /** Runs one SQL statement on the run's connection (inside its open transaction, with `explicitCommits`) and returns its rows. */
  query(sql: string, params: Record<string, string | number> = {}): Promise<Row[]> {
    return this.request((id) => ({ kind: 'query', id, sql, params }));
  }

  private request(message: (id: number) => ToWorker): Promise<Row[]> {
    const id = ++this.lastRequest;
    return new Promise<Row[]>((resolve, reject) => {
      this.requests.set(id, { resolve, reject });
      this.worker.postMessage(message(id));
    });
  }

  private answer(message: ToMain & { kind: 'answer' | 'refused' }): void {
    const request = this.requests.get(message.id);
    this.requests.delete(message.id);
    if (message.kind === 'answer') request?.resolve(message.rows);
    else request?.reject(new StoreError('write-failed', message.message));
  }

  /** One /proc sample, as {@link RunWriter.sample}; `host` undefined: the run's. */
  sample(rows: SampleRows, raw = true, host?: string): void {
    this.post();
    this.worker.postMessage({ kind: 'sample', rows, raw, host } satisfies ToWorker);
  }

  /** Writes gold from `result`, marks the run finished and closes the store; rejects with the first write failure. */
  finish(result?: InvestigationResult, finished = Date.now()): Promise<RunCounts> {
    this.post();
    this.worker.postMessage({ kind: 'finish', result, finished } satisfies ToWorker);
    return this.outcome;
  }

  /** Stops the worker without finishing the run (what was flushed stays; the run is left unfinished). */
  async abort(): Promise<void> {
    await this.worker.terminate();
  }

  private post(): void {
    if (this.batch.length === 0) return;
    // Wait while the worker is that far behind: the posted events are memory the main thread cannot free.
    for (let n = Atomics.load(this.inFlight, 0); n >= MAX_BATCHES_IN_FLIGHT; n = Atomics.load(this.inFlight, 0))
      Atomics.wait(this.inFlight, 0, n, 1000);
    Atomics.add(this.inFlight, 0, 1);
    const [events, transfer] = this.batch.take();
    this.worker.postMessage({ kind: 'events', events } satisfies ToWorker, transfer);
  }
}

/** Opens the store at `path` on a worker thread and starts a run; rejects as `openStore` would (a StoreError). */
export function openRunThread(path: string, info: RunInfo, options?: RunThreadOptions): Promise<RunThread> {
  return RunThread.start(path, info, options);
}
