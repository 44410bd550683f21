import { createEvent } from '../../src/core/event';
import { journalCursor, readyChunks } from '../../src/fleet/journal';

describe('journalCursor', () => {
  const event = (source: string, raw: string) => createEvent({ source, line: 1, raw });

  it.each([
    ['journald', '{"__CURSOR":"s=1;i=2","MESSAGE":"x"}', 's=1;i=2'],
    ['journald', '{"MESSAGE":"no cursor"}', undefined],
    ['journald', '{"__CURSOR":7}', undefined],
    ['journald', 'not json', undefined],
    ['/var/log/auth.log', '{"__CURSOR":"s=1;i=2"}', undefined],
  ])('of a %s line %s is %s', (source, raw, cursor) => {
    expect(journalCursor(event(source, raw))).toBe(cursor);
  });
});

describe('readyChunks', () => {
  async function* source() {
    yield 1;
    yield 2;
    yield 3;
    await new Promise((resolve) => setTimeout(resolve, 20));
    yield 4;
  }
  const all = async (chunks: AsyncIterable<number[]>) => {
    const out: number[][] = [];
    for await (const chunk of chunks) out.push(chunk);
    return out;
  };

  it('puts what is ready at once in one chunk, and what comes later in the next', async () => {
    expect(await all(readyChunks(source(), 100))).toEqual([[1, 2, 3], [4]]);
  });

  it('cuts a chunk at its most', async () => {
    expect(await all(readyChunks(source(), 2))).toEqual([[1, 2], [3], [4]]);
  });
});
