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
    expect(suspect!.connections).toEqual([
      expect.objectContaining({
        protocol: 'tcp',
        local: { address: '127.0.0.1', port: ports.server },
        remote: { address: '127.0.0.2', port: ports.client },
        state: 'ESTABLISHED',
        pid: pair.pid,
      }),
    ]);
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
