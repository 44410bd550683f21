/**
 * Merges live sources (followed files, journald) into one stream in the order
 * their values come, not one source after another.
 */

/** Interleaves async iterables: each value as soon as any of them yields it. */
export async function* interleave<T>(sources: AsyncIterable<T>[]): AsyncGenerator<T> {
  const iterators = sources.map((source) => source[Symbol.asyncIterator]());
  const next = (i: number) => iterators[i]!.next().then((result) => ({ i, result }));
  const pending = new Map(iterators.map((_, i) => [i, next(i)]));
  while (pending.size > 0) {
    const { i, result } = await Promise.race(pending.values());
    if (result.done) pending.delete(i);
    else {
      pending.set(i, next(i));
      yield result.value;
    }
  }
}
