/**
 * A Case gathers everything the tracers found about one suspect address: the IP
 * tracer's verdict and every finding that verdict caused, transitively (live
 * connections, owning processes, timeline, chains, related errors).
 */
import type { AnyFinding, Finding, FindingRef } from './finding';
import { findingId } from './finding';
import type {
  ChainStep,
  ConnectionData,
  ErrorRelatedData,
  EventChainData,
  IpThreatData,
  ProcessOwnerData,
  ScoreReason,
  TrafficNamesData,
} from './kinds';

/** Everything known about one suspect, as plain data. */
export interface Case {
  ip: string;
  score: number;
  blacklisted: boolean;
  reasons: ScoreReason[];
  type: string;
  counts: Record<string, number>;
  services: string[];
  firstSeen: string | null;
  lastSeen: string | null;
  chains: EventChainData[];
  timeline: ChainStep[];
  /** How many events the address had in all (the timeline is bounded). */
  timelineTotal: number;
  connections: ConnectionData[];
  processes: ProcessOwnerData[];
  errors: ErrorRelatedData['errors'];
  /** What a packet capture showed it doing at the application layer (only when a capture was read). */
  traffic?: TrafficNamesData;
  /** The findings this case was assembled from, each with what caused it. */
  evidence: { kind: string; key: string; tracer: string; causedBy: FindingRef | null }[];
  /** What each host saw of the address, when a collector saw it on several (docs/fleet.md). */
  fleet?: FleetEvidence;
}

/** What one host of a fleet saw of an address. */
export interface HostEvidence {
  /** The agent's host id. */
  host: string;
  /** The IP tracer's score of this host's events alone. */
  score: number;
  /** The IP tracer's evidence counts, of this host's events alone. */
  counts: Record<string, number>;
  firstSeen: string | null;
  lastSeen: string | null;
  /** The first and the latest evidence lines on this host. */
  evidence: { source: string; line: number; at: string | null; action: string }[];
}

/** A case's evidence per host, and how widely the address acted. */
export interface FleetEvidence {
  /** Every host whose events name the address, highest score first. */
  hosts: HostEvidence[];
  /** Hosts where the address has hostile evidence. */
  hostileHosts: number;
  /** The case's score raised by the spread (docs/fleet.md), at most 100. */
  score: number;
  /** One sentence per kind of evidence: "failed logins on 5 hosts: web1 (7), web2 (3), ...". */
  summary: string[];
}

/**
 * Work counters of case assembly, for tests that hold it linear: `visits` counts
 * every finding looked at while building cases (the index, then each case's
 * walk). Reset it before a measurement.
 */
export const caseAssemblyStats = { visits: 0 };

/** The findings of a result indexed by their cause, built once for all cases. */
interface EffectIndex {
  findings: readonly AnyFinding[];
  /** Indices (in publication order) of the findings caused by each finding id. */
  effectsOf: Map<string, number[]>;
}

function indexEffects(findings: readonly AnyFinding[]): EffectIndex {
  const effectsOf = new Map<string, number[]>();
  findings.forEach((finding, index) => {
    caseAssemblyStats.visits++;
    if (!finding.causedBy) return;
    const cause = findingId(finding.causedBy);
    const list = effectsOf.get(cause);
    if (list) list.push(index);
    else effectsOf.set(cause, [index]);
  });
  return { findings, effectsOf };
}

/**
 * The findings caused, directly or not, by any of `roots`, in publication order.
 * A cause is published before its effects, so an effect counts only when it
 * comes after the finding that caused it (as a forward pass would see it); the
 * walk visits only the roots' own descendants, never the whole result.
 */
function descendants(index: EffectIndex, roots: readonly AnyFinding[]): AnyFinding[] {
  const reached = new Set(roots.map(findingId));
  const queue: { id: string; at: number }[] = [...reached].map((id) => ({ id, at: -1 }));
  const found: number[] = [];
  for (let next = 0; next < queue.length; next++) {
    const { id, at } = queue[next] as { id: string; at: number };
    for (const effect of index.effectsOf.get(id) ?? []) {
      caseAssemblyStats.visits++;
      const finding = index.findings[effect] as AnyFinding;
      const effectId = findingId(finding);
      if (effect <= at || reached.has(effectId)) continue;
      reached.add(effectId);
      found.push(effect);
      queue.push({ id: effectId, at: effect });
    }
  }
  return found.sort((a, b) => a - b).map((effect) => index.findings[effect] as AnyFinding);
}

function caseFor(
  verdict: Finding<'ip.threat'> | Finding<'ip.blacklisted'>,
  roots: AnyFinding[],
  index: EffectIndex,
): Case {
  const data: IpThreatData = verdict.data;
  const effects = descendants(index, roots);
  const suspect: Case = {
    ip: data.ip,
    score: data.score,
    blacklisted: data.blacklisted,
    reasons: data.reasons,
    type: data.type,
    counts: data.counts,
    services: data.services,
    firstSeen: data.firstSeen,
    lastSeen: data.lastSeen,
    chains: [],
    timeline: [],
    timelineTotal: 0,
    connections: [],
    processes: [],
    errors: [],
    evidence: [...roots, ...effects].map((f) => ({
      kind: f.kind,
      key: f.key,
      tracer: f.tracer,
      causedBy: f.causedBy ?? null,
    })),
  };
  for (const effect of effects) {
    switch (effect.kind) {
      case 'event.chain':
        suspect.chains.push(effect.data);
        break;
      case 'event.timeline':
        suspect.timeline = effect.data.events;
        suspect.timelineTotal = effect.data.total;
        break;
      case 'network.connections':
        suspect.connections.push(...effect.data.connections);
        break;
      case 'process.owner':
        suspect.processes.push(effect.data);
        break;
      case 'error.related':
        suspect.errors.push(...effect.data.errors);
        break;
      case 'traffic.names':
        suspect.traffic = effect.data;
        break;
      default:
        break;
    }
  }
  return suspect;
}

/**
 * One case per address the IP tracer flagged (`ip.threat` or `ip.blacklisted`),
 * most dangerous first. The blacklist verdict, published later, carries the
 * latest score; both verdicts root the correlation.
 */
export function buildCases(findings: readonly AnyFinding[]): Case[] {
  const verdicts = new Map<string, AnyFinding[]>();
  for (const finding of findings) {
    if (finding.kind !== 'ip.threat' && finding.kind !== 'ip.blacklisted') continue;
    const list = verdicts.get(finding.key) ?? [];
    list.push(finding);
    verdicts.set(finding.key, list);
  }
  const index = indexEffects(findings);
  const cases: Case[] = [];
  for (const roots of verdicts.values()) {
    const latest = roots[roots.length - 1] as Finding<'ip.threat'> | Finding<'ip.blacklisted'>;
    cases.push(caseFor(latest, roots, index));
  }
  return cases.sort((a, b) => b.score - a.score || a.ip.localeCompare(b.ip));
}
