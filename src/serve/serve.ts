/**
 * `logsleuth serve` as a library call: follows the logs (the `watch`
 * machinery) into a LiveState, samples /proc every 3 s, and serves both.
 * With a store, one run of it gets every event as read and every sample as
 * taken, committed at each sample and finished (gold written) on stop.
 *
 * DuckDB's connection is used from one place at a time: appends and commits
 * are synchronous, and the only asynchronous statements (starting and
 * finishing the run) happen before the following starts and after it ended.
 */
import { type InvestigateOptions, watch } from '../investigate';
import type { SourceProblem } from '../logs/line';
import type { RunWriter } from '../store/run-writer';
import type { Store } from '../store/store';
import { EventStore } from './event-store';
import { LiveState, type LiveStateOptions } from './live-state';
import { SystemSampler } from './sampler';
import { type Server, type ServerOptions, startServer } from './server';
import { sampleRows } from './store-rows';

/** Findings the bus of `serve` keeps (`limits.maxBusFindings` overrides): days of following stay bounded. */
export const SERVE_MAX_BUS_FINDINGS = 100_000;

export interface ServeOptions extends InvestigateOptions {
  /** Read the files from their beginning, then follow (default true); false: only what is appended. */
  fromStart?: boolean;
  listen?: string;
  token?: string;
  rateLimitPerMinute?: number;
  /** Between /proc samples, in ms (default 3000). */
  sampleMs?: number;
  /** Between polls of the followed files, in ms (default 250). */
  pollMs?: number;
  /** Between tracer flushes (chains as they form), in ms (default 1000). */
  flushMs?: number;
  state?: LiveStateOptions;
  /** Append the run (events, raw lines, samples, and gold on stop) to this open store; the caller closes it. */
  store?: Store;
  /**
   * Told the first error of each kind in a sampler tick (a failing store write, an unreadable
   * /proc): serve goes on, and counts them all in /api/v1/health and /metrics.
   */
  onSamplerError?: (kind: string, error: unknown) => void;
  /**
   * Told the error that stopped the store's event writes: following goes on in memory, and
   * /api/v1/health says degraded, with the reason.
   */
  onStoreError?: (error: unknown) => void;
}

/** A running `serve`: stop() ends the following, the sampling and the server. */
export interface Serving {
  server: Server;
  state: LiveState;
  sampler: SystemSampler;
  /** Problems of the inputs so far (a missing file, a too-long line). */
  problems: SourceProblem[];
  /** The store run being written, with `store`. */
  run?: RunWriter;
  stop(): Promise<void>;
}

/** Starts following, sampling and serving; rejects when the server cannot start (then nothing keeps running). */
export async function serve(options: ServeOptions): Promise<Serving> {
  const state = new LiveState({ ...(options.procRoot ? { procRoot: options.procRoot } : {}), ...options.state });
  const sampler = new SystemSampler({
    ...(options.procRoot ? { procRoot: options.procRoot } : {}),
    ...(options.sampleMs !== undefined ? { intervalMs: options.sampleMs } : {}),
    ...(options.onSamplerError ? { onError: options.onSamplerError } : {}),
  });
  const problems: SourceProblem[] = [];
  let events: EventStore | undefined;
  // The run starts after the server (a taken port leaves no run behind): health reads the writes when asked.
  const serverOptions: ServerOptions = { source: state, system: sampler, eventStore: () => events };
  if (options.listen !== undefined) serverOptions.listen = options.listen;
  if (options.token !== undefined) serverOptions.token = options.token;
  if (options.rateLimitPerMinute !== undefined) serverOptions.rateLimitPerMinute = options.rateLimitPerMinute;
  if (options.procRoot !== undefined) serverOptions.procRoot = options.procRoot;
  const server = await startServer(serverOptions);
  let run: RunWriter | undefined;
  try {
    run = await options.store?.startRun({ command: 'serve', inputs: options.inputs ?? [] });
  } catch (error) {
    await server.close();
    throw error;
  }
  if (run) events = new EventStore(run, options.onStoreError);
  if (run) {
    const writer = run;
    sampler.onSample((sample) => {
      writer.sample(sampleRows(sample, sampler.processes()), false);
      writer.flush();
    }, 'store');
  }
  sampler.start();
  const controller = new AbortController();
  const {
    listen: _l,
    token: _t,
    sampleMs: _s,
    state: _st,
    rateLimitPerMinute: _r,
    store: _db,
    onSamplerError: _e,
    onStoreError: _se,
    ...investigate
  } = options;
  const following = watch({
    live: true,
    ...investigate,
    limits: { maxBusFindings: SERVE_MAX_BUS_FINDINGS, ...investigate.limits },
    fromStart: options.fromStart ?? true,
    flushMs: options.flushMs ?? 1000,
    signal: controller.signal,
    onInvestigation: (investigation, tracers) => state.attach(investigation, tracers),
    onEvent: (event, tracers) => {
      state.onEvent(event);
      events?.write(event, tracers.error.signatureFor(event));
      options.onEvent?.(event, tracers);
    },
    onFinding: (finding) => state.onFinding(finding),
    onProblem: (problem) => {
      if (problems.length < 1000) problems.push(problem);
      options.onProblem?.(problem);
    },
  });
  return {
    server,
    state,
    sampler,
    problems,
    ...(run ? { run } : {}),
    stop: async () => {
      controller.abort();
      sampler.stop();
      const result = await following.catch(() => undefined);
      try {
        await run?.finish(result);
      } finally {
        await server.close();
      }
    },
  };
}
