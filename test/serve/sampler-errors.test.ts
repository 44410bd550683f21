/**
 * No error inside a sampler tick ends serve: a store closed underneath it
 * makes every sample's write fail, and serve goes on answering, says
 * `degraded` in /api/v1/health, counts the errors there and in /metrics, and
 * tells the first one only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/index';
import { SystemSampler } from '../../src/serve/sampler';
import { serve } from '../../src/serve/serve';
import { problems, REFERENCE_DATE, sampleCopy, until } from './helpers';

describe('SystemSampler.tick', () => {
  it('counts a throwing listener by kind, tells it once, and clears `failing` after a good tick', () => {
    const told: string[] = [];
    const sampler = new SystemSampler({ onError: (kind) => told.push(kind) });
    let broken = true;
    let calls = 0;
    sampler.onSample(() => {
      calls++;
      if (broken) throw Object.assign(new Error('disk gone'), { code: 'EIO' });
    }, 'store');
    sampler.tick();
    sampler.tick();
    sampler.tick();
    expect(calls).toBe(3);
    expect(told).toEqual(['store: EIO']);
    expect(sampler.errors.failing).toBe(true);
    expect(sampler.errors.list()).toEqual([
      { kind: 'store: EIO', count: 3, message: 'disk gone', last: expect.any(String) as string },
    ]);
    // The sample itself was taken each time: only the listener failed.
    expect(sampler.history()).toHaveLength(3);
    broken = false;
    sampler.tick();
    expect(sampler.errors.failing).toBe(false);
    expect(sampler.errors.total).toBe(3);
  });

  it('runs the other listeners when one throws', () => {
    const sampler = new SystemSampler();
    const seen: string[] = [];
    sampler.onSample(() => {
      throw new TypeError('bad row');
    }, 'store');
    sampler.onSample(() => seen.push('metrics'));
    sampler.tick();
    expect(seen).toEqual(['metrics']);
    expect(sampler.errors.list().map((k) => k.kind)).toEqual(['store: TypeError']);
  });
});

describe('serve with a store closed underneath', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('stays up, says degraded in health and counts the failed writes in /metrics', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'logsleuth-sampler-errors-'));
    const data = sampleCopy();
    dirs.push(dir, data);
    const store = await openStore(join(dir, 'serve.duckdb'));
    const told: string[] = [];
    const serving = await serve({
      inputs: [join(data, 'auth.log')],
      listen: '127.0.0.1:0',
      timezone: 'UTC',
      referenceDate: REFERENCE_DATE,
      sampleMs: 100,
      pollMs: 50,
      store,
      onSamplerError: (kind) => told.push(kind),
    });
    const health = async () =>
      (await (await fetch(`${serving.server.url}/api/v1/health`)).json()) as {
        status: string;
        lastSample: string | null;
        samplerErrors: { total: number; kinds: { kind: string; count: number }[] };
      };
    await until(async () => (await health()).lastSample !== null, 'a first sample');
    expect((await health()).status).toBe('ok');
    store.close();
    await until(async () => (await health()).samplerErrors.total >= 3, 'three failed store writes');
    const after = await health();
    expect(problems('api-health', after)).toEqual([]);
    expect(after.status).toBe('degraded');
    expect(after.samplerErrors.kinds).toHaveLength(1);
    expect(after.samplerErrors.kinds[0]!.kind).toMatch(/^store: /);
    expect(told).toEqual([after.samplerErrors.kinds[0]!.kind]);
    const metrics = await (await fetch(`${serving.server.url}/metrics`)).text();
    const line = metrics.split('\n').find((l) => l.startsWith('logsleuth_sampler_errors_total{'));
    expect(line).toMatch(/^logsleuth_sampler_errors_total\{kind="store: [^"]+"\} \d+$/);
    // Sampling itself goes on: the samples are new.
    const sampled = (await health()).lastSample;
    await until(async () => (await health()).lastSample !== sampled, 'a later sample');
    await expect(serving.stop()).rejects.toThrow();
    await expect(fetch(`${serving.server.url}/api/v1/health`)).rejects.toThrow();
  }, 60_000);
});
