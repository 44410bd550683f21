/**
 * SYN-scan suspects: sources that opened TCP handshakes to many distinct
 * ports (or hosts) and completed few of them.
 */
import { IPPROTO } from './decode';
import type { Flow } from './flows';

export interface SynScanSuspect {
  source: string;
  /** Distinct (target, port) pairs the source sent a SYN to. */
  probed: number;
  completed: number;
  targets: string[];
  /** Distinct hosts probed. */
  hosts: number;
  /** A sweep across hosts: at least `minProbes` distinct hosts probed (one port or many). */
  acrossHosts: boolean;
  /** Lowest probed ports, for the report (at most 20). */
  ports: number[];
}

export interface SynScanOptions {
  /** Distinct probed ports needed to suspect a source (default 10). */
  minProbes?: number;
  /** Largest share of completed handshakes a scan may have (default 0.2). */
  maxCompletedShare?: number;
}

/** Suspects from a flow list, most probes first. */
export function findSynScans(flows: Flow[], options: SynScanOptions = {}): SynScanSuspect[] {
  const minProbes = options.minProbes ?? 10;
  const maxShare = options.maxCompletedShare ?? 0.2;
  const bySource = new Map<
    string,
    { probes: Set<string>; completed: number; targets: Set<string>; ports: Set<number> }
  >();
  for (const flow of flows) {
    if (flow.protocol !== IPPROTO.TCP || flow.handshakeStage === 0) continue;
    let entry = bySource.get(flow.initiator);
    if (!entry) {
      entry = { probes: new Set(), completed: 0, targets: new Set(), ports: new Set() };
      bySource.set(flow.initiator, entry);
    }
    entry.probes.add(`${flow.responder}|${flow.responderPort}`);
    entry.targets.add(flow.responder);
    entry.ports.add(flow.responderPort);
    if (flow.handshakeCompleted) entry.completed++;
  }
  const suspects: SynScanSuspect[] = [];
  for (const [source, entry] of bySource) {
    const probed = entry.probes.size;
    if (probed < minProbes || entry.completed / probed > maxShare) continue;
    suspects.push({
      source,
      probed,
      completed: entry.completed,
      targets: [...entry.targets].sort(),
      hosts: entry.targets.size,
      acrossHosts: entry.targets.size >= minProbes,
      ports: [...entry.ports].sort((a, b) => a - b).slice(0, 20),
    });
  }
  return suspects.sort((a, b) => b.probed - a.probed);
}
