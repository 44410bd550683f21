/**
 * What the server serves, behind one small interface: the live investigation
 * fills it (LiveState), and a store-backed or fleet-wide implementation can
 * fill it the same way (`startServer({ source })`). Every method returns plain
 * data valid against its schema in `schemas/api-*.schema.json`.
 */
import type { Case, FleetEvidence } from '../core/case';
import type { ConnectionData, EventChainData, IpSweepData, ScoreReason } from '../core/kinds';
import type { ReputationDb } from '../tracers/ip/reputation';

/** A page of a longer list. */
export interface Page<T> {
  total: number;
  offset: number;
  limit: number;
  items: T[];
}

export interface PageQuery {
  limit: number;
  offset: number;
}

/** A suspect in the ranked list: the verdict without the evidence. */
export interface CaseSummary {
  ip: string;
  score: number;
  blacklisted: boolean;
  type: string;
  reasons: ScoreReason[];
  services: string[];
  counts: Record<string, number>;
  firstSeen: string | null;
  lastSeen: string | null;
  /** A collector's evidence per host, when the address was seen on several (docs/fleet.md). */
  fleet?: FleetEvidence;
}

/** A case with what is connected now: its sockets and the processes holding them. */
export interface CaseDetail extends Case {
  live: {
    at: string;
    connections: ConnectionData[];
    processes: { pid: number; name: string; cmdline: string; user: string | null }[];
  };
}

/** A distinct problem with its advice. */
export interface ErrorView {
  signature: string;
  template: string;
  category: string;
  subkind: string;
  severity: number;
  level: string | null;
  count: number;
  first: string | null;
  last: string | null;
  hint: string;
  actions: string[];
  services: string[];
  ips: string[];
}

/** One log event as the API shows it. */
export interface EventView {
  seq: number;
  timestamp: string | null;
  source: string;
  line: number;
  host: string | null;
  program: string | null;
  service: string | null;
  level: string | null;
  action: string | null;
  outcome: string;
  ip: string | null;
  port: number | null;
  user: string | null;
  message: string;
}

export interface EventQuery extends PageQuery {
  ip?: string;
  service?: string;
  action?: string;
  /** Epoch ms, inclusive. */
  since?: number;
  until?: number;
}

/** What the live feed carries: each new finding, and each event read. */
export type StreamItem =
  | { type: 'finding'; seq: number; at: string; kind: string; key: string; tracer: string; text: string }
  | ({ type: 'event' } & EventView);

/** Counters behind `/metrics` and `/api/v1/health`. */
export interface SourceCounters {
  lines: number;
  events: number;
  findings: number;
  /** Findings the bounded bus forgot (the oldest first); cases keep their verdicts. */
  findingsEvicted: number;
  /** `service\u0000action` -> events (bounded; the overflow is under `other`). */
  eventsByServiceAction: ReadonlyMap<string, number>;
  findingsByKind: ReadonlyMap<string, number>;
  errorsByCategory: ReadonlyMap<string, number>;
  /** Every tracked suspect's score (for the bands). */
  scores: number[];
  blacklisted: number;
  inputs: { source: string; events: number }[];
}

export interface ServeSource {
  counters(): SourceCounters;
  cases(query: PageQuery & { minScore?: number }): Page<CaseSummary>;
  /** What the cases are built from: the same object until they change, so a serialised page may be reused while it is. */
  casesRevision(): object;
  caseDetail(ip: string): CaseDetail | undefined;
  sweeps(): IpSweepData[];
  chains(query: PageQuery & { ip?: string; kind?: string }): Page<EventChainData>;
  errors(query: PageQuery & { category?: string }): Page<ErrorView>;
  events(query: EventQuery): Page<EventView>;
  connections(filter: { ip?: string; state?: string; port?: number }): ConnectionData[];
  reputation(): ReputationDb;
  /** Calls `listener` with every new item until the returned function is called. */
  subscribe(listener: (item: StreamItem) => void): () => void;
}

/** A page of `list`. */
export function page<T>(list: readonly T[], query: PageQuery): Page<T> {
  return {
    total: list.length,
    offset: query.offset,
    limit: query.limit,
    items: list.slice(query.offset, query.offset + query.limit),
  };
}
