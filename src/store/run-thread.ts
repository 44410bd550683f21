/**
 * One run of the store written on its own thread: the events of an analysis
 * go to a worker that owns the DuckDB store, so the appends and DuckDB's
 * flush run on the second core while the main thread parses and traces
 * (`analyze --store` costs the main thread one structured clone per event
 * instead of twenty-odd appender calls). The worker appends in the order
 * rows were posted; at most {@link MAX_BATCHES_IN_FLIGHT} batches wait, then
 * the main thread waits for it (bounded memory on any input).
 */
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { LogEvent } from '../core/event';
import type { InvestigationResult } from '../core/result';
import { StoreError, type StoreErrorCode } from './errors';
import type { RunCounts, SampleRows } from './run-writer';
import type { RunInfo } from './store';

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
}

/** Main thread to worker. */
export type ToWorker =
  | { kind: 'events'; items: [LogEvent, boolean, string | undefined, number][] }
  | { kind: 'sample'; rows: SampleRows; raw: boolean }
  | { kind: 'finish'; result: InvestigationResult | undefined; finished: number };

/** Worker to main thread. */
export type ToMain =
  | { kind: 'ready'; runId: string }
  | { kind: 'open-failed'; message: string; code: StoreErrorCode | undefined }
  | { kind: 'finished'; counts: RunCounts }
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
  private batch: ToWorker & { kind: 'events' } = { kind: 'events', items: [] };
  private readonly inFlight: Int32Array;
  private outcome: Promise<RunCounts>;

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
        if (message.kind === 'finished') counts = message.counts;
        else if (message.kind === 'error')
          failure = new StoreError(
            'write-failed',
            `${message.message}${message.dropped ? ` (${message.dropped} event(s) not stored)` : ''}`,
          );
      });
      worker.on('error', (error) => (failure ??= error));
      worker.on('exit', () => {
        if (counts && !failure) resolve(counts);
        else reject(failure ?? new StoreError('write-failed', 'the store thread stopped before the run was finished'));
      });
    });
    // Reported by finish(); a run abandoned after a failure must not be an unhandled rejection.
    this.outcome.catch(() => undefined);
  }

  /** @internal use {@link openRunThread}. */
  static start(path: string, info: RunInfo): Promise<RunThread> {
    const inFlight = new SharedArrayBuffer(4);
    const worker = startWorker({ path, info, inFlight });
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
  event(event: LogEvent, raw = true, templateId?: string, readAt = Date.now()): void {
    this.batch.items.push([event, raw, templateId, readAt]);
    if (this.batch.items.length >= BATCH) this.post();
  }

  /** One /proc sample, as {@link RunWriter.sample}. */
  sample(rows: SampleRows, raw = true): void {
    this.post();
    this.worker.postMessage({ kind: 'sample', rows, raw } satisfies ToWorker);
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
    if (this.batch.items.length === 0) return;
    // Wait while the worker is that far behind: the posted events are memory the main thread cannot free.
    for (let n = Atomics.load(this.inFlight, 0); n >= MAX_BATCHES_IN_FLIGHT; n = Atomics.load(this.inFlight, 0))
      Atomics.wait(this.inFlight, 0, n, 1000);
    Atomics.add(this.inFlight, 0, 1);
    this.worker.postMessage(this.batch);
    this.batch = { kind: 'events', items: [] };
  }
}

/** Opens the store at `path` on a worker thread and starts a run; rejects as `openStore` would (a StoreError). */
export function openRunThread(path: string, info: RunInfo): Promise<RunThread> {
  return RunThread.start(path, info);
}
