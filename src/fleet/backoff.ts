/**
 * How an agent waits before trying again. A publish that failed is tried again
 * after a delay doubling from 100 ms up to 5 s, each drawn between half and
 * all of that (jitter); the connection reconnects for ever, about every second
 * plus up to half a second of jitter. Jitter keeps the agents that lost one
 * server from all coming back in the same instant.
 */

/** nats.js connection options of a long-running agent: reconnect for ever, with jitter. */
export const RECONNECT = { maxReconnectAttempts: -1, reconnectTimeWait: 1000, reconnectJitter: 500 } as const;

/** Longest wait between two attempts, in ms. */
export const MAX_BACKOFF_MS = 5000;

const FIRST_BACKOFF_MS = 100;

/** The wait before attempt `attempt + 1` (attempt 0 is the first failure); `random` is in [0, 1). */
export function backoffMs(attempt: number, random: number = Math.random()): number {
  const ceiling = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** Math.min(attempt, 16));
  return Math.round(ceiling * (0.5 + random / 2));
}
