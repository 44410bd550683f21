import { buildCases, caseAssemblyStats } from '../../src/core/case';
import type { AnyFinding } from '../../src/core/finding';
import type { IpThreatData } from '../../src/core/kinds';

const threat = (ip: string): IpThreatData => ({
  ip,
  score: 60,
  reasons: [{ code: 'failed_logins', text: '3 failed logins', points: 60 }],
  type: 'public',
  blacklisted: false,
  firstSeen: null,
  lastSeen: null,
  counts: { failedLogins: 3 },
  services: ['ssh'],
});

/** `n` flagged addresses, each with a timeline and a chain caused by its verdict. */
function findingsOf(n: number): AnyFinding[] {
  const findings: AnyFinding[] = [];
  for (let i = 0; i < n; i++) {
    const ip = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
    const cause = { kind: 'ip.threat', key: ip } as const;
    findings.push({ kind: 'ip.threat', key: ip, tracer: 'ip', at: i, depth: 0, data: threat(ip) } as AnyFinding);
    findings.push({
      kind: 'event.timeline',
      key: ip,
      tracer: 'event',
      at: i,
      depth: 1,
      causedBy: cause,
      data: { ip, events: [], total: 3, chains: [`auth:${ip}`] },
    } as AnyFinding);
    findings.push({
      kind: 'event.chain',
      key: `auth:${ip}`,
      tracer: 'event',
      at: i,
      depth: 1,
      causedBy: cause,
      data: { kind: 'auth', summary: '3 failures', ip, service: 'ssh', steps: [], start: null, end: null },
    } as AnyFinding);
  }
  return findings;
}

function visitsFor(n: number): number {
  caseAssemblyStats.visits = 0;
  const cases = buildCases(findingsOf(n));
  expect(cases).toHaveLength(n);
  return caseAssemblyStats.visits;
}

describe('buildCases', () => {
  it('assembles each case from its own findings only: work grows linearly with the addresses', () => {
    const small = visitsFor(1000);
    const large = visitsFor(8000);
    // A walk of every finding per case would make 8x the addresses cost 64x.
    expect(large).toBeLessThanOrEqual(8 * small + 8);
    expect(large).toBeLessThanOrEqual(3 * 3 * 8000);
  });

  it('gathers the effects of a verdict, transitively, in publication order', () => {
    const findings = findingsOf(2);
    findings.push({
      kind: 'process.owner',
      key: '10.0.0.1:22',
      tracer: 'process',
      at: 9,
      depth: 2,
      causedBy: { kind: 'event.timeline', key: '10.0.0.1' },
      data: { pid: 1 },
    } as unknown as AnyFinding);
    const [first] = buildCases(findings).filter((c) => c.ip === '10.0.0.1');
    expect(first?.evidence.map((e) => `${e.kind} ${e.key}`)).toEqual([
      'ip.threat 10.0.0.1',
      'event.timeline 10.0.0.1',
      'event.chain auth:10.0.0.1',
      'process.owner 10.0.0.1:22',
    ]);
    expect(first?.processes).toEqual([{ pid: 1 }]);
    expect(first?.timelineTotal).toBe(3);
  });
});
