/**
 * A real Prometheus (Debian's) scrapes /metrics of a running serve; the
 * series are read back through Prometheus's HTTP API. promtool's lint passes
 * on the exposition.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Serving } from '../../src/serve/serve';
import { serveSample, until } from './helpers';

let serving: Serving;
let prometheus: ChildProcess | undefined;
let prometheusUrl: string;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  ({ serving } = await serveSample());
  const dir = mkdtempSync(join(tmpdir(), 'logsleuth-prometheus-'));
  const config = join(dir, 'prometheus.yml');
  writeFileSync(
    config,
    [
      'global:',
      '  scrape_interval: 1s',
      'scrape_configs:',
      '  - job_name: logsleuth',
      '    static_configs:',
      `      - targets: ['127.0.0.1:${serving.server.port}']`,
      '',
    ].join('\n'),
  );
  const port = await freePort();
  prometheusUrl = `http://127.0.0.1:${port}`;
  prometheus = spawn(
    '/usr/bin/prometheus',
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: 'ignore' },
  );
});

afterAll(async () => {
  prometheus?.kill('SIGTERM');
  await serving?.stop();
});

async function query(expression: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const response = await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(expression)}`).catch(
    () => undefined,
  );
  if (!response?.ok) return [];
  const body = (await response.json()) as {
    data: { result: { metric: Record<string, string>; value: [number, string] }[] };
  };
  return body.data.result;
}

describe('Prometheus', () => {
  it('scrapes /metrics and gives the series back', async () => {
    await until(async () => (await query('logsleuth_lines_read_total')).length > 0, 'the first scrape', 45_000);
    const [lines] = await query('logsleuth_lines_read_total');
    expect(lines!.metric.job).toBe('logsleuth');
    expect(Number(lines!.value[1])).toBe(serving.state.counters().lines);
    const failures = await query('logsleuth_events_total{service="ssh",action="auth.failure"}');
    expect(Number(failures[0]!.value[1])).toBe(
      serving.state.counters().eventsByServiceAction.get('ssh\u0000auth.failure'),
    );
    const up = await query('up{job="logsleuth"}');
    expect(up[0]!.value[1]).toBe('1');
  });

  it('passes promtool check metrics', async () => {
    const text = await (await fetch(serving.server.url + '/metrics')).text();
    const lint = spawnSync('/usr/bin/promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(lint.stdout + lint.stderr).toBe('');
    expect(lint.status).toBe(0);
  });
});
