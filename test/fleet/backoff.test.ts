import { MAX_BACKOFF_MS, backoffMs } from '../../src/fleet/backoff';

describe('backoffMs', () => {
  it('doubles from 100 ms, between half and all of the step', () => {
    expect([0, 1, 2, 3].map((attempt) => backoffMs(attempt, 0))).toEqual([50, 100, 200, 400]);
    expect([0, 1, 2, 3].map((attempt) => backoffMs(attempt, 0.999999))).toEqual([100, 200, 400, 800]);
  });

  it('never waits more than the cap, however many attempts failed', () => {
    expect(backoffMs(10, 0.999999)).toBe(MAX_BACKOFF_MS);
    expect(backoffMs(1_000_000, 0)).toBe(MAX_BACKOFF_MS / 2);
  });
});
