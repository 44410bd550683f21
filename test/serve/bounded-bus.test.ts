/**
 * `serve` with a small bus: many findings evict the oldest, yet the ranked
 * cases and each case page say what an unbounded bus says, and the evictions
 * show in /api/v1/health and /metrics.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Serving, serve } from '../../src/serve/serve';
import { REFERENCE_DATE, problems, until } from './helpers';

/** 40 attackers failing ssh logins in turns, each for 4 to 12 rounds: verdicts published early, revised late. */
function attackLog(): string {
  const lines: string[] = [];
  let second = 0;
  for (let round = 0; round < 12; round++) {
    for (let i = 1; i <= 40; i++) {
      if (round >= 4 + (i % 9)) continue;
      second += 2;
      const time = new Date(Date.UTC(2026, 2, 14, 3, 0, second)).toISOString().slice(11, 19);
      lines.push(
        `Mar 14 ${time} web01 sshd[${4000 + second}]: Failed password for root from 198.51.100.${i} port ${30000 + second} ssh2`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

async function serveLog(path: string, maxBusFindings: number): Promise<Serving> {
  const serving = await serve({
    inputs: [path],
    listen: '127.0.0.1:0',
    timezone: 'UTC',
    referenceDate: REFERENCE_DATE,
    pollMs: 50,
    flushMs: 100,
    state: { rebuildMs: 0 },
    limits: { maxBusFindings },
  });
  const expected = attackLog().split('\n').length - 1;
  await until(() => serving.state.counters().lines === expected, 'the log read');
  // Two flushes after the last line: the timelines of the last events.
  await new Promise((resolve) => setTimeout(resolve, 400));
  return serving;
}

let bounded: Serving;
let unbounded: Serving;

beforeAll(async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'logsleuth-bounded-')), 'auth.log');
  writeFileSync(path, attackLog());
  bounded = await serveLog(path, 10);
  unbounded = await serveLog(path, Infinity);
});
afterAll(async () => {
  await bounded?.stop();
  await unbounded?.stop();
});

async function json(serving: Serving, path: string): Promise<Record<string, unknown>> {
  return (await (await fetch(serving.server.url + path)).json()) as Record<string, unknown>;
}

describe('serve with a bounded bus', () => {
  it('evicts findings beyond the bound and keeps the newest', () => {
    const stats = bounded.state.counters();
    expect(stats.findingsEvicted).toBeGreaterThan(50);
    expect(stats.findingsEvicted).toBe(stats.findings - 10);
    expect(unbounded.state.counters().findingsEvicted).toBe(0);
  });

  it('ranks the same suspects with the same scores, reasons and verdicts as an unbounded bus', async () => {
    const cases = await json(bounded, '/api/v1/cases?limit=1000');
    const reference = await json(unbounded, '/api/v1/cases?limit=1000');
    expect((reference.items as unknown[]).length).toBe(40);
    expect(cases).toEqual(reference);
  });

  it('answers every case page with the current verdict and the timeline', async () => {
    const { items } = (await json(unbounded, '/api/v1/cases?limit=1000')) as { items: { ip: string }[] };
    for (const { ip } of items) {
      const page = await json(bounded, `/api/v1/cases/${ip}`);
      const reference = await json(unbounded, `/api/v1/cases/${ip}`);
      expect(problems('api-case', page)).toEqual([]);
      expect({ ip, score: page.score, reasons: page.reasons, blacklisted: page.blacklisted }).toEqual({
        ip,
        score: reference.score,
        reasons: reference.reasons,
        blacklisted: reference.blacklisted,
      });
      expect({ ip, timeline: page.timeline, total: page.timelineTotal }).toEqual({
        ip,
        timeline: reference.timeline,
        total: reference.timelineTotal,
      });
    }
  });

  it('shows the evictions in /api/v1/health and as a counter in /metrics', async () => {
    const health = await json(bounded, '/api/v1/health');
    expect(problems('api-health', health)).toEqual([]);
    const evicted = bounded.state.counters().findingsEvicted;
    expect(health.findingsEvicted).toBe(evicted);
    const metrics = await (await fetch(`${bounded.server.url}/metrics`)).text();
    expect(metrics).toContain('# TYPE logsleuth_findings_evicted_total counter');
    expect(metrics).toContain(`logsleuth_findings_evicted_total ${evicted}\n`);
  });
});
