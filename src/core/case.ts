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
  /** The findings this case was assembled from, each with what caused it. */
  evidence: { kind: string; key: string; tracer: string; causedBy: FindingRef | null }[];
}

/** The findings caused, directly or not, by any of `roots`. */
function descendants(findings: readonly AnyFinding[], roots: readonly AnyFinding[]): AnyFinding[] {
  const reached = new Set(roots.map(findingId));
  const found: AnyFinding[] = [];
  // Findings are in publication order and a cause is always published before its
  // effects, so one forward pass reaches every descendant.
  for (const finding of findings) {
    if (finding.causedBy && reached.has(findingId(finding.causedBy)) && !reached.has(findingId(finding))) {
      reached.add(findingId(finding));
      found.push(finding);
    }
  }
  return found;
}

function caseFor(
  verdict: Finding<'ip.threat'> | Finding<'ip.blacklisted'>,
  roots: AnyFinding[],
  all: readonly AnyFinding[],
): Case {
  const data: IpThreatData = verdict.data;
  const effects = descendants(all, roots);
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
  const cases: Case[] = [];
  for (const roots of verdicts.values()) {
    const latest = roots[roots.length - 1] as Finding<'ip.threat'> | Finding<'ip.blacklisted'>;
    cases.push(caseFor(latest, roots, findings));
  }
  return cases.sort((a, b) => b.score - a.score || a.ip.localeCompare(b.ip));
}
