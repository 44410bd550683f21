import { ContextBus } from '../../src/core/bus';
import type { Finding } from '../../src/core/finding';

// Kinds for these tests only, added the way a third-party tracer adds its own.
declare module '../../src/index' {
  interface FindingKinds {
    'test.seed': { n: number };
    'test.echo': { n: number };
  }
}

const fixedClock = { now: () => 1_700_000_000_000 };

describe('ContextBus', () => {
  it('delivers a finding to every handler of its kind, with time and depth', async () => {
    const bus = new ContextBus({ clock: fixedClock });
    const seen: Finding<'test.seed'>[] = [];
    bus.on('test.seed', (finding) => void seen.push(finding));
    bus.on('test.seed', (finding) => void seen.push(finding));
    bus.publish({ kind: 'test.seed', key: 'a', tracer: 't', data: { n: 1 } });
    await bus.settled();
    expect(seen).toHaveLength(2);
    expect(seen[0]).toEqual({
      kind: 'test.seed',
      key: 'a',
      tracer: 't',
      at: 1_700_000_000_000,
      data: { n: 1 },
      depth: 0,
    });
  });

  it('de-duplicates by kind and key', async () => {
    const bus = new ContextBus();
    let calls = 0;
    bus.on('test.seed', () => void calls++);
    expect(bus.publish({ kind: 'test.seed', key: 'a', tracer: 't', data: { n: 1 } })).toBeDefined();
    expect(bus.publish({ kind: 'test.seed', key: 'a', tracer: 't', data: { n: 2 } })).toBeUndefined();
    expect(bus.publish({ kind: 'test.echo', key: 'a', tracer: 't', data: { n: 3 } })).toBeDefined();
    await bus.settled();
    expect(calls).toBe(1);
    expect(bus.get('test.seed', 'a')?.data).toEqual({ n: 1 });
    expect(bus.stats()).toMatchObject({ published: 2, duplicates: 1 });
  });

  it('records causedBy and waits in settled() for findings published by async handlers', async () => {
    const bus = new ContextBus();
    bus.on('test.seed', async (finding) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      bus.publish({
        kind: 'test.echo',
        key: finding.key,
        tracer: 'echo',
        data: { n: finding.data.n + 1 },
        causedBy: finding,
      });
    });
    const seed = bus.publish({ kind: 'test.seed', key: 'x', tracer: 't', data: { n: 1 } })!;
    await bus.settled();
    const [echo] = bus.findings('test.echo');
    expect(echo).toMatchObject({ key: 'x', data: { n: 2 }, causedBy: { kind: 'test.seed', key: 'x' }, depth: 1 });
    expect(bus.effectsOf(seed)).toEqual([echo]);
  });

  it('cuts a correlation loop at the depth bound', async () => {
    const bus = new ContextBus({ maxDepth: 3 });
    bus.on(
      'test.seed',
      (finding) =>
        void bus.publish({
          kind: 'test.echo',
          key: `${finding.key}+`,
          tracer: 't',
          data: finding.data,
          causedBy: finding,
        }),
    );
    bus.on(
      'test.echo',
      (finding) =>
        void bus.publish({
          kind: 'test.seed',
          key: `${finding.key}+`,
          tracer: 't',
          data: finding.data,
          causedBy: finding,
        }),
    );
    bus.publish({ kind: 'test.seed', key: 'k', tracer: 't', data: { n: 0 } });
    await bus.settled();
    expect(bus.findings().map((f) => f.depth)).toEqual([0, 1, 2, 3]);
    expect(bus.stats().tooDeep).toBe(1);
  });

  it('isolates a throwing handler as a bus.error finding and keeps the other handlers running', async () => {
    const bus = new ContextBus();
    let survived = false;
    bus.on(
      'test.seed',
      () => {
        throw new Error('boom');
      },
      'broken',
    );
    bus.on('test.seed', async () => Promise.reject(new Error('async boom')), 'rejecting');
    bus.on('test.seed', () => void (survived = true));
    bus.publish({ kind: 'test.seed', key: 'k', tracer: 't', data: { n: 0 } });
    await bus.settled();
    expect(survived).toBe(true);
    expect(bus.findings('bus.error').map((f) => [f.data.handler, f.data.error, f.causedBy])).toEqual([
      ['broken', 'boom', { kind: 'test.seed', key: 'k' }],
      ['rejecting', 'async boom', { kind: 'test.seed', key: 'k' }],
    ]);
    expect(bus.stats().handlerErrors).toBe(2);
  });

  it('stops delivering to an unsubscribed handler', async () => {
    const bus = new ContextBus();
    let calls = 0;
    const off = bus.on('test.seed', () => void calls++);
    off();
    bus.publish({ kind: 'test.seed', key: 'k', tracer: 't', data: { n: 0 } });
    await bus.settled();
    expect(calls).toBe(0);
  });
});

describe('ContextBus.revise', () => {
  it('updates the data of a published finding without running its handlers again', async () => {
    const bus = new ContextBus();
    let calls = 0;
    bus.on('test.seed', () => void calls++);
    bus.publish({ kind: 'test.seed', key: 'k', tracer: 't', data: { n: 1 } });
    await bus.settled();
    expect(bus.revise('test.seed', 'k', { n: 5 })).toBe(true);
    await bus.settled();
    expect(bus.get('test.seed', 'k')?.data).toEqual({ n: 5 });
    expect(calls).toBe(1);
  });

  it('refuses to revise a finding that was never published', () => {
    expect(new ContextBus().revise('test.seed', 'nope', { n: 1 })).toBe(false);
  });
});

describe('ContextBus with maxFindings', () => {
  const seed = (key: string, n = 0) => ({ kind: 'test.seed' as const, key, tracer: 't', data: { n } });

  it('keeps the newest findings, evicts the oldest and counts them', () => {
    const bus = new ContextBus({ maxFindings: 3 });
    for (let i = 0; i < 5000; i++) bus.publish(seed(`k${i}`));
    expect(bus.findings().map((f) => f.key)).toEqual(['k4997', 'k4998', 'k4999']);
    expect(bus.get('test.seed', 'k4996')).toBeUndefined();
    expect(bus.stats()).toMatchObject({ published: 5000, evicted: 4997 });
  });

  it('lets an evicted (kind, key) be published again, and refuses to revise it before', () => {
    const bus = new ContextBus({ maxFindings: 2 });
    bus.publish(seed('a', 1));
    bus.publish(seed('b'));
    bus.publish(seed('c'));
    expect(bus.revise('test.seed', 'a', { n: 2 })).toBe(false);
    expect(bus.publish(seed('a', 2))?.data).toEqual({ n: 2 });
    expect(bus.findings().map((f) => f.key)).toEqual(['c', 'a']);
    expect(bus.stats()).toMatchObject({ duplicates: 0, evicted: 2 });
  });

  it('finds effects among the findings it still keeps only', () => {
    const bus = new ContextBus({ maxFindings: 2 });
    const cause = bus.publish(seed('a'))!;
    bus.publish({ kind: 'test.echo', key: 'x', tracer: 't', data: { n: 1 }, causedBy: cause });
    bus.publish({ kind: 'test.echo', key: 'y', tracer: 't', data: { n: 2 }, causedBy: cause });
    bus.publish({ kind: 'test.echo', key: 'z', tracer: 't', data: { n: 3 }, causedBy: cause });
    expect(bus.effectsOf(cause).map((f) => f.key)).toEqual(['y', 'z']);
  });

  it('refuses a bound below one', () => {
    expect(() => new ContextBus({ maxFindings: 0 })).toThrow(RangeError);
  });
});
