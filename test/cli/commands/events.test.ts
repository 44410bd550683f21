import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { cli } from '../../helpers/cli';
import type { EcsEvent } from '../../../src/core/ecs';
import { schemaProblems } from '../../../src/core/schemas';
import { fixture } from '../../logs/helpers';

const run = (args: string[], stdin?: NodeJS.ReadableStream) => cli(['events', ...args], stdin);

const ndjson = (text: string) =>
  text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as EcsEvent);

describe('logsleuth events', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'logsleuth-events-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints one ECS object per event, each valid against the event schema', async () => {
    const { code, stdout, stderr } = await run([
      '--ndjson',
      '--reference-date',
      '2024-03-06T00:00:00Z',
      '--timezone',
      'UTC',
      fixture('auth.log'),
    ]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const docs = ndjson(stdout);
    expect(docs).toHaveLength(14);
    for (const doc of docs) expect(schemaProblems('event', doc)).toEqual([]);
    expect(docs[2]).toEqual({
      '@timestamp': '2023-12-31T23:58:04.000Z',
      message: 'Failed password for invalid user admin from 203.0.113.50 port 51234 ssh2',
      event: {
        action: 'auth.invalid_user',
        category: ['authentication'],
        outcome: 'failure',
        original:
          'Dec 31 23:58:04 web1 sshd[4101]: Failed password for invalid user admin from 203.0.113.50 port 51234 ssh2',
      },
      source: { ip: '203.0.113.50', port: 51234 },
      user: { name: 'admin' },
      process: { name: 'sshd', pid: 4101 },
      host: { hostname: 'web1' },
      service: { name: 'ssh' },
      log: { file: { path: fixture('auth.log') } },
      logsleuth: { line: 3, format: 'syslog', hostile: true },
    });
  });

  it('forces a format with --format (raw reads no header)', async () => {
    const { code, stdout } = await run(['--ndjson', '--format', 'raw', fixture('auth.log')]);
    expect(code).toBe(0);
    const docs = ndjson(stdout);
    expect(docs.every((d) => d.logsleuth.format === 'raw' && d.process === undefined)).toBe(true);
  });

  it('reads gzip files, several paths and stdin, and filters with --hostile', async () => {
    const gz = join(dir, 'mail.log.1.gz');
    writeFileSync(gz, gzipSync(require('node:fs').readFileSync(fixture('mail.log'))));
    const stdin = Readable.from([
      '192.0.2.9 - - [05/Mar/2024:10:15:30 +0000] "GET /.git/config HTTP/1.1" 404 9 "-" "x"\n',
    ]);
    const { code, stdout } = await run(['--ndjson', '--hostile', gz, '-'], stdin);
    expect(code).toBe(0);
    expect(ndjson(stdout).map((d) => [d.log.file.path, d.logsleuth.line, d.source?.ip])).toEqual([
      [gz, 1, '198.51.100.61'],
      [gz, 2, '198.51.100.62'],
      [gz, 3, '198.51.100.63'],
      [gz, 4, '198.51.100.61'], // `auth=0/1`: a session that only failed to log in (aggressive mode, the default)
      ['-', 1, '192.0.2.9'],
    ]);
  });

  it('prints a table with attacker text escaped', async () => {
    const file = join(dir, 'evil.log');
    writeFileSync(file, 'Mar  5 10:15:30 srv sshd[1]: Invalid user \u001b[31mred\u202e from 192.0.2.7 port 22\n');
    const { code, stdout } = await run(['--timezone', 'UTC', '--reference-date', '2024-03-06', file]);
    expect(code).toBe(0);
    expect(stdout).toContain('!  ssh  auth.invalid_user  192.0.2.7  \\x1b[31mred\\u{202e}  Invalid user');
    expect(stdout).not.toContain('\u001b');
  });

  it('reports a missing file on one line, still reads the others, and exits 1', async () => {
    const { code, stdout, stderr } = await run(['--ndjson', join(dir, 'missing.log'), fixture('kern.log')]);
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain('missing.log');
    expect(ndjson(stdout)).toHaveLength(3);
  });

  it('refuses an unknown format, mode or timezone with exit 2', async () => {
    for (const args of [
      ['--format', 'xml'],
      ['--mode', 'paranoid'],
      ['--timezone', 'Mars/Base'],
    ]) {
      const { code, stderr, stdout } = await run([...args, fixture('kern.log')]);
      expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
      expect(stderr).toMatch(/^logsleuth: unknown (format|mode|timezone) /);
    }
  });

  it('prints per-source counts with --stats', async () => {
    const { stderr } = await run(['--ndjson', '--stats', fixture('django.log')]);
    expect(stderr).toContain(
      ': 9 lines, 3 events, 3 parsed, 0 unparsed, 0 blank, 6 joined, 0 failures; format python (python 3)',
    );
  });
});

describe('logsleuth events --journal', () => {
  let bin: string;
  const path = process.env.PATH;
  beforeAll(() => {
    bin = mkdtempSync(join(tmpdir(), 'logsleuth-journal-'));
    const entry = JSON.stringify({
      __REALTIME_TIMESTAMP: '1709633730120000',
      _HOSTNAME: 'web1',
      SYSLOG_IDENTIFIER: 'sshd',
      _PID: '77',
      MESSAGE: 'Invalid user guest from 203.0.113.60 port 4000',
    });
    // A stand-in journalctl that prints one entry.
    writeFileSync(join(bin, 'journalctl'), `#!/bin/sh\necho "$@" > "$(dirname "$0")/args"\necho '${entry}'\n`, {
      mode: 0o755,
    });
  });
  afterAll(() => {
    process.env.PATH = path;
    rmSync(bin, { recursive: true, force: true });
  });

  it('reads journald entries through journalctl -o json', async () => {
    process.env.PATH = `${bin}:${path}`;
    const { code, stdout } = await run(['--ndjson', '--journal', 'ssh.service']);
    process.env.PATH = path;
    expect(code).toBe(0);
    expect(ndjson(stdout).map((d) => [d.log.file.path, d.service?.name, d.source?.ip, d.logsleuth.hostile])).toEqual([
      ['journald', 'ssh', '203.0.113.60', true],
    ]);
    expect(readFileSync(join(bin, 'args'), 'utf8')).toBe('-o json --no-pager --unit=ssh.service\n');
  });

  it('reads a path given right after --journal as a log, not as a unit', async () => {
    process.env.PATH = `${bin}:${path}`;
    const { code, stdout } = await run(['--ndjson', '--journal', fixture('kern.log')]);
    process.env.PATH = path;
    expect(code).toBe(0);
    expect(ndjson(stdout).map((d) => d.log.file.path)).toEqual([...Array(3).fill(fixture('kern.log')), 'journald']);
    expect(readFileSync(join(bin, 'args'), 'utf8')).toBe('-o json --no-pager\n');
  });

  it('prints the files it read and one error line when journalctl is missing', async () => {
    process.env.PATH = '/nonexistent';
    const { code, stdout, stderr } = await run(['--ndjson', fixture('kern.log'), '--journal']);
    process.env.PATH = path;
    expect(code).toBe(1);
    expect(ndjson(stdout)).toHaveLength(3);
    expect(stderr).toBe('logsleuth: journalctl not found: journalctl\n');
  });

  it('asks for something to read', async () => {
    const { code, stderr } = await run(['--ndjson']);
    expect({ code, stderr }).toEqual({
      code: 2,
      stderr: 'logsleuth: nothing to read: give log paths (or - for stdin), or --journal\n',
    });
  });
});
