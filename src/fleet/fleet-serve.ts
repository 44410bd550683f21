/**
 * `collect --serve`: a collector in follow mode behind the `serve` server (the
 * same fastify app, REST API, dashboard and /metrics). A LiveState follows the
 * collector's investigation (its events and findings, so `/api/v1/cases` are
 * the collector's current cases, each seen on several hosts with its evidence
 * per host and fleet score), and the collector's host list feeds
 * `/api/v1/hosts`, the dashboard's host list and the fleet's gauges.
 */
import type { AnyFinding } from '../core/finding';
import type { LiveStateOptions } from '../serve/live-state';
import { LiveState } from '../serve/live-state';
import { type Server, type ServerOptions, startServer } from '../serve/server';
import { Collector, type CollectorOptions, type CollectorStats } from './collector';

/** Options of {@link serveFleet}. */
export interface FleetServeOptions extends Omit<CollectorOptions, 'onEvent'> {
  /** `HOST:PORT` (default `127.0.0.1:8377`; port 0 picks a free one). */
  listen?: string;
  /** Bearer token; required off loopback. */
  token?: string;
  rateLimitPerMinute?: number;
  state?: LiveStateOptions;
}

/** A serving collector: `stop()` ends the collecting and then the server. */
export interface FleetServing {
  collector: Collector;
  server: Server;
  state: LiveState;
  /** Resolves with the collector's counts once stopped. */
  stop(): Promise<CollectorStats>;
}

/** Starts the server, then the collector in follow mode; rejects when the server cannot start (nothing runs then). */
export async function serveFleet(options: FleetServeOptions): Promise<FleetServing> {
  const { listen, token, rateLimitPerMinute, state: stateOptions, ...collectorOptions } = options;
  const state = new LiveState(stateOptions);
  const collector = new Collector({ ...collectorOptions, onEvent: (event) => state.onEvent(event) });
  const { investigation, tracers } = collector;
  state.attach(investigation, tracers, (ip, score) => collector.fleetCases.evidence(ip, score));
  const kinds = new Set(investigation.tracers.flatMap((tracer) => tracer.meta.produces));
  for (const kind of [...kinds, 'bus.error' as const])
    investigation.bus.on(kind, (finding) => state.onFinding(finding as AnyFinding), 'serve');
  const serverOptions: ServerOptions = { source: state, hosts: () => collector.hosts.hosts() };
  if (listen !== undefined) serverOptions.listen = listen;
  if (token !== undefined) serverOptions.token = token;
  if (rateLimitPerMinute !== undefined) serverOptions.rateLimitPerMinute = rateLimitPerMinute;
  const server = await startServer(serverOptions);
  const controller = new AbortController();
  const running = collector.run(controller.signal);
  // A failure of the collecting is the caller's on stop(); until then the server stays up.
  running.catch(() => undefined);
  return {
    collector,
    server,
    state,
    stop: async () => {
      controller.abort();
      try {
        return await running;
      } finally {
        await server.close();
      }
    },
  };
}
