/**
 * `agent --journal` against a real nats-server and a stand-in journalctl (a
 * script printing journalctl's JSON): each batch named by its first entry's
 * cursor, the last cursor sent kept in the state, and a restart going on after it.
 */
import { jetstreamManager } from '@nats-io/jetstream';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from '../../src/fleet/agent';
import { AgentState } from '../../src/fleet/agent-state';
import { hostPartition, partitionOf } from '../../src/fleet/partition';
import { FLEET_STREAM, eventsSubject } from '../../src/fleet/subjects';
import { untilStored } from '../helpers/fleet-stream';
import { useNatsServer } from '../helpers/nats-server';

const dir = mkdtempSync(join(tmpdir(), 'logsleuth-agent-journal-'));

const cursor = (n: number) => `s=0123abcd;i=${n};b=feed;m=${n};t=${1700000000000000 + n};x=beef`;
const entry = (n: number) =>
  JSON.stringify({
    __CURSOR: cursor(n),
    __REALTIME_TIMESTAMP: String(1700000000000000 + n * 1_000_000),
    _HOSTNAME: 'j1',
    SYSLOG_IDENTIFIER: 'sshd',
    _PID: '4242',
    _SYSTEMD_UNIT: 'ssh.service',
    MESSAGE: `Failed password for root from 203.0.113.9 port ${40000 + n} ssh2`,
  });

/** A stand-in journalctl that records its arguments, prints entries `from`..`to` and waits like --follow. */
function fakeJournalctl(name: string, from: number, to: number): string {
  mkdirSync(join(dir, name));
  const path = join(dir, name, 'journalctl');
  const lines = [];
  for (let n = from; n <= to; n++) lines.push(`echo '${entry(n)}'`);
  writeFileSync(path, `#!/bin/sh\nprintf '%s\\n' "$@" > "${dir}/${name}/args"\n${lines.join('\n')}\nexec sleep 60\n`);
  chmodSync(path, 0o755);
  return path;
}

const args = (name: string) =>
  readFileSync(join(dir, name, 'args'), 'utf8')
    .trim()
    .split('\n');

describe('Agent.follow with journal', () => {
  const nats = useNatsServer();
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
  });

  async function follow(journalctlPath: string, until: number) {
    const controller = new AbortController();
    const state = new AgentState(join(dir, 'state'));
    const agent = new Agent({ connection: nats.connection, host: 'j1' });
    const following = agent.follow([], {
      signal: controller.signal,
      state,
      journal: { unit: 'ssh.service', journalctlPath },
      timezone: 'UTC',
    });
    const stored = await untilStored(nats.connection, until, 'j1');
    controller.abort();
    return { report: await following, stored, saved: await state.loadAll() };
  }

  it('ships new entries named by their cursor, keeps the last, and goes on after it when restarted', async () => {
    const first = await follow(fakeJournalctl('first', 1, 3), 3);
    expect(args('first')).toEqual(['-o', 'json', '--no-pager', '--follow', '--unit=ssh.service', '--lines=0']);
    expect(first.report).toMatchObject({ events: 3, duplicates: 0, unsent: 0 });
    expect(first.stored.map((e) => [e.source, e.service, e.action, e.port])).toEqual([
      ['journald', 'ssh', 'auth.failure', 40001],
      ['journald', 'ssh', 'auth.failure', 40002],
      ['journald', 'ssh', 'auth.failure', 40003],
    ]);
    expect(first.saved.journalCursor).toBe(cursor(3));
    const jsm = await jetstreamManager(nats.connection);
    const message = await jsm.streams.getMessage(FLEET_STREAM, {
      last_by_subj: eventsSubject('j1', partitionOf(first.stored[2]!, hostPartition('j1'))),
    });
    expect(message!.header.get('Nats-Msg-Id')).toMatch(/^j1:journald:cs=0123abcd;i=[123];/);

    const second = await follow(fakeJournalctl('second', 4, 5), 5);
    expect(args('second')).toContain(`--after-cursor=${cursor(3)}`);
    expect(args('second')).not.toContain('--lines=0');
    // Every entry once, in order.
    expect(second.stored.map((e) => e.port)).toEqual([40001, 40002, 40003, 40004, 40005]);
    expect(second.saved.journalCursor).toBe(cursor(5));
  });
});
