import { Investigation } from '../../src/core/investigation';
import type { IpThreatData } from '../../src/core/kinds';
import { schemaProblems } from '../../src/core/schemas';
import { defineTracer } from '../../src/core/tracer';

const threat = (ip: string, score: number, blacklisted: boolean): IpThreatData => ({
  ip,
  score,
  reasons: [{ code: 'failed_logins', text: `${score / 10} failed logins`, points: score }],
  type: 'public',
  blacklisted,
  firstSeen: '2025-01-02T03:04:05.000Z',
  lastSeen: '2025-01-02T03:09:05.000Z',
  counts: { failedLogins: score / 10 },
  services: ['ssh'],
});

// Stand-ins for the IP, network and event tracers: each reacts on the bus as the real ones do.
const verdicts = defineTracer({
  meta: { name: 'ip', description: 'verdicts', consumes: [], produces: ['ip.threat', 'ip.blacklisted', 'ip.sweep'] },
  attach(ctx) {
    this.finish = () => {
      ctx.report('ip.threat', '203.0.113.7', threat('203.0.113.7', 50, false));
      ctx.report('ip.blacklisted', '203.0.113.7', threat('203.0.113.7', 90, true));
      ctx.report('ip.threat', '198.51.100.2', threat('198.51.100.2', 40, false));
      ctx.report('ip.sweep', '198.51.100.0/24', {
        kind: 'subnet',
        subnet: '198.51.100.0/24',
        ips: ['198.51.100.2', '198.51.100.3'],
        start: null,
        end: null,
      });
    };
  },
  finish() {},
});

const connections = defineTracer({
  meta: { name: 'network', description: 'connections', consumes: ['ip.threat'], produces: ['network.connections'] },
  attach(ctx) {
    ctx.on('ip.threat', (finding) => {
      if (finding.key !== '203.0.113.7') return;
      ctx.report(
        'network.connections',
        finding.key,
        {
          ip: finding.key,
          connections: [
            {
              protocol: 'tcp',
              local: { address: '192.0.2.10', port: 22 },
              remote: { address: finding.key, port: 51000 },
              state: 'ESTABLISHED',
              inode: 1234,
              uid: 0,
              pid: 99,
              process: 'sshd',
            },
          ],
        },
        finding,
      );
    });
  },
});

const chains = defineTracer({
  meta: { name: 'event', description: 'chains', consumes: ['network.connections'], produces: ['event.chain'] },
  attach(ctx) {
    ctx.on('network.connections', (finding) => {
      ctx.report(
        'event.chain',
        `bruteforce:${finding.key}`,
        {
          kind: 'failures-then-ban',
          summary: '5 failed logins then a ban',
          ip: finding.key,
          service: 'ssh',
          steps: [],
          start: null,
          end: null,
        },
        finding,
      );
    });
  },
  summary: () => ({ events: 0 }),
});

describe('Investigation.result', () => {
  it('builds one case per suspect from the verdict and everything it caused, valid against the report schema', async () => {
    const investigation = new Investigation({ tracers: [verdicts, connections, chains], clock: { now: () => 0 } });
    await investigation.finish();
    const result = investigation.result([{ source: 'auth.log', lines: 10 }]);
    expect(result.cases.map((c) => [c.ip, c.score, c.blacklisted, c.connections.length, c.chains.length])).toEqual([
      ['203.0.113.7', 90, true, 1, 1],
      ['198.51.100.2', 40, false, 0, 0],
    ]);
    expect(result.cases[0]!.evidence.map((e) => [e.kind, e.causedBy?.kind ?? null])).toEqual([
      ['ip.threat', null],
      ['ip.blacklisted', null],
      ['network.connections', 'ip.threat'],
      ['event.chain', 'network.connections'],
    ]);
    expect(result.sweeps).toHaveLength(1);
    expect(result.chains).toHaveLength(1);
    expect(result.stats).toEqual({
      investigation: { events: 0, findings: 6, duplicates: 0, tooDeep: 0, handlerErrors: 0 },
      event: { events: 0 },
    });
    expect(result.generatedAt).toBe('1970-01-01T00:00:00.000Z');
    expect(schemaProblems('report', result)).toEqual([]);
  });
});
