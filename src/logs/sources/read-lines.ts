/**
 * Reading files, .gz, directories, globs and stdin as one stream of lines, with
 * per-input counts. One input's failure is reported and the others are read.
 */
import { open } from 'node:fs/promises';
import type { SourceLine, SourceProblem } from '../line';
import { decompress, type DecodeInfo, type Encoding } from './decompress';
import { expandInputs, type ExpandedInput } from './expand';
import { LineSplitter } from './line-splitter';
import { SourceFailure, problemFromError } from './source-failure';

const CHUNK_BYTES = 256 * 1024;

/** What was read from one input; the CLI reports these as `inputs`. */
export interface InputStats {
  /** File path, or `-` for stdin. */
  source: string;
  /** Lines yielded. */
  lines: number;
  /** Lines skipped (too long, binary). */
  skipped: number;
  /** Bytes read from the input (compressed bytes for .gz). */
  bytes: number;
  /** Encoding found from the magic bytes, once the input was opened. */
  encoding?: Encoding;
  /** Why the input could not be read, or stopped early (first such problem). */
  error?: string;
}

/** Options of {@link readLines}. */
export interface ReadOptions {
  /** Longest line kept in bytes (default 1 MiB); longer ones are skipped as `too-long`. */
  maxLineBytes?: number;
  /** Told about each problem: whole inputs (missing, truncated, ...) and single lines (too long, binary). */
  onProblem?: (problem: SourceProblem) => void;
  /** What `-` reads (default `process.stdin`). */
  stdin?: NodeJS.ReadableStream;
}

async function* counted(chunks: AsyncIterable<Buffer | string>, stats: InputStats): AsyncGenerator<Buffer> {
  for await (const chunk of chunks) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    stats.bytes += buffer.length;
    yield buffer;
  }
}

/** The raw bytes of one input; a regular file is checked for shrinking while it was read. */
async function* rawBytes(
  input: ExpandedInput,
  stats: InputStats,
  stdin: NodeJS.ReadableStream,
): AsyncGenerator<Buffer> {
  if (input.type === 'stdin') {
    yield* counted(stdin as AsyncIterable<Buffer | string>, stats);
    return;
  }
  const handle = await open(input.path, 'r').catch((error: NodeJS.ErrnoException) => {
    // It was there when the inputs were expanded.
    if (error.code === 'ENOENT') throw new SourceFailure('vanished', 'removed before it could be read');
    throw error;
  });
  try {
    const before = await handle.stat();
    if (before.isDirectory()) throw new SourceFailure('not-a-file', 'a directory, not a file');
    yield* counted(handle.createReadStream({ highWaterMark: CHUNK_BYTES, autoClose: false }), stats);
    if (before.isFile() && stats.bytes < before.size) {
      const after = await handle.stat();
      if (after.size < before.size) {
        throw new SourceFailure(
          'truncated',
          `file shrank from ${before.size} to ${after.size} bytes while being read (${stats.bytes} bytes read)`,
        );
      }
    }
  } finally {
    await handle.close();
  }
}

/**
 * The lines of one expanded input, a chunk's worth at a time. Never throws for
 * the input's own failures: they go to `onProblem` after every complete line
 * that could be read (a line cut by the failure is skipped, see
 * {@link LineSplitter.abandon}).
 */
export async function* readInputBatches(
  input: ExpandedInput,
  stats: InputStats,
  options: ReadOptions & { onProblem: (problem: SourceProblem) => void },
): AsyncGenerator<SourceLine[]> {
  const splitter = new LineSplitter(input.path, { maxLineBytes: options.maxLineBytes, onProblem: options.onProblem });
  const info: DecodeInfo = { encoding: 'plain' };
  let failure: unknown;
  try {
    for await (const chunk of decompress(rawBytes(input, stats, options.stdin ?? process.stdin), info)) {
      const lines = splitter.push(chunk);
      stats.lines = splitter.lines;
      stats.skipped = splitter.skipped;
      if (lines.length > 0) yield lines;
    }
  } catch (error) {
    failure = error;
  }
  if (stats.bytes > 0) stats.encoding = info.encoding;
  let last: SourceLine[] = [];
  if (failure === undefined) {
    last = splitter.end();
  } else {
    options.onProblem(problemFromError(input.path, failure));
    splitter.abandon();
  }
  stats.lines = splitter.lines;
  stats.skipped = splitter.skipped;
  if (last.length > 0) yield last;
}

/**
 * Lines from files, .gz files, directories, globs and stdin (`-`), in the order
 * of {@link expandInputs} (rotated sets oldest first). Iterate it (or its
 * `batches()`) once; the counts per input are in `inputs`, filled as reading goes.
 */
export class LineReader implements AsyncIterable<SourceLine> {
  /** One entry per input read or refused, in the order met. */
  readonly inputs: InputStats[] = [];

  constructor(
    private readonly given: string[],
    private readonly options: ReadOptions = {},
  ) {}

  /**
   * The lines in batches (those of one chunk read): the fast path for a
   * consumer that handles many lines per await.
   */
  async *batches(): AsyncGenerator<SourceLine[]> {
    this.inputs.length = 0;
    const bySource = new Map<string, InputStats>();
    const statsFor = (source: string): InputStats => {
      let stats = bySource.get(source);
      if (!stats) {
        stats = { source, lines: 0, skipped: 0, bytes: 0 };
        bySource.set(source, stats);
        this.inputs.push(stats);
      }
      return stats;
    };
    const onProblem = (problem: SourceProblem): void => {
      if (problem.line === undefined) statsFor(problem.source).error ??= `${problem.kind}: ${problem.message}`;
      this.options.onProblem?.(problem);
    };
    const expanded = await expandInputs(this.given, { onProblem });
    for (const input of expanded) {
      yield* readInputBatches(input, statsFor(input.path), { ...this.options, onProblem });
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<SourceLine> {
    for await (const batch of this.batches()) {
      for (const line of batch) yield line;
    }
  }
}

/** Reads `inputs` (paths, globs, directories, `-`) as one async iterable of lines; see {@link LineReader}. */
export function readLines(inputs: string[], options: ReadOptions = {}): LineReader {
  return new LineReader(inputs, options);
}
