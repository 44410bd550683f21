/**
 * Questions asked of a list of connections: by address, by port, by state,
 * and counts per state and per service.
 */
import type { ConnectionData } from '../../core/kinds';
import { normaliseAddress } from '../../proc';

/** What to keep; every given criterion must hold. */
export interface ConnectionFilter {
  /** Local or remote address (any notation: IPv4-mapped and uncompressed IPv6 are normalised). */
  ip?: string;
  /** Remote address only. */
  remoteIp?: string;
  /** Local or remote port. */
  port?: number;
  /** Kernel state name, e.g. ESTABLISHED. */
  state?: string;
  protocol?: ConnectionData['protocol'];
  pid?: number;
}

/** The connections that match `filter`; none when an address in it is not an address. */
export function filterConnections(connections: readonly ConnectionData[], filter: ConnectionFilter): ConnectionData[] {
  const ip = filter.ip === undefined ? undefined : normaliseAddress(filter.ip);
  const remoteIp = filter.remoteIp === undefined ? undefined : normaliseAddress(filter.remoteIp);
  if ((filter.ip !== undefined && !ip) || (filter.remoteIp !== undefined && !remoteIp)) return [];
  return connections.filter(
    (c) =>
      (ip === undefined || c.local.address === ip || c.remote.address === ip) &&
      (remoteIp === undefined || c.remote.address === remoteIp) &&
      (filter.port === undefined || c.local.port === filter.port || c.remote.port === filter.port) &&
      (filter.state === undefined || c.state === filter.state) &&
      (filter.protocol === undefined || c.protocol === filter.protocol) &&
      (filter.pid === undefined || (c.owners ?? []).some((o) => o.pid === filter.pid) || c.pid === filter.pid),
  );
}

/** Sockets waiting for connections: TCP in LISTEN, UDP bound and unconnected. */
export function listeners(connections: readonly ConnectionData[]): ConnectionData[] {
  return connections.filter((c) => c.state === 'LISTEN' || c.state === 'UNCONN');
}

/** How many sockets are in each state, e.g. `{ ESTABLISHED: 12, LISTEN: 4 }`. */
export function countByState(connections: readonly ConnectionData[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const c of connections) counts[c.state] = (counts[c.state] ?? 0) + 1;
  return counts;
}

/** A service seen on this host: its listening ports and how many established connections it has. */
export interface ServiceUse {
  service: string;
  listening: { protocol: string; address: string; port: number; pid: number | null; process: string | null }[];
  established: number;
}

/** Groups sockets by well-known service, busiest first. */
export function servicesInUse(connections: readonly ConnectionData[]): ServiceUse[] {
  const byService = new Map<string, ServiceUse>();
  for (const c of connections) {
    if (!c.service) continue;
    let use = byService.get(c.service);
    if (!use) byService.set(c.service, (use = { service: c.service, listening: [], established: 0 }));
    if (c.state === 'LISTEN' || c.state === 'UNCONN') {
      use.listening.push({
        protocol: c.protocol,
        address: c.local.address,
        port: c.local.port,
        pid: c.pid,
        process: c.process,
      });
    } else if (c.state === 'ESTABLISHED') use.established++;
  }
  return [...byService.values()].sort((a, b) => b.established - a.established || a.service.localeCompare(b.service));
}
