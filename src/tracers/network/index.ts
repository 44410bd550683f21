/**
 * The network tracer: what is connected to this host right now, and who holds
 * it. Answers queries on its own (connections, listeners, by address or port,
 * counts by state, services, reverse DNS) and, on the bus, turns a threat
 * address into the live connections from it.
 */
import type { ConnectionData } from '../../core/kinds';
import type { Finding } from '../../core/finding';
import { type TracerOptions, resolveOptions } from '../../core/options';
import type { Tracer, TracerContext, TracerMeta } from '../../core/tracer';
import { normaliseAddress } from '../../proc';
import { type ConnectionSnapshot, readConnections } from './connections';
import {
  type ConnectionFilter,
  type ServiceUse,
  countByState,
  filterConnections,
  listeners,
  servicesInUse,
} from './query';
import { ReverseDns, type ReverseDnsOptions } from './reverse-dns';

export * from './connections';
export * from './query';
export * from './reverse-dns';
export * from './services';

/** Options of the network tracer; the shared ones come from the investigation once attached. */
export interface NetworkTracerOptions extends Partial<TracerOptions> {
  /** Bounds of the reverse DNS lookups. */
  dns?: ReverseDnsOptions;
  /** Look up the host names of threat addresses for `network.connections` (default true). */
  resolveNames?: boolean;
}

export class NetworkTracer implements Tracer {
  readonly meta: TracerMeta = {
    name: 'network',
    description: 'Live sockets from /proc/net with their owning processes; connections of suspect addresses.',
    consumes: ['ip.threat', 'ip.blacklisted'],
    produces: ['network.connections'],
  };

  private options: TracerOptions;
  private dns: ReverseDns;
  private readonly counters = { suspects: 0, suspectsConnected: 0, connectionsReported: 0 };

  constructor(private readonly settings: NetworkTracerOptions = {}) {
    this.options = resolveOptions(settings);
    this.dns = new ReverseDns(this.options.resolver, settings.dns);
  }

  attach(ctx: TracerContext): void {
    this.options = ctx.options;
    this.dns = new ReverseDns(ctx.options.resolver, this.settings.dns);
    const handler = (finding: Finding<'ip.threat'> | Finding<'ip.blacklisted'>) => this.onSuspect(ctx, finding);
    ctx.on('ip.threat', handler);
    ctx.on('ip.blacklisted', handler);
  }

  /** Reads every socket now, with owners and what was skipped. */
  snapshot(): ConnectionSnapshot {
    return readConnections(this.options.procRoot);
  }

  /** The current connections, all or those matching `filter`. */
  connections(filter: ConnectionFilter = {}): ConnectionData[] {
    return filterConnections(this.snapshot().connections, filter);
  }

  /** Sockets waiting for peers (TCP LISTEN, unconnected UDP). */
  listeners(): ConnectionData[] {
    return listeners(this.snapshot().connections);
  }

  /** Connections with `ip` at either end (any notation). */
  findByIp(ip: string): ConnectionData[] {
    return this.connections({ ip });
  }

  /** Connections with `port` at either end. */
  findByPort(port: number): ConnectionData[] {
    return this.connections({ port });
  }

  /** How many sockets are in each kernel state. */
  stateCounts(): Record<string, number> {
    return countByState(this.snapshot().connections);
  }

  /** Well-known services in use: their listeners and established connection counts. */
  services(): ServiceUse[] {
    return servicesInUse(this.snapshot().connections);
  }

  /** Host names of `ip` through the injected resolver (bounded, cached, never rejects). */
  reverseDns(ip: string): Promise<string[]> {
    return this.dns.reverse(normaliseAddress(ip) ?? ip);
  }

  /** What the tracer did on the bus and its reverse DNS counters, for the investigation's report. */
  summary(): Record<string, unknown> {
    return { ...this.counters, dns: this.dns.stats() };
  }

  private async onSuspect(ctx: TracerContext, finding: Finding<'ip.threat'> | Finding<'ip.blacklisted'>) {
    const ip = normaliseAddress(finding.data.ip);
    // ip.threat and ip.blacklisted often name the same address: one report is enough.
    if (!ip || ctx.bus.get('network.connections', ip)) return;
    this.counters.suspects++;
    const connections = this.connections({ remoteIp: ip });
    if (connections.length === 0) return;
    this.counters.suspectsConnected++;
    const data = { ip, connections, hostnames: [] as string[] };
    if (this.settings.resolveNames !== false) data.hostnames = await this.dns.reverse(ip);
    if (ctx.report('network.connections', ip, data, finding)) this.counters.connectionsReported += connections.length;
  }
}
