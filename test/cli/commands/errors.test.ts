import { join } from 'node:path';
import { cli } from '../../helpers/cli';

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'errors');

const run = (...args: string[]) => cli(args);

describe('logsleuth errors', () => {
  it('prints the distinct problems, most important first, with hints and actions', async () => {
    const { code, stdout, stderr } = await run('errors', join(FIXTURES, 'app.log'), '--format', 'syslog');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe('7 errors in 8 events: 3 distinct problems');
    const headlines = lines.filter((line) => line.startsWith('['));
    expect(headlines.map((line) => line.split(' ').slice(0, 3).join(' '))).toEqual([
      '[85] disk/no-space x3,',
      '[65] database/deadlock x3,',
      '[90] memory/oom-kill x1',
    ]);
    expect(stdout).toContain('  hint: The disk holding /var/lib/app/spool/job-17.tmp is full (ENOSPC)');
    expect(stdout).toContain('  write <*> no space left on device');
  });

  it('prints a JSON array with --json', async () => {
    const { code, stdout } = await run(
      'errors',
      join(FIXTURES, 'app.log'),
      '--format',
      'syslog',
      '--json',
      '--limit',
      '2',
    );
    expect(code).toBe(0);
    const problems = JSON.parse(stdout) as { category: string; subkind: string; count: number; signature: string }[];
    expect(problems.map((p) => [p.category, p.subkind, p.count])).toEqual([
      ['disk', 'no-space', 3],
      ['database', 'deadlock', 3],
    ]);
    expect(problems[0]!.signature).toMatch(/^[0-9a-f]{16}$/);
  });

  it('escapes terminal control sequences from the log', async () => {
    const { stdout } = await run('errors', join(FIXTURES, 'hostile.log'), '--format', 'syslog');
    expect(stdout).not.toContain('\x1b');
    expect(stdout).not.toContain('\x07');
    expect(stdout).toContain('  PermissionError: [Errno <*>] Permission denied: \\x1b[Hpwned\\x07 spool\n');
  });

  it('refuses a bad --limit with exit code 2', async () => {
    const { code, stderr } = await run('errors', join(FIXTURES, 'app.log'), '--limit', 'many');
    expect(code).toBe(2);
    expect(stderr).toBe("logsleuth: --limit needs a positive whole number, got 'many'\n");
  });

  it('reports a missing input and still exits non-zero', async () => {
    const { code, stderr } = await run('errors', join(FIXTURES, 'no-such.log'));
    expect(code).toBe(1);
    expect(stderr).toContain('no-such.log');
  });
});
