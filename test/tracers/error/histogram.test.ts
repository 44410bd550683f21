import { TimeHistogram } from '../../../src/tracers/error/histogram';

const T0 = Date.parse('2024-03-01T10:00:00Z');
const minute = 60_000;

describe('TimeHistogram', () => {
  it('counts per minute bucket', () => {
    const h = new TimeHistogram(minute, 10);
    h.add(T0);
    h.add(T0 + 30_000);
    h.add(T0 + 2 * minute);
    expect(h.buckets()).toEqual([
      { start: T0, width: minute, count: 2 },
      { start: T0 + 2 * minute, width: minute, count: 1 },
    ]);
    expect(h.peakPerMinute()).toBe(2);
  });

  it('doubles its width instead of growing past maxBuckets', () => {
    const h = new TimeHistogram(minute, 4);
    for (let i = 0; i < 16; i++) h.add(T0 + i * minute);
    expect(h.width).toBe(4 * minute);
    expect(h.buckets().map((b) => b.count)).toEqual([4, 4, 4, 4]);
    expect(h.buckets().reduce((sum, b) => sum + b.count, 0)).toBe(16);
  });

  it('takes out-of-order times before its first bucket, even far earlier, within its bound', () => {
    const h = new TimeHistogram(minute, 8);
    h.add(T0);
    h.add(T0 - 3 * minute);
    h.add(T0 - 365 * 24 * 60 * minute);
    expect(h.buckets().length).toBeLessThanOrEqual(8);
    expect(h.buckets().reduce((sum, b) => sum + b.count, 0)).toBe(3);
  });

  it('tells whether occurrences fall in a window', () => {
    const h = new TimeHistogram(minute, 10);
    h.add(T0 + 5 * minute);
    expect(h.overlaps(T0, T0 + 5 * minute)).toBe(true);
    expect(h.overlaps(T0, T0 + 4 * minute)).toBe(false);
  });
});
