/**
 * Turning what went wrong with one input into a SourceProblem, so that input is
 * reported and the others are still read.
 */
import type { SourceProblem } from '../line';

/** A failure of one whole input, thrown inside the sources and reported as a problem, never out of them. */
export class SourceFailure extends Error {
  constructor(
    readonly kind: SourceProblem['kind'],
    message: string,
  ) {
    super(message);
    this.name = 'SourceFailure';
  }
}

/** The problem for `source` that `error` (a SourceFailure, a Node system error, a zlib error) describes. */
export function problemFromError(source: string, error: unknown): SourceProblem {
  if (error instanceof SourceFailure) return { source, kind: error.kind, message: error.message };
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const detail = error instanceof Error ? error.message : String(error);
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return { source, kind: 'missing', message: 'no such file' };
    case 'ELOOP':
      return { source, kind: 'unreadable', message: 'symbolic link loop' };
    case 'EACCES':
    case 'EPERM':
      return { source, kind: 'unreadable', message: 'permission denied' };
    case 'EISDIR':
      return { source, kind: 'not-a-file', message: 'a directory, not a file' };
    default:
      return { source, kind: 'unreadable', message: code ? `${code}: ${detail}` : detail };
  }
}
