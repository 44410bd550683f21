import fc from 'fast-check';
import { EvictionIndex, decayedScore, selectNth } from '../../../src/tracers/ip/eviction';
import { decayFactor } from '../../../src/tracers/ip/score';

const DAY = 24 * 3600_000;

interface Candidate {
  id: number;
  score: number;
  lastSeen: number | undefined;
}

/**
 * The eviction as the tracker did it before the index: decayed scores over the
 * table in order of addition, a count per score for the cut, the cut's last
 * activities sorted, then one pass evicting in order of addition.
 */
function referenceEvict(
  table: Map<number, Candidate>,
  wanted: number,
  reference: number | undefined,
  halfLifeMs: number,
): number[] {
  const all = [...table.values()];
  const effective = all.map((c) => {
    const age = reference === undefined || c.lastSeen === undefined ? 0 : reference - c.lastSeen;
    return new Uint8Array([Math.floor(c.score * decayFactor(age, halfLifeMs))])[0]!;
  });
  const perScore = new Uint32Array(101);
  for (const score of effective) perScore[score]!++;
  let cut = 0;
  let below = 0;
  while (below + perScore[cut]! < wanted) below += perScore[cut++]!;
  const atCut = Float64Array.from(
    all.filter((_, i) => effective[i] === cut).map((c) => c.lastSeen ?? -Infinity),
  ).sort();
  const lastEvictedTime = atCut[wanted - below - 1]!;
  let budget = wanted - below;
  const evicted: number[] = [];
  all.forEach((c, i) => {
    const score = effective[i]!;
    if (score < cut || (score === cut && budget > 0 && (c.lastSeen ?? -Infinity) <= lastEvictedTime)) {
      if (score === cut) budget--;
      evicted.push(c.id);
      table.delete(c.id);
    }
  });
  return evicted;
}

const op = fc.oneof(
  fc.record({
    kind: fc.constant('add' as const),
    score: fc.oneof(fc.constantFrom(0, 5, 7, 100), fc.integer({ min: 0, max: 100 })),
    lastSeen: fc.option(
      fc.integer({ min: 0, max: 40 }).map((d) => d * DAY),
      { nil: undefined },
    ),
  }),
  fc.record({
    kind: fc.constant('update' as const),
    pick: fc.nat(),
    score: fc.integer({ min: 0, max: 100 }),
    lastSeen: fc.option(
      fc.integer({ min: 0, max: 40 }).map((d) => d * DAY),
      { nil: undefined },
    ),
  }),
  fc.record({
    kind: fc.constant('evict' as const),
    share: fc.double({ min: 0, max: 1, noNaN: true }),
    reference: fc.option(
      fc.integer({ min: 0, max: 50 }).map((d) => d * DAY),
      { nil: undefined },
    ),
  }),
);

describe('selectNth', () => {
  it('finds the k-th smallest value, as sorting would', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ noNaN: true, noDefaultInfinity: false }), { minLength: 1 }),
        fc.nat(),
        (values, pick) => {
          const k = pick % values.length;
          const sorted = Float64Array.from(values).sort();
          expect(selectNth(Float64Array.from(values), values.length, k)).toBe(sorted[k]);
        },
      ),
    );
  });
});

describe('decayedScore', () => {
  it('is the floor of the score times the exact decay factor, near whole numbers too', () => {
    const halfLifeMs = 7 * DAY;
    // Ages where the product is exactly a whole number: score 2^n decayed n half-lives.
    const whole = fc.integer({ min: 0, max: 6 }).map((n) => ({ score: 2 ** n, age: n * halfLifeMs }));
    const nearWhole = fc
      .tuple(whole, fc.integer({ min: -3, max: 3 }))
      .map(([{ score, age }, delta]) => ({ score, age: age + delta }));
    const any = fc.record({ score: fc.integer({ min: 0, max: 100 }), age: fc.integer({ min: -DAY, max: 400 * DAY }) });
    fc.assert(
      fc.property(fc.oneof(whole, nearWhole, any), fc.constantFrom(0, halfLifeMs, 3600_000), ({ score, age }, h) => {
        expect(decayedScore(score, age, h)).toBe(Math.floor(score * decayFactor(age, h)));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('EvictionIndex', () => {
  it('evicts exactly what a scan of the whole table in order of addition evicted', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), fc.constantFrom(0, 7 * DAY), (ops, halfLifeMs) => {
        const index = new EvictionIndex<Candidate>();
        const table = new Map<number, Candidate>();
        const slots = new Map<number, number>();
        let next = 0;
        for (const step of ops) {
          if (step.kind === 'add') {
            const candidate = { id: next++, score: step.score, lastSeen: step.lastSeen };
            table.set(candidate.id, candidate);
            slots.set(candidate.id, index.add(candidate, candidate.score, candidate.lastSeen));
          } else if (step.kind === 'update') {
            const live = [...table.values()];
            if (!live.length) continue;
            const candidate = live[step.pick % live.length]!;
            candidate.score = step.score;
            candidate.lastSeen = step.lastSeen;
            index.update(slots.get(candidate.id)!, candidate.score, candidate.lastSeen);
          } else if (table.size > 0) {
            const wanted = Math.max(1, Math.floor(table.size * step.share));
            const expected = referenceEvict(table, wanted, step.reference, halfLifeMs);
            const evicted = index.evict(wanted, step.reference, halfLifeMs).map((c) => c.id);
            expect(evicted.sort((a, b) => a - b)).toEqual(expected.sort((a, b) => a - b));
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('keeps the highest scores: an address scoring above the cut is never evicted', () => {
    const index = new EvictionIndex<string>();
    index.add('heavy', 63, 0);
    for (let i = 0; i < 99; i++) index.add(`quiet-${i}`, 0, i);
    const evicted = index.evict(50, 100, 7 * DAY);
    expect(evicted).toHaveLength(50);
    expect(evicted).not.toContain('heavy');
    expect(evicted).toEqual(Array.from({ length: 50 }, (_, i) => `quiet-${i}`));
  });
});
