/**
 * `logsleuth record`: follows logs like `watch` and samples /proc every
 * interval into one run of a store; gold is rebuilt, retention applied and
 * the store checkpointed on a schedule and at the end.
 *
 * DuckDB's connection is used from one place at a time: events wait in a
 * buffer and are appended at each tick, while no asynchronous statement runs.
 */
import type { LogEvent } from '../core/event';
import type { AnyFinding } from '../core/finding';
import { watch } from '../investigate';
import type { SourceProblem } from '../logs/line';
import { ProcSampler } from '../proc/sampler';
import type { Retention } from './retention';
import type { RunCounts } from './run-writer';
import type { Store } from './store';

export interface RecordOptions {
  store: Store;
  inputs?: string[];
  journal?: { unit?: string };
  /** Between /proc samples, in ms. */
  intervalMs: number;
  /**
   * Between commits, in ms (default 10 s, and never less often than the
   * samples): a crash loses at most this much. Each commit costs DuckDB a
   * flush, which at one a second was a quarter of record's CPU.
   */
  commitEveryMs?: number;
  /** Between gold rebuilds, retention and checkpoints, in ms (default 60 s). */
  goldEveryMs?: number;
  retention?: Retention;
  /** Keep raw lines and /proc files in bronze (default true). */
  raw?: boolean;
  fromStart?: boolean;
  procRoot?: string;
  signal: AbortSignal;
  /** After every tick, and with `checkpoint` true after each checkpoint. */
  onStatus?: (counts: RunCounts, checkpoint: boolean) => void;
  onProblem?: (problem: SourceProblem) => void;
}

/** Records until `signal` aborts; resolves with the run id once everything is committed. */
export async function record(options: RecordOptions): Promise<string> {
  const { store } = options;
  const raw = options.raw ?? true;
  const writer = await store.startRun({ command: 'record', inputs: options.inputs ?? [] });
  const sampler = new ProcSampler(options.procRoot ? { procRoot: options.procRoot } : {});
  const findings: AnyFinding[] = [];
  // Each event with its template id, taken when the error tracer has just counted it.
  let pending: [LogEvent, string | undefined][] = [];
  let busy = false;
  let lastGold = Date.now();
  const goldEvery = options.goldEveryMs ?? 60_000;
  let lastCommit = Date.now();
  const commitEvery = Math.max(options.commitEveryMs ?? 10_000, options.intervalMs);

  const appendPending = () => {
    for (const [event, templateId] of pending) writer.event(event, raw, templateId);
    pending = [];
  };
  const maintain = async () => {
    await writer.rebuildGold(findings);
    if (options.retention) await store.applyRetention(options.retention);
    await store.checkpoint();
    options.onStatus?.(writer.counts(), true);
  };
  const tick = async () => {
    if (busy) return;
    busy = true;
    try {
      appendPending();
      writer.sample(sampler.sample(), raw);
      if (Date.now() - lastCommit >= commitEvery) {
        lastCommit = Date.now();
        writer.flush();
      }
      options.onStatus?.(writer.counts(), false);
      if (Date.now() - lastGold >= goldEvery) {
        lastGold = Date.now();
        await maintain();
      }
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void tick(), options.intervalMs);
  let result;
  try {
    const follows = (options.inputs?.length ?? 0) > 0 || options.journal;
    if (follows) {
      result = await watch({
        inputs: options.inputs ?? [],
        ...(options.journal ? { journal: options.journal } : {}),
        signal: options.signal,
        ...(options.fromStart ? { fromStart: true } : {}),
        ...(options.onProblem ? { onProblem: options.onProblem } : {}),
        onFinding: (finding) => findings.push(finding),
        onEvent: (event, tracers) => pending.push([event, tracers.error.signatureFor(event)]),
      });
    } else {
      await new Promise<void>((resolve) => {
        if (options.signal.aborted) resolve();
        else options.signal.addEventListener('abort', () => resolve(), { once: true });
      });
    }
  } finally {
    clearInterval(timer);
    while (busy) await new Promise((resolve) => setTimeout(resolve, 10));
  }
  appendPending();
  await writer.finish(result);
  if (options.retention) await store.applyRetention(options.retention);
  await store.checkpoint();
  options.onStatus?.(writer.counts(), true);
  return writer.runId;
}
