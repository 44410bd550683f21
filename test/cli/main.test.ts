import { cli } from '../helpers/cli';

const run = (...args: string[]) => cli(args);

describe('logsleuth CLI', () => {
  it('prints its version', async () => {
    const { code, stdout } = await run('--version');
    expect(code).toBe(0);
    expect(stdout.trim()).toBe(require('../../package.json').version);
  });

  it('prints help with --help', async () => {
    const { code, stdout } = await run('--help');
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: logsleuth');
  });

  it('fails clearly on an unknown command', async () => {
    const { code, stderr } = await run('frobnicate');
    expect(code).toBe(1);
    expect(stderr).toMatch(/error: (unknown command 'frobnicate'|too many arguments)/);
  });

  it('fails clearly on a bad flag', async () => {
    const { code, stderr } = await run('--no-such-flag');
    expect(code).toBe(1);
    expect(stderr).toContain("error: unknown option '--no-such-flag'");
  });
});
