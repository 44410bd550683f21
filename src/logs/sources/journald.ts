/**
 * Live journald: the lines of `journalctl -o json`, one JSON object each. The
 * JSON fields are read by the JSON format; a saved export is just a file.
 */
import { spawn } from 'node:child_process';
import type { SourceLine, SourceProblem } from '../line';
import { LineSplitter } from './line-splitter';

/** The `source` of every line read from journalctl. */
export const JOURNALD_SOURCE = 'journald';

/** Most stderr kept to explain a failure. */
const STDERR_BYTES = 4096;

/** Options of {@link journalLines}. */
export interface JournalOptions {
  /** Only this systemd unit (`-u`). */
  unit?: string;
  /** Keep reading new entries (`--follow`); stop with `signal` or by ending the iteration. */
  follow?: boolean;
  /** Entries since this time, in any form journalctl takes (`--since`). */
  since?: string;
  /** Entries after this cursor (`--after-cursor`): where a reader that saved the last one it took goes on. */
  afterCursor?: string;
  /** The newest entries shown before following (`--lines`; journalctl's default with `--follow` is 10). */
  lines?: number | 'all';
  /** The journalctl to run (default `journalctl` from PATH). */
  journalctlPath?: string;
  /** Stops reading: journalctl is terminated and the iteration ends. */
  signal?: AbortSignal;
  /** Longest line kept in bytes (default 1 MiB). */
  maxLineBytes?: number;
  /** Told about lines skipped (too long). */
  onProblem?: (problem: SourceProblem) => void;
}

/** The arguments given to journalctl; values go in `--opt=value` form so none is taken as an option. */
export function journalctlArgs(options: JournalOptions): string[] {
  const args = ['-o', 'json', '--no-pager'];
  if (options.follow) args.push('--follow');
  if (options.unit !== undefined) args.push(`--unit=${options.unit}`);
  if (options.since !== undefined) args.push(`--since=${options.since}`);
  if (options.afterCursor !== undefined) args.push(`--after-cursor=${options.afterCursor}`);
  if (options.lines !== undefined) args.push(`--lines=${options.lines}`);
  return args;
}

/**
 * Runs `journalctl -o json [--follow] [--unit=U] [--since=S]` and yields its
 * output lines with source `journald`. Throws `journalctl not found: PATH` when
 * it cannot be run, and `journalctl failed (exit N): STDERR` when it fails;
 * ending the iteration early or aborting terminates it.
 */
export async function* journalLines(options: JournalOptions = {}): AsyncGenerator<SourceLine> {
  const command = options.journalctlPath ?? 'journalctl';
  if (options.signal?.aborted) return;
  // env given explicitly: the caller's current process.env (PATH included), even where it was replaced.
  const child = spawn(command, journalctlArgs(options), { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  try {
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error(`journalctl not found: ${command}`, { cause: error });
    throw new Error(`journalctl could not be run: ${command}: ${(error as Error).message}`, { cause: error });
  }
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    if (stderr.length < STDERR_BYTES) stderr += chunk.toString('utf8', 0, STDERR_BYTES - stderr.length);
  });
  const stop = () => child.kill('SIGTERM');
  options.signal?.addEventListener('abort', stop, { once: true });
  const splitter = new LineSplitter(JOURNALD_SOURCE, {
    maxLineBytes: options.maxLineBytes,
    onProblem: options.onProblem,
    byteOffsets: false,
  });
  try {
    for await (const chunk of child.stdout) yield* splitter.push(chunk as Buffer);
    yield* splitter.end();
    const code = await exited;
    if (code !== 0 && !options.signal?.aborted) {
      throw new Error(`journalctl failed (exit ${code ?? 'by signal'}): ${stderr.trim()}`);
    }
  } finally {
    options.signal?.removeEventListener('abort', stop);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  }
}
