/**
 * The HTTP server of `logsleuth serve`: the REST API under /api/v1, the
 * dashboard at /, Prometheus metrics at /metrics. Fastify validates requests
 * and serialises responses with the schemas in `schemas/api-*.schema.json`.
 *
 * Security: loopback by default; any other address needs a bearer token
 * (compared in constant time) or the server refuses to start. No CORS, a
 * strict Content-Security-Policy (no inline script), small bodies, a rate
 * limit, and no request parameter ever names a file or a query language.
 */
import { PageCache } from './page-cache';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ServerResponse } from 'node:http';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { SCHEMA_DIR } from '../core/schemas';
import type { EventStoreView } from './event-store';
import { readHostInfo } from './host-info';
import { bearerToken, isDigits, isLoopback, parseListen, tokenMatches } from './listen';
import { createMetrics } from './metrics';
import type { HostsView, SystemView } from './server-types';
import type { ServeSource, StreamItem } from './source';
import { dashboardFiles } from './static-files';

export interface ServerOptions {
  /** Where the data comes from: a LiveState, or any other ServeSource (a store, a fleet). */
  source: ServeSource;
  /** System samples (the host's /proc); without it /api/v1/system has no sample. */
  system?: SystemView;
  /** `HOST:PORT` (default `127.0.0.1:8377`; port 0 picks a free one). */
  listen?: string;
  /** Bearer token every API and metrics request must present; required off loopback. */
  token?: string;
  /** Requests per minute and client address (default 1200). */
  rateLimitPerMinute?: number;
  procRoot?: string;
  /** The store's event writes, with `--store`: a failed one degrades health. */
  eventStore?: () => EventStoreView | undefined;
  /** A collector's host list: `/api/v1/hosts`, the dashboard's host list and the fleet's gauges. */
  hosts?: HostsView;
}

/** A running server. */
export interface Server {
  /** `http://HOST:PORT` it listens on. */
  readonly url: string;
  readonly port: number;
  readonly fastify: FastifyInstance;
  close(): Promise<void>;
}

const SCHEMA_BASE = 'https://logsleuth.dev/schemas/';
const ref = (name: string) => ({ $ref: `${SCHEMA_BASE}api-${name}.schema.json` });

const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': CSP,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

const pageQuery = (extra: Record<string, object> = {}, maxLimit = 1000) => ({
  type: 'object',
  additionalProperties: false,
  properties: {
    limit: { type: 'integer', minimum: 1, maximum: maxLimit, default: 100 },
    offset: { type: 'integer', minimum: 0, maximum: 1_000_000, default: 0 },
    ...extra,
  },
});
const IP = { type: 'string', minLength: 2, maxLength: 45, pattern: '^[0-9A-Fa-f:.]+$' };
const NAME = { type: 'string', minLength: 1, maxLength: 100 };
const TIME = { type: 'string', minLength: 1, maxLength: 40 };

/** A time bound of `/events`: epoch ms or an ISO 8601 date. */
function parseTime(text: string | undefined): number | undefined | null {
  if (text === undefined) return undefined;
  const t = isDigits(text) ? Number(text) : Date.parse(text);
  return Number.isFinite(t) ? t : null;
}

