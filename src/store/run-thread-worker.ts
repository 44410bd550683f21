/**
 * The worker side of {@link RunThread}: owns the store for one run, appends
 * what the main thread posts, in order, and writes gold at the end. Every
 * failure is posted back as a message; nothing here throws past a handler.
 * Messages are handled one after the other, an asynchronous one (a commit,
 * a query) before the next starts: DuckDB's connection serves one at a time.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { InvestigationResult } from '../core/result';
import { StoreError } from './errors';
import type { FleetMessage, RunWriter, SampleRows } from './run-writer';
import { type Store, openStore } from './store';
import { type PostedEvents, forEachPosted } from './event-columns';
import type { RunThreadData, ToMain, ToWorker } from './run-thread';

const port = parentPort!;
const data = workerData as RunThreadData;
const inFlight = new Int32Array(data.inFlight);
let store: Store | undefined;
let writer: RunWriter | undefined;
/** The first failure: later rows are dropped (counted), and finishing reports it. */
let failed: string | undefined;
let dropped = 0;
/** Batches appended since the last commit. */
let unflushed = 0;
/**
 * Batches between commits (131,072 rows): DuckDB's commit of what was
 * appended is the costliest step, so it is spread over the run (beside the
 * analysis) instead of all at its end. At least one row group (122,880 rows)
 * per commit, which DuckDB writes to the file directly; smaller commits go
 * through its WAL and are written twice.
 */
const FLUSH_EVERY = 64;

function post(message: ToMain): void {
  port.postMessage(message);
}

function fail(error: unknown): void {
  failed ??= error instanceof Error ? error.message : String(error);
}

function append(events: PostedEvents): void {
  if (failed || !writer) {
    dropped += events.count;
    return;
  }
  try {
    forEachPosted(events, (event, raw, templateId, readAt, host) =>
      writer!.event(event, raw, templateId, readAt, host),
    );
    if (!data.explicitCommits && ++unflushed >= FLUSH_EVERY) {
      writer.flush();
      unflushed = 0;
    }
  } catch (error) {
    fail(error);
  }
}

function sample(rows: SampleRows, raw: boolean, host: string | undefined): void {
  if (failed || !writer) return;
  try {
    writer.sample(rows, raw, host);
  } catch (error) {
    fail(error);
  }
}

/** What was appended since the last commit, and `messages`; with explicit commits in one transaction, and the next one opens. */
async function commit(id: number, messages: readonly FleetMessage[]): Promise<void> {
  try {
    if (failed || !writer || !store) throw new Error(failed ?? 'the store is not open');
    for (const message of messages) writer.message(message);
    writer.flush();
    if (data.explicitCommits) {
      await store.connection.run('COMMIT');
      await store.connection.run('BEGIN TRANSACTION');
    }
    post({ kind: 'answer', id, rows: [] });
  } catch (error) {
    fail(error);
    post({ kind: 'refused', id, message: failed! });
  }
}

async function query(id: number, sql: string, params: Record<string, string | number>): Promise<void> {
  try {
    if (!store) throw new Error('the store is not open');
    post({ kind: 'answer', id, rows: await store.query(sql, params) });
  } catch (error) {
    post({ kind: 'refused', id, message: error instanceof Error ? error.message : String(error) });
  }
}

async function finish(result: InvestigationResult | undefined, finished: number): Promise<void> {
  try {
    if (!failed && writer) {
      if (data.explicitCommits) {
        writer.flush();
        await store!.connection.run('COMMIT');
      }
      await writer.finish(result, finished);
      post({ kind: 'finished', counts: writer.counts() });
    }
  } catch (error) {
    fail(error);
  } finally {
    store?.close();
    if (failed) post({ kind: 'error', message: failed, dropped });
    port.close();
  }
}

async function handle(message: ToWorker): Promise<void> {
  switch (message.kind) {
    case 'events':
      append(message.events);
      // One batch done: the main thread may post another.
      Atomics.sub(inFlight, 0, 1);
      Atomics.notify(inFlight, 0);
      return;
    case 'sample':
      sample(message.rows, message.raw, message.host);
      return;
    case 'commit':
      return commit(message.id, message.messages);
    case 'query':
      return query(message.id, message.sql, message.params);
    case 'finish':
      return finish(message.result, message.finished);
  }
}

let handled = Promise.resolve();
port.on('message', (message: ToWorker) => {
  handled = handled.then(() => handle(message)).catch(fail);
});

void (async () => {
  try {
    store = await openStore(data.path);
    writer = await store.startRun(data.info);
    if (data.explicitCommits) await store.connection.run('BEGIN TRANSACTION');
    post({ kind: 'ready', runId: writer.runId });
  } catch (error) {
    store?.close();
    post({
      kind: 'open-failed',
      message: error instanceof Error ? error.message : String(error),
      code: error instanceof StoreError ? error.code : undefined,
    });
    port.close();
  }
})();
