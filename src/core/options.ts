/**
 * What an investigation injects into its tracers: the clock, the DNS resolver,
 * the /proc root, limits and a logger. Injected so tests are deterministic.
 */
import { promises as dns } from 'node:dns';

/** A source of the current time in ms since the epoch. */
export interface Clock {
  now(): number;
}

/** Reverse DNS. The default uses the system resolver; tests inject a table. */
export interface Resolver {
  /** Host names for an address; an empty array when there is none. May reject. */
  reverse(ip: string): Promise<string[]>;
}

/** Where diagnostics go. The library is silent by default. */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/**
 * Bounds on memory and correlation. Tracers read the limits they own; the
 * index signature lets a tracer add its own without touching the core.
 * `maxBusFindings`, when set, bounds the bus (the oldest findings are evicted
 * and counted; unset: no limit).
 */
export interface Limits {
  /** Longest causal chain on the bus; deeper findings are dropped and counted. */
  maxCorrelationDepth: number;
  [limit: string]: number;
}

/** Everything a tracer may be given; all of it optional for the caller. */
export interface TracerOptions {
  /** Root of the proc filesystem (a fixture tree in tests). */
  procRoot: string;
  clock: Clock;
  resolver: Resolver;
  limits: Limits;
  logger: Logger;
}

export const systemClock: Clock = { now: () => Date.now() };

export const systemResolver: Resolver = {
  reverse: (ip) => dns.reverse(ip),
};

export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};

export const DEFAULT_LIMITS: Limits = { maxCorrelationDepth: 6 };

/** Fills in every option the caller left out. */
export function resolveOptions(partial: Partial<TracerOptions> = {}): TracerOptions {
  return {
    procRoot: partial.procRoot ?? '/proc',
    clock: partial.clock ?? systemClock,
    resolver: partial.resolver ?? systemResolver,
    limits: { ...DEFAULT_LIMITS, ...partial.limits },
    logger: partial.logger ?? silentLogger,
  };
}
