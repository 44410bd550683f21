/**
 * What the agent needs of journald beyond `journalLines`: each entry's cursor
 * (journalctl's JSON has it as `__CURSOR`), which names a batch of journald
 * events (its dedup id) and is where a restarted agent goes on
 * (`--after-cursor`); and the entries in chunks, as files come, so a busy
 * journal is published in batches, not one message per entry.
 */
import type { LogEvent } from '../core/event';
import { JOURNALD_SOURCE } from '../logs/sources';

/** The journald cursor of an event read from journalctl, or undefined (another source, or no cursor). */
export function journalCursor(event: Pick<LogEvent, 'source' | 'raw'>): string | undefined {
  if (event.source !== JOURNALD_SOURCE) return undefined;
  try {
    const cursor = (JSON.parse(event.raw) as { __CURSOR?: unknown }).__CURSOR;
    return typeof cursor === 'string' && cursor !== '' ? cursor : undefined;
  } catch {
    return undefined;
  }
}

const NOT_READY = Symbol('not ready');

/**
 * Chunks of `source`'s values: each chunk holds the first value and every one
 * that is ready by the next turn of the event loop (journalctl's lines of one
 * read), at most `max`.
 */
export async function* readyChunks<T>(source: AsyncIterable<T>, max: number): AsyncGenerator<T[]> {
  const iterator = source[Symbol.asyncIterator]();
  try {
    let pending = iterator.next();
    for (;;) {
      const first = await pending;
      if (first.done) return;
      const chunk = [first.value];
      pending = iterator.next();
      while (chunk.length < max) {
        const next = await Promise.race([
          pending,
          new Promise<typeof NOT_READY>((resolve) => setImmediate(resolve, NOT_READY)),
        ]);
        if (next === NOT_READY) break;
        if (next.done) {
          yield chunk;
          return;
        }
        chunk.push(next.value);
        pending = iterator.next();
      }
      yield chunk;
    }
  } finally {
    // Stopped early: journalctl is stopped with the source.
    void iterator.return?.();
  }
}
