/** `logsleuth agent` then `logsleuth collect` against a real nats-server. */
import { join } from 'node:path';
import type { Case } from '../../../src/core/case';
import { cli } from '../../helpers/cli';
import { type NatsServer, startNatsServer } from '../../helpers/nats-server';

const AUTH_LOG = join(__dirname, '../../fixtures/logs/auth.log');
const TIME = ['--timezone', 'UTC', '--reference-date', '2026-12-31'];

describe('logsleuth agent / collect', () => {
  let server: NatsServer;
  beforeAll(async () => (server = await startNatsServer()));
  afterAll(async () => server.stop());

  it("ships a file twice and collects analyze's cases once", async () => {
    const first = await cli(['agent', AUTH_LOG, '--nats', server.url, '--host-id', 'web1', ...TIME]);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toMatch(/^web1: \d+ events in \d+ batches \(0 already there, 0 too large\)/);
    const again = await cli(['agent', AUTH_LOG, '--nats', server.url, '--host-id', 'web1', ...TIME]);
    const batches = /in (\d+) batches/.exec(first.stdout)![1];
    expect(again.stdout).toContain(`in ${batches} batches (${batches} already there`);

    const collected = await cli(['collect', '--nats', server.url, '--json']);
    expect(collected.code).toBe(0);
    expect(collected.stderr).toMatch(/from 1 host\(s\) \(web1 \d+\), 0 malformed/);
    const analyzed = await cli(['analyze', AUTH_LOG, '--json', ...TIME]);
    const summary = (text: string) =>
      (JSON.parse(text) as { cases: Case[] }).cases.map((c) => [c.ip, c.counts, c.timelineTotal, c.score]);
    expect(summary(collected.stdout)).toEqual(summary(analyzed.stdout));
    expect(summary(collected.stdout).length).toBeGreaterThan(0);
  });

  it('says clearly when the server cannot be reached', async () => {
    const outcome = await cli(['collect', '--nats', 'nats://127.0.0.1:1']);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain('cannot connect to NATS at nats://127.0.0.1:1');
  });
});
