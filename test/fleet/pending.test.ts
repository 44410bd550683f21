import { createEvent } from '../../src/core/event';
import { type PendingChunk, PendingQueue } from '../../src/fleet/pending';

const chunk = (n: number, from = 0): PendingChunk => ({
  events: Array.from({ length: n }, (_, i) => createEvent({ source: 'a.log', line: from + i + 1, raw: 'x' })),
  files: new Map(),
});

describe('PendingQueue', () => {
  it('hands out chunks in order, then nothing once closed and empty', async () => {
    const queue = new PendingQueue(10);
    await queue.put(chunk(2));
    await queue.put(chunk(3, 2));
    queue.close();
    expect((await queue.take())!.events.map((event) => event.line)).toEqual([1, 2]);
    expect((await queue.take())!.events.map((event) => event.line)).toEqual([3, 4, 5]);
    expect(await queue.take()).toBeUndefined();
  });

  it('drops the newest events when full in drop mode, and counts them', async () => {
    const told: number[] = [];
    const queue = new PendingQueue(4, 'drop', (events) => told.push(events));
    await queue.put(chunk(3));
    await queue.put(chunk(3, 3));
    await queue.put(chunk(2, 6));
    expect(queue.dropped).toBe(4);
    expect(told).toEqual([2, 2]);
    const first = (await queue.take())!;
    expect((await queue.take())!.events.map((event) => event.line)).toEqual([4]);
    // Events being published still count until they are settled.
    await queue.put(chunk(1, 8));
    expect(queue.dropped).toBe(5);
    await queue.done(first);
    await queue.put(chunk(1, 9));
    expect(queue.dropped).toBe(5);
  });

  it('takes a chunk larger than its capacity when empty, in either mode', async () => {
    for (const mode of ['wait', 'drop'] as const) {
      const queue = new PendingQueue(2, mode);
      await queue.put(chunk(5));
      expect(queue.dropped).toBe(0);
      expect((await queue.take())!.events).toHaveLength(5);
    }
  });

  it('waits for room in wait mode, and stops waiting when aborted', async () => {
    const queue = new PendingQueue(4);
    await queue.put(chunk(3));
    let queued = false;
    const waiting = queue.put(chunk(2, 3)).then(() => (queued = true));
    const taken = (await queue.take())!;
    await new Promise((resolve) => setImmediate(resolve));
    expect(queued).toBe(false);
    await queue.done(taken);
    await waiting;
    expect((await queue.take())!.events.map((event) => event.line)).toEqual([4, 5]);

    const controller = new AbortController();
    const full = new PendingQueue(1);
    await full.put(chunk(1));
    const given = full.put(chunk(1, 1), controller.signal);
    controller.abort();
    await given;
    full.close();
    expect((await full.take())!.events).toHaveLength(1);
    expect(await full.take()).toBeUndefined();
  });
});
