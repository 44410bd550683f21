/**
 * The whole product on a live host: an attacker's log lines make a suspect, and
 * the suspect's live connection to a server on this machine shows up in its
 * case with the owning process.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { investigate } from '../src/investigate';
import { schemaProblems } from '../src/core/schemas';

/** A server on 127.0.0.1 and a client that connects from 127.0.0.2 (all of 127/8 is local on Linux). */
const PAIR = `
const net = require('node:net');
const held = [];
const server = net.createServer((socket) => held.push(socket)).listen(0, '127.0.0.1', () => {
  const client = net.connect({ port: server.address().port, host: '127.0.0.1', localAddress: '127.0.0.2' }, () => {
    held.push(client);
    setTimeout(() => process.stdout.write(JSON.stringify({ server: server.address().port, client: client.localPort }) + '\\n'), 50);
  });
});
`;

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('\n')) resolve(text.slice(0, text.indexOf('\n')));
    });
    child.once('exit', (code) => reject(new Error(`pair exited with ${code}`)));
  });
}

function bruteForce(ip: string): string {
  const lines: string[] = [];
  for (let i = 0; i < 6; i++) {
    const second = String(10 + i * 3).padStart(2, '0');
    lines.push(
      `Mar 14 03:11:${second} web01 sshd[41${i}0]: Failed password for root from ${ip} port ${50000 + i} ssh2`,
    );
  }
  return lines.join('\n') + '\n';
}

describe('investigate on the bundled sample night (examples/data/README.md)', () => {
  const sample = () =>
    investigate({
      inputs: [join(__dirname, '..', 'examples', 'data', '**', '*.log')],
      timezone: 'UTC',
      referenceDate: Date.parse('2026-12-31T00:00:00Z'),
    });

  it('finds exactly the documented suspects: the brute force, the compromise and the spray blacklisted, the scanner watched', async () => {
    const { result } = await sample();
    expect(result.cases.map((c) => [c.ip, c.blacklisted])).toEqual([
      ['192.0.2.77', true],
      ['203.0.113.45', true],
      ['198.51.100.10', true],
      ['198.51.100.13', true],
      ['198.51.100.14', true],
      ['198.51.100.11', true],
      ['198.51.100.12', true],
      ['203.0.113.99', false],
    ]);
    for (const suspect of result.cases) expect(suspect.score >= 70).toBe(suspect.blacklisted);
    const innocent = ['10.0.0.5', '192.0.2.10', '192.0.2.21', '192.0.2.34', '2001:db8:4a::17', '127.0.0.1'];
    expect(result.cases.filter((c) => innocent.includes(c.ip))).toEqual([]);
  });

  it('ties each suspect to its chains: the compromise, the bans and the repeat offence', async () => {
    const { result } = await sample();
    const chainsOf = (ip: string) => result.cases.find((c) => c.ip === ip)!.chains.map((chain) => chain.kind);
    expect(chainsOf('192.0.2.77')).toEqual(['auth-failures', 'compromise']);
    expect(chainsOf('203.0.113.45')).toEqual(['auth-failures', 'ban', 'repeat-offence']);
    // Two bans; fail2ban's 'already banned' notice between them is not a third.
    expect(result.cases.find((c) => c.ip === '203.0.113.45')!.reasons[0]!.text).toBe('banned 2 times by fail2ban');
    expect(result.sweeps.map((s) => [s.kind, s.subnet, s.ips.length])).toEqual([['subnet', '198.51.100.0/24', 5]]);
    // 14 chains: 8 runs of failed logins (brute force, 5 spray addresses, rejected keys, the compromise's), a ban,
    // a repeat offence, the compromise, two outages (postgresql, gunicorn) and the OOM kill behind the second.
    const kinds = result.chains.map((c) => c.kind);
    expect(kinds.filter((kind) => kind === 'auth-failures')).toHaveLength(8);
    expect(kinds.filter((kind) => kind !== 'auth-failures').sort()).toEqual([
      'ban',
      'compromise',
      'oom-kill',
      'repeat-offence',
      'service-down',
      'service-down',
    ]);
  });

  it('lists the distinct errors with their details: the OOM kill of gunicorn (pid 2345) among them', async () => {
    const { result } = await sample();
    expect(result.errors.find((e) => e.subkind === 'oom-kill' && e.details.pid === 2345)?.details).toMatchObject({
      process: 'gunicorn',
    });
    expect(result.errors.map((e) => e.category)).toEqual(expect.arrayContaining(['database', 'memory', 'network']));
    expect(schemaProblems('report', result)).toEqual([]);
  });
});

describe('investigate --live', () => {
  let pair: ChildProcess;
  let ports: { server: number; client: number };

  beforeAll(async () => {
    pair = spawn(process.execPath, ['-e', PAIR], { stdio: ['ignore', 'pipe', 'inherit'] });
    ports = JSON.parse(await firstLine(pair)) as typeof ports;
  });

  afterAll(() => {
    pair.kill('SIGKILL');
  });

  it("shows a suspect's live connection and the process that holds it", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'logsleuth-live-'));
    const log = join(dir, 'auth.log');
    writeFileSync(log, bruteForce('127.0.0.2'));
    const { result } = await investigate({
      inputs: [log],
      live: true,
      whitelist: [],
      timezone: 'UTC',
      referenceDate: Date.parse('2026-12-31T00:00:00Z'),
      resolver: { reverse: async () => [] },
    });
    const suspect = result.cases.find((c) => c.ip === '127.0.0.2');
    expect(suspect).toMatchObject({ ip: '127.0.0.2', blacklisted: true });
    // Earlier runs of this test may leave TIME_WAIT sockets from 127.0.0.2: look for this run's pair.
    expect(suspect!.connections).toContainEqual(
      expect.objectContaining({
        protocol: 'tcp',
        local: { address: '127.0.0.1', port: ports.server },
        remote: { address: '127.0.0.2', port: ports.client },
        state: 'ESTABLISHED',
        pid: pair.pid,
      }),
    );
    expect(suspect!.processes.map((p) => p.pid)).toEqual([pair.pid]);
    expect(suspect!.evidence.map((e) => [e.kind, e.causedBy?.kind ?? null])).toEqual(
      expect.arrayContaining([
        ['network.connections', 'ip.threat'],
        ['process.owner', 'network.connections'],
      ]),
    );
    expect(schemaProblems('report', result)).toEqual([]);
  });
});
