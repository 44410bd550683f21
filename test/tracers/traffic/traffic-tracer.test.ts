import { createEvent } from '../../../src/core/event';
import type { TrafficNamesData } from '../../../src/core/kinds';
import { createInvestigation } from '../../../src/investigate';
import { TrafficTracer } from '../../../src/tracers/traffic';

const names = (address: string, name: string): TrafficNamesData => ({
  address,
  dns: [{ name, answers: ['192.0.2.7'], count: 2 }],
  tls: [{ serverName: name, server: '192.0.2.7', serverPort: 443, count: 1 }],
  http: [],
  untracked: { dns: 0, tls: 0, http: 0 },
});

/** Refused SYNs from `ip` to 20 ports: what `pcap --cases` feeds the IP tracer for a scanner. */
function probes(ip: string) {
  return Array.from({ length: 20 }, (_, i) =>
    createEvent({
      source: 'scan.pcap',
      line: i + 1,
      raw: `SYN from ${ip}`,
      message: `SYN from ${ip}`,
      format: 'pcap',
      program: 'pcap',
      service: 'network',
      timestamp: 1_700_000_000_000 + i * 1000,
      action: 'conn.refused',
      outcome: 'failure',
      hostile: true,
      ip,
      port: 40000 + i,
      fields: { dport: 1 + i, destination: '192.0.2.1', scan: 'syn' },
    }),
  );
}

describe('the traffic tracer', () => {
  test("attaches a suspect's own names to its case, and nobody else's", async () => {
    const scanner = names('203.0.113.9', 'c2.example.test');
    const bystander = names('198.51.100.1', 'www.example.test');
    const { investigation } = createInvestigation({ tracers: [new TrafficTracer([scanner, bystander])] });
    for (const event of probes('203.0.113.9')) investigation.ingest(event);
    await investigation.finish();
    const result = investigation.result([]);
    expect(result.cases.map((suspect) => [suspect.ip, suspect.traffic])).toEqual([['203.0.113.9', scanner]]);
    const traffic = result.findings.filter((finding) => finding.kind === 'traffic.names');
    expect(traffic).toEqual([
      expect.objectContaining({
        key: '203.0.113.9',
        tracer: 'traffic',
        causedBy: expect.objectContaining({ key: '203.0.113.9' }),
      }),
    ]);
  });

  test('a suspect the capture holds no names for has no traffic in its case', async () => {
    const { investigation } = createInvestigation({ tracers: [new TrafficTracer([])] });
    for (const event of probes('203.0.113.9')) investigation.ingest(event);
    await investigation.finish();
    const [suspect] = investigation.result([]).cases;
    expect(suspect!.ip).toBe('203.0.113.9');
    expect(suspect).not.toHaveProperty('traffic');
  });
});
