/**
 * Connection trouble: an event that says a service could not reach another
 * (refused, timed out, or a gateway error from a proxy), and which service
 * it could not reach.
 */
import RE2 from 're2';
import type { LogEvent } from '../../core/event';
import { httpStatus } from './failure';
import { PORT_SERVICES, SERVICE_MENTIONS, isFront } from './relationships';

/** What went wrong on the way to the other service. */
export type TroubleKind = 'conn.refused' | 'conn.timeout' | 'http.502' | 'http.503' | 'http.504';

/** A connection problem an event reports. */
export interface Trouble {
  kind: TroubleKind;
  /** The service that could not be reached, when the event names it (by port or by name). */
  target: string | undefined;
}

/** Most characters of a record searched for a port or a name (a traceback's first lines say it). */
const SEARCH_MAX = 16_384;

/** Phrases of a refused or timed-out connection (as the message says it), from libc, psycopg, redis-py, nginx. */
const REFUSED = ['Connection refused', 'connection refused', 'ECONNREFUSED'];
const TIMED_OUT = ['timed out', 'Connection timed out', 'timeout expired', 'ETIMEDOUT'];

// "port 5432", "127.0.0.1:6379", "localhost:8000", "[::1]:5432": the port of the other end.
const PORT = new RE2(String.raw`(?:\bport\s+|(?:\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}|localhost|\])\:)(\d{2,5})\b`);

function search(event: LogEvent): string {
  const text = event.raw.length > event.message.length ? event.raw : event.message;
  return text.length > SEARCH_MAX ? text.slice(0, SEARCH_MAX) : text;
}

/** The service the text names: a well-known port first, then a service's name. */
export function namedTarget(text: string): string | undefined {
  const port = PORT.exec(text)?.[1];
  if (port !== undefined) {
    const service = PORT_SERVICES[Number(port)];
    if (service) return service;
  }
  const lower = text.toLowerCase();
  for (const [needle, service] of SERVICE_MENTIONS) if (lower.includes(needle)) return service;
  return undefined;
}

/** Whether the event reports a failure (only failures name an outage; an info line quoting one does not). */
function failed(event: LogEvent): boolean {
  const level = event.level;
  return event.outcome === 'failure' || level === 'error' || level === 'crit' || level === 'alert' || level === 'emerg';
}

/**
 * The connection trouble `event` reports, if any: a `conn.refused` or
 * `conn.timeout` action, a failure whose text names a refused or timed-out
 * connection, or a 502/503/504 answer of a service that fronts others.
 * Hostile events are never trouble (an attacker's connection is not an outage).
 */
export function connectionTrouble(event: LogEvent): Trouble | undefined {
  if (event.hostile) return undefined;
  const status = httpStatus(event);
  if (status !== undefined) {
    if ((status === 502 || status === 503 || status === 504) && isFront(event.service)) {
      return { kind: `http.${status}` as TroubleKind, target: undefined };
    }
    return undefined;
  }
  let kind: TroubleKind | undefined =
    event.action === 'conn.refused' ? 'conn.refused' : event.action === 'conn.timeout' ? 'conn.timeout' : undefined;
  if (kind === undefined && !failed(event)) return undefined;
  const text = search(event);
  if (kind === undefined) {
    if (REFUSED.some((needle) => text.includes(needle))) kind = 'conn.refused';
    else if (TIMED_OUT.some((needle) => text.includes(needle))) kind = 'conn.timeout';
    else return undefined;
  }
  const target = namedTarget(text);
  return { kind, target: target === event.service ? undefined : target };
}