/** Starts the server; rejects when the address is not loopback and no token is given, or the port is taken. */
export async function startServer(options: ServerOptions): Promise<Server> {
  const { host, port } = parseListen(options.listen ?? '127.0.0.1:8377');
  const loopback = isLoopback(host);
  const token = options.token?.trim();
  if (options.token !== undefined && !token) throw new Error('the token is empty');
  if (!loopback && !token) throw new Error(`refusing to listen on ${host} (not loopback) without --token FILE`);
  const { source, system } = options;
  const procRoot = options.procRoot ?? '/proc';
  const files = dashboardFiles();
  const streams = new Set<ServerResponse>();

  const app = Fastify({ bodyLimit: 16 * 1024, logger: false, forceCloseConnections: true });
  for (const file of readdirSync(SCHEMA_DIR).filter((name) => name.endsWith('.schema.json')))
    app.addSchema(JSON.parse(readFileSync(join(SCHEMA_DIR, file), 'utf8')) as object);
  await app.register(rateLimit, { max: options.rateLimitPerMinute ?? 1200, timeWindow: 60_000 });

  // DNS rebinding: on loopback, only requests naming this host by a loopback name are answered.
  app.addHook('onRequest', async (request: FastifyRequest, reply) => {
    if (loopback) {
      const given = request.headers.host ?? '';
      const colon = given.lastIndexOf(':');
      const name = colon > given.lastIndexOf(']') && isDigits(given.slice(colon + 1)) ? given.slice(0, colon) : given;
      if (!['127.0.0.1', 'localhost', '[::1]', host].includes(name))
        return reply.code(421).send({ error: 'misdirected request' });
    }
    const needsToken = request.url.startsWith('/api/') || request.url.startsWith('/metrics');
    if (token && needsToken && !tokenMatches(bearerToken(request.headers.authorization), token)) {
      return reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'unauthorized' });
    }
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) reply.header(name, value);
    return payload;
  });
  app.addHook('preClose', async () => {
    for (const stream of streams) stream.end();
  });

  const startedAt = new Date();
  const route = (path: string, schema: object, handler: (request: FastifyRequest) => unknown) =>
    app.get(`/api/v1${path}`, { schema }, async (request) => handler(request));

  route('/health', { response: { 200: ref('health') } }, () => {
    const c = source.counters();
    const errors = system?.errors;
    const store = options.eventStore?.();
    const reasons: string[] = [];
    // While the latest sampler tick failed; the counts say what failed before.
    if (errors?.failing) reasons.push(`the latest sampler tick failed (${errors.list()[0]?.kind ?? 'unknown'})`);
    if (store?.failure)
      reasons.push(
        `store: event writes stopped at ${store.failure.at} (${store.failure.message}); following goes on in memory`,
      );
    return {
      status: reasons.length ? 'degraded' : 'ok',
      reasons,
      startedAt: startedAt.toISOString(),
      uptimeSeconds: Math.round((Date.now() - startedAt.getTime()) / 1000),
      lines: c.lines,
      events: c.events,
      findings: c.findings,
      findingsEvicted: c.findingsEvicted,
      lastSample: system?.latest()?.at ?? null,
      inputs: c.inputs,
      samplerErrors: { total: errors?.total ?? 0, kinds: errors?.list() ?? [] },
      store: store
        ? { eventsWritten: store.written, eventsNotWritten: store.notWritten, failure: store.failure ?? null }
        : null,
    };
  });
  route('/host', { response: { 200: ref('host') } }, () => readHostInfo(procRoot));
  route('/system', { response: { 200: ref('system') } }, () => ({
    intervalSeconds: 3,
    current: system?.latest() ?? null,
    history: system?.history() ?? [],
  }));
  // The ranked list changes with new findings, not per request: a page serialised once (by the route's own
  // schema serialiser) is sent again until it does. Serialising 1,000 cases was ~40% of the route's time.
  const casePages = new PageCache();
  app.get(
    '/api/v1/cases',
    {
      schema: {
        querystring: pageQuery({ min_score: { type: 'number', minimum: 0, maximum: 100 } }),
        response: { 200: ref('cases') },
      },
    },
    async (request, reply) => {
      const q = request.query as { limit: number; offset: number; min_score?: number };
      const text = casePages.get(source.casesRevision(), `${q.limit}/${q.offset}/${q.min_score ?? ''}`, () =>
        reply.serialize(
          source.cases({
            limit: q.limit,
            offset: q.offset,
            ...(q.min_score !== undefined ? { minScore: q.min_score } : {}),
          }),
        ),
      );
      return reply.type('application/json; charset=utf-8').send(text);
    },
  );
  app.get(
    '/api/v1/cases/:ip',
    {
      schema: {
        params: { type: 'object', properties: { ip: IP }, required: ['ip'] },
        response: { 200: ref('case'), 404: ref('error') },
      },
    },
    async (request, reply) => {
      const found = source.caseDetail((request.params as { ip: string }).ip);
      return found ?? reply.code(404).send({ error: 'no such case' });
    },
  );
  route('/hosts', { response: { 200: ref('hosts') } }, () => ({
    fleet: options.hosts !== undefined,
    at: new Date().toISOString(),
    items: options.hosts?.() ?? [],
  }));
  route('/sweeps', { response: { 200: ref('sweeps') } }, () => ({ items: source.sweeps() }));
  route('/chains', { querystring: pageQuery({ ip: IP, kind: NAME }), response: { 200: ref('chains') } }, (request) =>
    source.chains(request.query as { limit: number; offset: number; ip?: string; kind?: string }),
  );
  route('/errors', { querystring: pageQuery({ category: NAME }), response: { 200: ref('errors') } }, (request) =>
    source.errors(request.query as { limit: number; offset: number; category?: string }),
  );
  app.get(
    '/api/v1/events',
    {
      schema: {
        querystring: pageQuery({ ip: IP, service: NAME, action: NAME, since: TIME, until: TIME }),
        response: { 200: ref('events'), 400: ref('error') },
      },
    },
    async (request, reply) => {
      const q = request.query as {
        limit: number;
        offset: number;
        ip?: string;
        service?: string;
        action?: string;
        since?: string;
        until?: string;
      };
      const since = parseTime(q.since);
      const until = parseTime(q.until);
      if (since === null || until === null)
        return reply.code(400).send({ error: 'since/until: epoch ms or an ISO 8601 date' });
      const { since: _s, until: _u, ...rest } = q;
      return source.events({
        ...rest,
        ...(since !== undefined ? { since } : {}),
        ...(until !== undefined ? { until } : {}),
      });
    },
  );
  route(
    '/connections',
    {
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: {
          ip: IP,
          state: { type: 'string', pattern: '^[A-Z_0-9]{1,20}$' },
          port: { type: 'integer', minimum: 0, maximum: 65535 },
        },
      },
      response: { 200: ref('connections') },
    },
    (request) => ({
      at: new Date().toISOString(),
      items: source.connections(request.query as { ip?: string; state?: string; port?: number }),
    }),
  );
  route(
    '/processes',
    {
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: {
          sort: { enum: ['cpu', 'rss'], default: 'cpu' },
          limit: { type: 'integer', minimum: 1, maximum: 1000, default: 50 },
        },
      },
      response: { 200: ref('processes') },
    },
    (request) => {
      const q = request.query as { sort: 'cpu' | 'rss'; limit: number };
      const all = system?.processes() ?? [];
      const sorted = q.sort === 'rss' ? [...all].sort((a, b) => b.rss - a.rss || a.pid - b.pid) : all;
      return { at: system?.latest()?.at ?? null, total: all.length, items: sorted.slice(0, q.limit) };
    },
  );
  route('/reputation', { response: { 200: { $ref: `${SCHEMA_BASE}reputation.schema.json` } } }, () =>
    source.reputation(),
  );

  app.get('/api/v1/stream', (request, reply) => {
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': 'text/event-stream; charset=utf-8',
      connection: 'keep-alive',
    });
    raw.write('retry: 3000\n\n');
    streams.add(raw);
    let dropped = 0;
    const send = (item: StreamItem) => {
      // A reader that does not keep up loses items rather than growing our memory.
      if (raw.writableLength > 1 << 20) {
        dropped++;
        return;
      }
      raw.write(`event: ${item.type}\nid: ${item.seq}\ndata: ${JSON.stringify(item)}\n\n`);
    };
    const unsubscribe = source.subscribe(send);
    const heartbeat = setInterval(() => raw.write(`: ${dropped} dropped\n\n`), 15_000);
    heartbeat.unref();
    request.raw.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
      streams.delete(raw);
    });
  });

  const registry = createMetrics(source, system, options.eventStore, options.hosts);
  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', registry.contentType);
    return registry.metrics();
  });

  for (const [path, file] of files) {
    app.get(path, async (_request, reply) => reply.header('content-type', file.type).send(file.body));
  }

  await app.listen({ host, port });
  const address = app.server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shown}:${actualPort}`,
    port: actualPort,
    fastify: app,
    close: async () => {
      registry.clear();
      await app.close();
    },
  };
}
