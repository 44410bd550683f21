import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SourceLine } from '../../../src/logs/line';
import { journalLines, journalctlArgs } from '../../../src/logs/sources';

const dir = mkdtempSync(join(tmpdir(), 'logsleuth-journald-'));

/** Writes an executable fake journalctl; it records its arguments and pid, then runs `body`. */
function fakeJournalctl(name: string, body: string): string {
  const path = join(dir, name, 'journalctl');
  mkdirSync(join(dir, name));
  writeFileSync(
    path,
    `#!/bin/sh\nprintf '%s\\n' "$@" > "${dir}/${name}/args"\necho $$ > "${dir}/${name}/pid"\n${body}\n`,
  );
  chmodSync(path, 0o755);
  return path;
}

const entry = (message: string) =>
  JSON.stringify({ __REALTIME_TIMESTAMP: '1700000000000000', _SYSTEMD_UNIT: 'ssh.service', MESSAGE: message });

async function collect(iterable: AsyncIterable<SourceLine>): Promise<SourceLine[]> {
  const lines: SourceLine[] = [];
  for await (const line of iterable) lines.push(line);
  return lines;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('journalLines', () => {
  it('runs journalctl from PATH with -o json and yields its lines with source journald', async () => {
    const script = fakeJournalctl('path', `printf '%s\\n%s\\n' '${entry('first')}' '${entry('second')}'`);
    const savedPath = process.env.PATH;
    process.env.PATH = `${join(dir, 'path')}:${savedPath}`;
    try {
      const lines = await collect(journalLines({ unit: 'ssh.service', since: '2024-01-01 00:00:00' }));
      expect(lines).toEqual([
        { source: 'journald', line: 1, text: entry('first') },
        { source: 'journald', line: 2, text: entry('second') },
      ]);
    } finally {
      process.env.PATH = savedPath;
    }
    expect(
      readFileSync(join(dir, 'path', 'args'), 'utf8')
        .trim()
        .split('\n'),
    ).toEqual(['-o', 'json', '--no-pager', '--unit=ssh.service', '--since=2024-01-01 00:00:00']);
    expect(script).toBe(join(dir, 'path', 'journalctl'));
  });

  it('passes --follow and keeps option-like values from being read as options', () => {
    expect(journalctlArgs({ follow: true, unit: '--rotate' })).toEqual([
      '-o',
      'json',
      '--no-pager',
      '--follow',
      '--unit=--rotate',
    ]);
  });

  it('goes on after a cursor, or shows a number of entries first, each value in --opt=value form', () => {
    expect(journalctlArgs({ follow: true, afterCursor: 's=1;i=2', lines: 0 })).toEqual([
      '-o',
      'json',
      '--no-pager',
      '--follow',
      '--after-cursor=s=1;i=2',
      '--lines=0',
    ]);
    expect(journalctlArgs({ lines: 'all' })).toEqual(['-o', 'json', '--no-pager', '--lines=all']);
  });

  it('says clearly when journalctl is missing', async () => {
    await expect(collect(journalLines({ journalctlPath: join(dir, 'nowhere', 'journalctl') }))).rejects.toThrow(
      `journalctl not found: ${join(dir, 'nowhere', 'journalctl')}`,
    );
  });

  it('reports a failing journalctl with its exit code and message, after the lines it gave', async () => {
    const path = fakeJournalctl(
      'fails',
      `echo '${entry('only')}'; echo 'Failed to add match: Invalid argument' >&2; exit 1`,
    );
    const lines: SourceLine[] = [];
    await expect(
      (async () => {
        for await (const line of journalLines({ journalctlPath: path, unit: 'bad' })) lines.push(line);
      })(),
    ).rejects.toThrow('journalctl failed (exit 1): Failed to add match: Invalid argument');
    expect(lines.map((line) => line.text)).toEqual([entry('only')]);
  });

  it('follows until aborted, then stops journalctl and ends cleanly', async () => {
    const path = fakeJournalctl('follow', `echo '${entry('live')}'; exec sleep 60`);
    const controller = new AbortController();
    const lines: SourceLine[] = [];
    for await (const line of journalLines({ journalctlPath: path, follow: true, signal: controller.signal })) {
      lines.push(line);
      controller.abort();
    }
    expect(lines.map((line) => line.text)).toEqual([entry('live')]);
    expect(readFileSync(join(dir, 'follow', 'args'), 'utf8')).toContain('--follow');
    const pid = Number(readFileSync(join(dir, 'follow', 'pid'), 'utf8'));
    for (let i = 0; i < 100 && alive(pid); i++) await sleep(10);
    expect(alive(pid)).toBe(false);
  });

  it('stops journalctl when the consumer stops early', async () => {
    const path = fakeJournalctl('early', `echo '${entry('one')}'; echo '${entry('two')}'; exec sleep 60`);
    for await (const line of journalLines({ journalctlPath: path, follow: true })) {
      expect(line.text).toBe(entry('one'));
      break;
    }
    const pid = Number(readFileSync(join(dir, 'early', 'pid'), 'utf8'));
    for (let i = 0; i < 100 && alive(pid); i++) await sleep(10);
    expect(alive(pid)).toBe(false);
  });
});
