/**
 * Live capture through Debian's `tcpdump -w - -U`: its stdout is a pcap stream
 * the capture reader takes as it comes. We spawn it instead of binding libpcap
 * so nothing native has to compile.
 */
import { type ChildProcessByStdio, spawn } from 'node:child_process';
import type { Readable } from 'node:stream';

export interface TcpdumpOptions {
  /** Interface to capture on (`any` when absent: Linux cooked capture). */
  interface?: string;
  /** A BPF filter expression, passed to tcpdump as one argument. */
  filter?: string;
  /** The tcpdump binary (default `tcpdump` on PATH). */
  binary?: string;
}

/** A running tcpdump: its pcap stream, a way to stop it, and how it ended. */
export interface TcpdumpCapture {
  packets: AsyncIterable<Buffer>;
  /** Asks tcpdump to finish (SIGINT: it flushes and exits). */
  stop(): void;
  /** Resolves once tcpdump exited; rejects with a one-line reason when it could not run. */
  done: Promise<void>;
}

/** The tcpdump arguments for a capture to stdout, packet-buffered. */
export function tcpdumpArgs(options: TcpdumpOptions): string[] {
  const args = ['-i', options.interface ?? 'any', '-w', '-', '-U', '-n'];
  if (options.filter !== undefined) args.push('--', options.filter);
  return args;
}

/** Starts tcpdump; read `packets` to the end, then await `done`. */
export function startTcpdump(options: TcpdumpOptions): TcpdumpCapture {
  const binary = options.binary ?? 'tcpdump';
  const child: ChildProcessByStdio<null, Readable, Readable> = spawn(binary, tcpdumpArgs(options), {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => {
    // Only the last lines matter (the reason it stopped); keep the tail bounded.
    stderr = (stderr + text).slice(-4096);
  });
  const done = new Promise<void>((resolve, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        new Error(
          error.code === 'ENOENT'
            ? `${binary} not found: install Debian's tcpdump package (apt-get install tcpdump)`
            : `${binary}: ${error.message}`,
        ),
      );
    });
    child.once('close', (code, signal) => {
      if (code === 0 || signal === 'SIGINT' || signal === 'SIGTERM') resolve();
      else reject(new Error(`${binary} exited with ${code ?? signal}: ${reason(stderr)}`));
    });
  });
  // The stream's own error (after a failed spawn) is the same failure `done` reports.
  child.stdout.on('error', () => undefined);
  done.catch(() => undefined);
  return {
    packets: child.stdout,
    stop: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
    },
    done,
  };
}

/** tcpdump's complaint on one line (it spreads one over two: the error, then its cause in brackets). */
function reason(stderr: string): string {
  const lines = stderr.split('\n').filter((line) => line.trim() && !line.startsWith('listening on'));
  return lines.slice(-2).join(' ') || 'no message';
}
