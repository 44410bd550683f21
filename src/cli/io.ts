/**
 * What a CLI command writes to and reads from, injected so tests can run the
 * CLI in-process and read exactly what it printed.
 */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Whether stdout is a terminal (colour, progress bars). */
  readonly isTTY: boolean;
  /** Whether stderr is a terminal (progress lines). */
  readonly errIsTTY?: boolean;
  readonly stdin: NodeJS.ReadableStream;
}

/** A command's outcome: commands set `exitCode` instead of calling process.exit. */
export interface CliRun {
  readonly io: CliIo;
  exitCode: number;
}

let readerWatched = false;

/**
 * A reader that stops reading (`logsleuth analyze --json | head`) ends the run
 * quietly, as it ends other Unix tools, instead of an unhandled EPIPE and a
 * stack trace. Registered on the first write, so importing the CLI touches no
 * process stream.
 */
function endWhenReaderCloses(): void {
  if (readerWatched) return;
  readerWatched = true;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(0);
  });
}

export const processIo: CliIo = {
  out: (text) => {
    endWhenReaderCloses();
    process.stdout.write(text);
  },
  err: (text) => void process.stderr.write(text),
  isTTY: Boolean(process.stdout.isTTY),
  errIsTTY: Boolean(process.stderr.isTTY),
  stdin: process.stdin,
};

/** A one-line error for the user: what went wrong, never a stack trace. */
export function fail(run: CliRun, message: string, code = 1): void {
  run.io.err(`logsleuth: ${message}\n`);
  run.exitCode = Math.max(run.exitCode, code);
}

/** Commander's collector for a repeatable option: every value given, in order. */
export const collectValues = (value: string, previous: string[]): string[] => [...previous, value];

/** Runs `work` with a signal that the first SIGINT or SIGTERM aborts; resolves with what it resolves to. */
export async function untilInterrupted<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    return await work(controller.signal);
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
