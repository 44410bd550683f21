/**
 * The store's failures as one-line messages for people: a path that is not a
 * DuckDB file, a store another process holds, a newer schema than this
 * logsleuth knows.
 */

export type StoreErrorCode = 'not-a-store' | 'locked' | 'newer-schema' | 'unreadable' | 'write-failed';

/** A store that cannot be opened or used, with a message fit for one line. */
export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

/** Turns DuckDB's open failure into a StoreError (DuckDB allows one writing process per file). */
export function openFailure(path: string, error: unknown): StoreError {
  const message = error instanceof Error ? error.message : String(error);
  if (message.includes('Could not set lock') || message.includes('Conflicting lock')) {
    const pid = pidIn(message);
    return new StoreError(
      'locked',
      `${path} is in use by another process${pid ? ` (PID ${pid})` : ''}, e.g. a running 'logsleuth record'; ` +
        'DuckDB allows one writer: stop it, or query a copy',
    );
  }
  if (
    message.includes('not a valid DuckDB database') ||
    message.includes('database file') ||
    message.includes('Corrupt')
  ) {
    return new StoreError('not-a-store', `${path} is not a DuckDB store (or is truncated); left untouched`);
  }
  return new StoreError('unreadable', `cannot open the store ${path}: ${message.split('\n')[0]}`);
}

/** The pid DuckDB names in a lock conflict ("... PID 4242 ..."), read without a regex. */
function pidIn(message: string): string | undefined {
  const at = message.indexOf('PID ');
  if (at < 0) return undefined;
  let end = at + 4;
  while (end < message.length && message[end]! >= '0' && message[end]! <= '9') end++;
  return end > at + 4 ? message.slice(at + 4, end) : undefined;
}
