/**
 * Fleet cases. The collector runs one investigation over every host's events,
 * so an address has one case whatever the number of hosts it touched; beside
 * it, this keeps one behaviour per address and host (the IP tracer's own
 * `Behaviour` and `recordEvent`, so a host's counts mean what the case's counts
 * mean) and adds to each case seen on several hosts its evidence per host and
 * a fleet score (docs/fleet.md).
 */
import type { Case, FleetEvidence, HostEvidence } from '../core/case';
import type { LogEvent } from '../core/event';
import { LruMap } from '../core/lru';
import { DEFAULT_MAX_IPS, type IpTracer, canonicalKey } from '../tracers/ip';
import { Behaviour, countsOf, evidenceOf, isHostile, recordEvent } from '../tracers/ip/behaviour';
import { MAX_SCORE, scoreOf } from '../tracers/ip/score';

/** Fleet score points per host with hostile evidence, beyond the first. */
export const SPREAD_POINTS_PER_HOST = 10;
/** Most points the spread adds. */
export const MAX_SPREAD_POINTS = 30;
/** Hosts named in one summary sentence; the rest are counted. */
const MAX_NAMED_HOSTS = 10;

/** The evidence counts a summary sentence is made for, in the order they are told. */
const SUMMARY_KINDS: [count: string, label: string][] = [
  ['successAfterFailures', 'logins after failures'],
  ['failedLogins', 'failed logins'],
  ['invalidUsers', 'invalid users'],
  ['bans', 'bans'],
  ['probes', 'probes'],
  ['otherHostile', 'other hostile events'],
];

function iso(time: number | undefined): string | null {
  return time === undefined ? null : new Date(time).toISOString();
}

/** "failed logins on 2 hosts: web1 (7), web2 (3)", or undefined when no host has any. */
function sentence(hosts: readonly HostEvidence[], count: string, label: string): string | undefined {
  const having = hosts.filter((host) => (host.counts[count] ?? 0) > 0);
  if (having.length === 0) return undefined;
  having.sort((a, b) => b.counts[count]! - a.counts[count]! || (a.host < b.host ? -1 : 1));
  const named = having.slice(0, MAX_NAMED_HOSTS).map((host) => `${host.host} (${host.counts[count]})`);
  if (having.length > MAX_NAMED_HOSTS) named.push(`and ${having.length - MAX_NAMED_HOSTS} more`);
  return `${label} on ${having.length} host${having.length === 1 ? '' : 's'}: ${named.join(', ')}`;
}

/**
 * The case's score plus {@link SPREAD_POINTS_PER_HOST} for each host with
 * hostile evidence beyond the first, the spread adding at most
 * {@link MAX_SPREAD_POINTS}, the whole at most 100.
 */
export function fleetScore(caseScore: number, hostileHosts: number): number {
  const spread = Math.min(MAX_SPREAD_POINTS, SPREAD_POINTS_PER_HOST * Math.max(0, hostileHosts - 1));
  return Math.min(MAX_SCORE, caseScore + spread);
}

/** What each host's events say of each address, bounded like the IP tracer's table. */
export class FleetCases {
  /** Per canonical address, its behaviour on each host id. */
  private readonly byIp: LruMap<string, Map<string, Behaviour>>;
  /** Latest event time seen: the reference of the per-host scores' decay, as for the IP tracer. */
  private reference: number | undefined;

  /**
   * @param ip the investigation's IP tracer: its scoring and limits are used per host
   * @param maxIps most addresses kept (the least recently seen are forgotten)
   */
  constructor(
    private readonly ip: IpTracer,
    maxIps = DEFAULT_MAX_IPS,
  ) {
    this.byIp = new LruMap(maxIps);
  }

  /** Addresses forgotten to stay within `maxIps`. */
  get evicted(): number {
    return this.byIp.evicted;
  }

  /** Counts one event that agent `host` sent. */
  record(host: string, event: LogEvent): void {
    const time = event.timestamp;
    if (time !== undefined && (this.reference === undefined || time > this.reference)) this.reference = time;
    if (event.ip === undefined) return;
    const key = canonicalKey(event.ip);
    if (key === undefined) return;
    let hosts = this.byIp.get(key);
    if (!hosts) this.byIp.set(key, (hosts = new Map()));
    let behaviour = hosts.get(host);
    if (!behaviour) hosts.set(host, (behaviour = new Behaviour(key)));
    recordEvent(behaviour, event, this.ip.limits, this.ip.params.burstWindowMs);
  }

  /** The fleet evidence of `ip`, when its events came from two hosts or more. */
  evidence(ip: string, caseScore: number): FleetEvidence | undefined {
    const byHost = this.byIp.peek(ip);
    if (!byHost || byHost.size < 2) return undefined;
    const hosts: HostEvidence[] = [...byHost].map(([host, behaviour]) => ({
      host,
      score: scoreOf(behaviour, this.ip.params, this.reference),
      counts: countsOf(behaviour),
      firstSeen: iso(behaviour.firstSeen),
      lastSeen: iso(behaviour.lastSeen),
      evidence: evidenceOf(behaviour, this.ip.limits.maxEvidence),
    }));
    hosts.sort((a, b) => b.score - a.score || (a.host < b.host ? -1 : 1));
    const hostileHosts = [...byHost.values()].filter(isHostile).length;
    const summary: string[] = [];
    for (const [count, label] of SUMMARY_KINDS) {
      const told = sentence(hosts, count, label);
      if (told) summary.push(told);
    }
    return { hosts, hostileHosts, score: fleetScore(caseScore, hostileHosts), summary };
  }

  /** `cases` with the fleet evidence of each address seen on several hosts. */
  annotate(cases: readonly Case[]): Case[] {
    return cases.map((suspect) => {
      const fleet = this.evidence(suspect.ip, suspect.score);
      return fleet ? { ...suspect, fleet } : suspect;
    });
  }
}
