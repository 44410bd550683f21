import { main } from '../../src/cli/main';
import type { CliIo } from '../../src/cli/io';

function capture(): CliIo & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    out: (text: string) => void (io.stdout += text),
    err: (text: string) => void (io.stderr += text),
    isTTY: false,
    stdin: process.stdin,
  };
  return io;
}

const run = async (...args: string[]) => {
  const io = capture();
  const code = await main(['node', 'logsleuth', ...args], io);
  return { code, ...io };
};

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
