/**
 * The dashboard of `collect --serve` in a real Chromium (Debian's, driven by
 * playwright-core, headless): the host list shows both agents' hosts, up, in
 * place of the collector host's tiles and charts, and a case seen on both
 * hosts shows what each saw and the fleet score.
 */
import { type NatsConnection, connect } from '@nats-io/transport-node';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { Agent } from '../../src/fleet/agent';
import { type FleetServing, serveFleet } from '../../src/fleet/fleet-serve';
import { publishSamples } from '../../src/fleet/sample-publisher';
import type { CaseSummary, Page } from '../../src/serve/source';
import { type NatsServer, startNatsServer } from '../helpers/nats-server';

const SCREENSHOTS = join(__dirname, '..', '..', 'screenshots');
const AUTH_LOG = join(__dirname, '../fixtures/logs/auth.log');
const TIME = { timezone: 'UTC', referenceDate: Date.parse('2026-12-31T00:00:00Z') };

let server: NatsServer;
let nc: NatsConnection;
let serving: FleetServing;
let context: BrowserContext;
const stop = new AbortController();
let sampling: Promise<unknown> = Promise.resolve();

beforeAll(async () => {
  server = await startNatsServer();
  nc = await connect({ servers: server.url });
  serving = await serveFleet({ connection: nc, listen: '127.0.0.1:0', rateLimitPerMinute: 100_000 });
  sampling = Promise.all(
    ['web1', 'web2'].map((host) => publishSamples({ connection: nc, host, signal: stop.signal, intervalMs: 300 })),
  );
  // Both hosts ship the file: its addresses are each on both.
  for (const host of ['web1', 'web2']) await new Agent({ connection: nc, host }).ship([AUTH_LOG], TIME);
  context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'logsleuth-chromium-')), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 1000 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-sync', '--no-first-run'],
  });
});

afterAll(async () => {
  await context?.close();
  stop.abort();
  await sampling;
  await serving?.stop();
  await nc?.close();
  await server?.stop();
});

describe("the fleet's dashboard", () => {
  it('lists both hosts, up, with their figures, in place of the tiles', async () => {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(serving.server.url + '/');
    await page.waitForSelector('#hosts tbody tr[data-host="web1"][data-health="up"]');
    await page.waitForSelector('#hosts tbody tr[data-host="web2"][data-health="up"]');
    const rows = await page.$$eval('#hosts tbody tr', (trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)),
    );
    const web1 = rows.find((cells) => cells[0] === 'web1')!;
    expect(web1[1]).toBe('up');
    expect(Number(web1[3])).toBe(serving.collector.stats().byHost['web1']);
    expect(web1[7]).toMatch(/^\d+\.\d%$/);
    expect(rows.map((cells) => cells[0]).sort()).toEqual(['web1', 'web2']);
    expect(await page.isHidden('#tiles')).toBe(true);
    expect(await page.isHidden('#charts')).toBe(true);
    await page.waitForSelector('#suspects tbody tr');
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'fleet-dashboard.png'), fullPage: true });
  });

  it('shows a case seen on both hosts with what each saw and the fleet score', async () => {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(serving.server.url + '/');
    const listed = await page.waitForSelector('#suspects tbody tr .fleet');
    expect(await listed.textContent()).toMatch(/^fleet \d+: 2 hosts, 2 hostile$/);
    const ip = await page.$eval('#suspects tbody tr', (tr) => tr.getAttribute('data-ip')!);
    const cases = (await (await fetch(serving.server.url + '/api/v1/cases')).json()) as Page<CaseSummary>;
    const fleet = cases.items.find((c) => c.ip === ip)!.fleet!;
    await page.click(`#suspects tbody tr[data-ip="${ip}"] a`);
    await page.waitForSelector('#case-fleet-hosts tbody tr[data-host="web2"]');
    expect(await page.isHidden('#case-fleet')).toBe(false);
    expect(await page.textContent('#case-fleet-score')).toBe(
      `fleet ${Math.round(fleet.score)}: 2 hosts, ${fleet.hostileHosts} hostile`,
    );
    expect(await page.$$eval('#case-fleet-summary li', (lis) => lis.map((li) => li.textContent))).toEqual(
      fleet.summary,
    );
    expect(fleet.summary[0]).toMatch(/ on 2 hosts: web1 \(\d+\), web2 \(\d+\)$/);
    const rows = await page.$$eval('#case-fleet-hosts tbody tr', (trs) =>
      trs.map((tr) => [...tr.querySelectorAll(':scope > td')].map((td) => td.textContent)),
    );
    expect(rows.map((cells) => [cells[0], cells[1], cells[2]])).toEqual(
      fleet.hosts.map((h) => [h.host, String(Math.round(h.score)), String(h.counts['events'])]),
    );
    // The first evidence line of each host, as text.
    expect(rows[0]![5]).toContain(`${fleet.hosts[0]!.evidence[0]!.action} ${AUTH_LOG}:1`);
    await page.screenshot({ path: join(SCREENSHOTS, 'fleet-case.png'), fullPage: true });
  });
});
