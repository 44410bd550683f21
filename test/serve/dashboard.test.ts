/**
 * The dashboard in a real Chromium (Debian's, driven by playwright-core,
 * headless): suspects listed, tiles with numbers and threshold words, a case
 * page with its chains, an appended line in the live feed, and log text
 * carrying markup shown as text (no dialog, no injected element).
 */
import { appendFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, type Page, chromium } from 'playwright-core';
import type { Serving } from '../../src/serve/serve';
import { serveSample } from './helpers';

const SCREENSHOTS = join(__dirname, '..', '..', 'screenshots');

let serving: Serving;
let dir: string;
let context: BrowserContext;
let page: Page;
const dialogs: string[] = [];

beforeAll(async () => {
  ({ serving, dir } = await serveSample());
  context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'logsleuth-chromium-')), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 1000 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.goto(serving.server.url + '/');
});

afterAll(async () => {
  await context?.close();
  await serving?.stop();
});

describe('the dashboard', () => {
  it('lists the expected suspects, ranked, with score bars and reasons', async () => {
    await page.waitForSelector('#suspects tbody tr[data-ip="203.0.113.45"]');
    const ips = await page.$$eval('#suspects tbody tr', (rows) => rows.map((row) => row.getAttribute('data-ip')));
    expect(ips.slice(0, 2).sort()).toEqual(['192.0.2.77', '203.0.113.45']);
    expect(ips).toEqual(expect.arrayContaining(['198.51.100.10', '198.51.100.11', '198.51.100.12', '203.0.113.99']));
    const first = await page.textContent('#suspects tbody tr:first-child');
    expect(first).toMatch(/100.*blacklisted.*\+\d+ /s);
  });

  it('shows health tiles with numbers and a threshold word matching their colour state', async () => {
    await page.waitForSelector('#tile-cpu');
    for (const id of ['cpu', 'memory']) {
      const tile = await page.$eval(`#tile-${id}`, (node) => ({
        value: node.querySelector('.value')!.textContent,
        word: node.querySelector('.state')!.textContent,
        state: node.getAttribute('data-state'),
        classes: node.className,
      }));
      expect(tile.value).toMatch(/^\d+(\.\d)?%$/);
      expect(['ok', 'warning', 'critical']).toContain(tile.state);
      expect(tile.word).toBe(tile.state!.toUpperCase());
      expect(tile.classes).toContain(tile.state);
    }
    await page.waitForSelector('#chart-cpu canvas');
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard.png'), fullPage: true });
  });

  it('shows a line appended to a followed file in the live feed within 3 s, as text', async () => {
    const payload = '<img/src=x/onerror=alert(9)>';
    appendFileSync(
      join(dir, 'auth.log'),
      `Mar 14 06:31:00 web01 sshd[9200]: Invalid user ${payload} from 203.0.113.202 port 5100\n`,
    );
    await page.locator('#feed li', { hasText: payload }).first().waitFor({ timeout: 3000 });
    expect(await page.$$('#feed img, #feed script, #feed svg, #feed iframe')).toHaveLength(0);
  });

  it('renders the XSS payloads of the test log as text on the case page, with its chains', async () => {
    await page.goto(serving.server.url + '/#/case/203.0.113.66');
    await page.waitForSelector('#case-timeline tbody tr');
    const timeline = await page.textContent('#case-timeline');
    expect(timeline).toContain('<script>alert(2)</script>');
    expect(timeline).toContain('<img/src=x/onerror=alert(1)>');
    expect(await page.$$('#case img, #case script, #case svg, #case iframe, #case b')).toHaveLength(0);
    await page.goto(serving.server.url + '/#/case/203.0.113.45');
    await page.waitForSelector('#case-chains li');
    const chains = await page.$$eval('#case-chains > li', (items) => items.map((li) => li.getAttribute('data-kind')));
    expect(chains.length).toBeGreaterThan(0);
    expect(await page.textContent('#case-title')).toContain('203.0.113.45');
    await page.screenshot({ path: join(SCREENSHOTS, 'case.png'), fullPage: true });
    expect(dialogs).toEqual([]);
  });
});
