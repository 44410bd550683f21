/**
 * Runs `logsleuth` in-process with captured output, as every CLI test does:
 * what it printed to stdout and stderr, and its exit code.
 */
import { Readable } from 'node:stream';
import type { CliIo } from '../../src/cli/io';
import { main } from '../../src/cli/main';

/** What one in-process run of `logsleuth` printed, and its exit code. */
export interface CliOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `logsleuth ...args` (stdin empty unless given); stdout is not a TTY. */
export async function cli(
  args: readonly string[],
  stdin: NodeJS.ReadableStream = Readable.from([]),
): Promise<CliOutcome> {
  const io = {
    stdout: '',
    stderr: '',
    out: (text: string) => void (io.stdout += text),
    err: (text: string) => void (io.stderr += text),
    isTTY: false,
    stdin,
  } satisfies CliIo & { stdout: string; stderr: string };
  const code = await main(['node', 'logsleuth', ...args], io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}
