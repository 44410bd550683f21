/**
 * The REST API on the sample data: every response valid against its schema,
 * the expected suspects, filters and paging, the live stream, and the
 * security rules (loopback only without a token, 401 on a wrong one, no CORS,
 * a CSP without inline scripts).
 */
import { appendFileSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { join } from 'node:path';
import type { Serving } from '../../src/serve/serve';
import { LiveState } from '../../src/serve/live-state';
import { startServer } from '../../src/serve/server';
import { problems, serveSample, until } from './helpers';

let serving: Serving;
let dir: string;
let url: string;

beforeAll(async () => {
  ({ serving, dir } = await serveSample());
  url = serving.server.url;
});
afterAll(async () => serving?.stop());

async function get(path: string, headers: Record<string, string> = {}) {
  const response = await fetch(url + path, { headers });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
}

const endpoints: [string, string][] = [
  ['/api/v1/health', 'api-health'],
  ['/api/v1/host', 'api-host'],
  ['/api/v1/system', 'api-system'],
  ['/api/v1/cases', 'api-cases'],
  ['/api/v1/cases?min_score=90&limit=2', 'api-cases'],
  ['/api/v1/cases/203.0.113.45', 'api-case'],
  ['/api/v1/cases/192.0.2.77', 'api-case'],
  ['/api/v1/sweeps', 'api-sweeps'],
  ['/api/v1/hosts', 'api-hosts'],
  ['/api/v1/chains', 'api-chains'],
  ['/api/v1/chains?ip=203.0.113.45', 'api-chains'],
  ['/api/v1/errors', 'api-errors'],
  ['/api/v1/events?limit=5', 'api-events'],
  ['/api/v1/events?ip=203.0.113.45&service=ssh&since=2026-03-14T03:00:00Z&until=2026-03-14T03:30:00Z', 'api-events'],
  ['/api/v1/connections', 'api-connections'],
  ['/api/v1/connections?state=LISTEN', 'api-connections'],
  ['/api/v1/processes', 'api-processes'],
  ['/api/v1/processes?sort=rss&limit=3', 'api-processes'],
  ['/api/v1/reputation', 'reputation'],
  ['/api/v1/cases/198.51.100.250', 'api-error'],
];

describe('the REST API', () => {
  it.each(endpoints)('answers %s valid against %s', async (path, schema) => {
    const { body } = await get(path);
    expect(problems(schema, body)).toEqual([]);
  });

  it('ranks the sample night’s suspects, blacklisted first', async () => {
    const { body } = await get('/api/v1/cases');
    const ips = (body.items as { ip: string }[]).map((c) => c.ip);
    expect(ips.slice(0, 2).sort()).toEqual(['192.0.2.77', '203.0.113.45']);
    expect(ips).toEqual(expect.arrayContaining(['198.51.100.10', '198.51.100.14', '203.0.113.99', '203.0.113.66']));
    const high = await get('/api/v1/cases?min_score=90');
    expect((high.body.items as { score: number }[]).every((c) => c.score >= 90)).toBe(true);
  });

  it('gives a case its chains and timeline', async () => {
    const { body } = await get('/api/v1/cases/203.0.113.45');
    expect((body.chains as { ip: string }[]).length).toBeGreaterThan(0);
    expect(body.timelineTotal).toBe(53);
    expect((body.live as { connections: unknown[] }).connections).toEqual([]);
  });

  it('filters and pages events, newest first', async () => {
    const all = await get('/api/v1/events?ip=203.0.113.45&limit=1000');
    const page = await get('/api/v1/events?ip=203.0.113.45&limit=10&offset=5');
    expect(page.body.total).toBe(all.body.total);
    expect(page.body.items).toEqual((all.body.items as unknown[]).slice(5, 15));
    const window = await get('/api/v1/events?since=2026-03-14T03:41:00Z&until=2026-03-14T03:41:30Z&service=ssh');
    const stamps = (window.body.items as { timestamp: string }[]).map((e) => e.timestamp);
    expect(stamps.length).toBeGreaterThan(0);
    expect(stamps.every((t) => t >= '2026-03-14T03:41:00' && t <= '2026-03-14T03:41:30.000Z')).toBe(true);
  });

  it('rejects a bad query, an address that is not one, and a time it cannot read', async () => {
    expect((await get('/api/v1/cases?limit=0')).status).toBe(400);
    expect((await get('/api/v1/cases?min_score=abc')).status).toBe(400);
    expect((await get('/api/v1/cases/..%2F..%2Fetc%2Fpasswd')).status).toBe(400);
    expect((await get('/api/v1/events?since=yesterday-ish')).status).toBe(400);
  });

  it('sends a CSP without inline scripts, no CORS headers, and refuses a foreign Host (DNS rebinding)', async () => {
    const page = await fetch(url + '/', { headers: { origin: 'http://evil.example' } });
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(page.headers.get('access-control-allow-origin')).toBeNull();
    // fetch will not send another Host: node:http will.
    const status = await new Promise<number>((resolve, reject) => {
      const request = httpGet(`${url}/api/v1/health`, { headers: { host: 'evil.example' } }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.on('error', reject);
    });
    expect(status).toBe(421);
  });

  it('streams an appended line as an event, and the findings it causes', async () => {
    const received: string[] = [];
    const controller = new AbortController();
    const response = await fetch(url + '/api/v1/stream', { signal: controller.signal });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body!.getReader();
    const reading = (async () => {
      const decoder = new TextDecoder();
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done) return;
        received.push(decoder.decode(value));
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 100));
    appendFileSync(
      join(dir, 'auth.log'),
      'Mar 14 06:30:00 web01 sshd[9100]: Invalid user streamtest from 203.0.113.201 port 5000\n',
    );
    await until(() => received.join('').includes('streamtest'), 'the appended line on the stream');
    controller.abort();
    await reading;
    const items = received
      .join('')
      .split('\n\n')
      .flatMap((block) =>
        block
          .split('\n')
          .filter((l) => l.startsWith('data: '))
          .map((l) => JSON.parse(l.slice(6)) as unknown),
      );
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) expect(problems('api-stream-item', item)).toEqual([]);
  });

  it('exposes the counters on /metrics', async () => {
    const text = await (await fetch(url + '/metrics')).text();
    expect(text).toContain(`logsleuth_lines_read_total ${serving.state.counters().lines}`);
    expect(text).toMatch(/logsleuth_events_total\{service="ssh",action="auth.failure"\} \d+/);
    expect(text).toMatch(/logsleuth_suspects\{band="critical"\} [1-9]/);
    expect(text).toContain('logsleuth_system_cpu_busy_ratio');
    expect(text).toContain('process_cpu_user_seconds_total');
  });
});

describe('the server’s security rules', () => {
  it('refuses a non-loopback address without a token', async () => {
    await expect(startServer({ source: new LiveState(), listen: '0.0.0.0:0' })).rejects.toThrow(/without --token/);
    await expect(startServer({ source: new LiveState(), listen: '[::]:0', token: '  \n' })).rejects.toThrow(/empty/);
  });

  it('answers 401 to a missing or wrong token and 200 to the right one', async () => {
    const server = await startServer({ source: new LiveState(), listen: '127.0.0.1:0', token: 'correct horse\n' });
    try {
      const status = async (path: string, headers: Record<string, string> = {}) =>
        (await fetch(server.url + path, { headers })).status;
      expect(await status('/api/v1/health')).toBe(401);
      expect(await status('/api/v1/health', { authorization: 'Bearer wrong' })).toBe(401);
      expect(await status('/metrics', { authorization: 'Bearer correct hors' })).toBe(401);
      expect(await status('/api/v1/health', { authorization: 'Bearer correct horse' })).toBe(200);
      expect(await status('/metrics', { authorization: 'Bearer correct horse' })).toBe(200);
      // The page itself holds no data: it loads and asks for the token.
      expect(await status('/')).toBe(200);
    } finally {
      await server.close();
    }
  });
});
