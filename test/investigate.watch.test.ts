/**
 * `watch`: findings stream out while a log is being written, and rotation does
 * not lose the attacker that comes after it.
 */
import { appendFileSync, mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AnyFinding } from '../src/core/finding';
import { watch } from '../src/investigate';

const failures = (ip: string, count: number, minute: number) =>
  Array.from(
    { length: count },
    (_, i) =>
      `Mar 14 03:${String(minute).padStart(2, '0')}:${String(10 + i).padStart(2, '0')} web01 sshd[${4000 + i}]: Failed password for root from ${ip} port ${50000 + i} ssh2\n`,
  ).join('');

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !condition(); waited += 20) {
    if (waited > 20_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('watch', () => {
  it('reports findings as lines are appended, across a rotation, and stops on abort', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'logsleuth-watch-'));
    const log = join(dir, 'auth.log');
    writeFileSync(log, '');
    const findings: AnyFinding[] = [];
    const controller = new AbortController();
    const done = watch({
      inputs: [log],
      signal: controller.signal,
      pollMs: 20,
      flushMs: 50,
      timezone: 'UTC',
      referenceDate: Date.parse('2026-12-31T00:00:00Z'),
      onFinding: (finding) => findings.push(finding),
    });
    const blacklisted = () => findings.filter((f) => f.kind === 'ip.blacklisted').map((f) => f.key);

    await new Promise((resolve) => setTimeout(resolve, 100));
    appendFileSync(log, failures('203.0.113.45', 6, 11));
    await until(() => blacklisted().includes('203.0.113.45'), 'the first attacker');

    // Chains are published while the log is still followed, not only at the end.
    await until(
      () => findings.some((f) => f.kind === 'event.chain' && f.key === 'auth-failures:203.0.113.45'),
      'the first chain',
    );

    renameSync(log, `${log}.1`);
    writeFileSync(log, failures('198.51.100.7', 6, 20));
    await until(() => blacklisted().includes('198.51.100.7'), 'the attacker after rotation');

    controller.abort();
    const result = await done;
    expect(blacklisted()).toEqual(['203.0.113.45', '198.51.100.7']);
    expect(result.cases.map((c) => c.ip)).toEqual(expect.arrayContaining(['203.0.113.45', '198.51.100.7']));
  });
});
