import {
  DEFAULT_SCORE_PARAMS,
  type ScoreEvidence,
  decayFactor,
  resolveScoreParams,
  scoreEvidence,
} from '../../../src/tracers/ip/score';

const DAY = 24 * 3600_000;
const T = Date.UTC(2026, 0, 10, 12, 0, 0);

function evidence(init: Partial<ScoreEvidence>): ScoreEvidence {
  return {
    failedLogins: 0,
    invalidUsers: 0,
    otherHostile: 0,
    probes: 0,
    bans: 0,
    successAfterFailures: 0,
    distinctUsers: 0,
    distinctPorts: 0,
    maxBurst: 0,
    knownMalicious: false,
    lastSeen: T,
    ...init,
  };
}

const sum = (reasons: { points: number }[]) => Math.round(reasons.reduce((total, r) => total + r.points, 0));

describe('threat score', () => {
  it("scores what fail2ban's default sshd jail bans (5 failures within 10 minutes) at the blacklist threshold", () => {
    const { score, reasons } = scoreEvidence(
      evidence({ failedLogins: 5, maxBurst: 5, distinctUsers: 1 }),
      DEFAULT_SCORE_PARAMS,
      T,
    );
    expect(score).toBe(70);
    expect(score).toBeGreaterThanOrEqual(DEFAULT_SCORE_PARAMS.blacklistThreshold);
    expect(reasons).toEqual([
      { code: 'burst', text: '5 hostile events within 10 minutes', points: 45 },
      { code: 'auth_failures', text: '5 hostile authentication events (5 failed logins)', points: 25 },
    ]);
  });

  it('keeps 4 failures spread over a day below the watch threshold', () => {
    const { score } = scoreEvidence(
      evidence({ failedLogins: 4, maxBurst: 1, distinctUsers: 1 }),
      DEFAULT_SCORE_PARAMS,
      T,
    );
    expect(score).toBe(20);
    expect(score).toBeLessThan(DEFAULT_SCORE_PARAMS.watchThreshold);
  });

  it('watches but does not blacklist 4 failures within 10 minutes', () => {
    const { score } = scoreEvidence(evidence({ failedLogins: 4, maxBurst: 4 }), DEFAULT_SCORE_PARAMS, T);
    expect(score).toBe(56);
  });

  it('gives a success after failures the largest single term', () => {
    const { score, reasons } = scoreEvidence(
      evidence({ failedLogins: 1, maxBurst: 1, successAfterFailures: 1 }),
      DEFAULT_SCORE_PARAMS,
      T,
    );
    expect(reasons[0]).toEqual({
      code: 'success_after_failures',
      text: '1 successful login after failures: a likely compromise',
      points: 50,
    });
    expect(Math.max(...reasons.map((r) => r.points))).toBe(50);
    expect(score).toBe(55);
  });

  it('explains every point: the reasons add up to the score, a cap included', () => {
    const { score, reasons } = scoreEvidence(
      evidence({ failedLogins: 20, invalidUsers: 20, maxBurst: 40, distinctUsers: 15, bans: 2, probes: 3 }),
      DEFAULT_SCORE_PARAMS,
      T,
    );
    expect(score).toBe(100);
    expect(reasons.map((r) => r.code)).toEqual([
      'banned',
      'burst',
      'auth_failures',
      'invalid_users',
      'user_spray',
      'probes',
      'cap',
    ]);
    expect(reasons.find((r) => r.code === 'cap')).toEqual({ code: 'cap', text: 'capped at 100', points: -65 });
    expect(sum(reasons)).toBe(score);
  });

  it("decays by the half-life against the log's own clock, not the wall clock", () => {
    const e = evidence({ failedLogins: 5, maxBurst: 5, lastSeen: T - 7 * DAY });
    const { score, reasons } = scoreEvidence(e, DEFAULT_SCORE_PARAMS, T);
    expect(score).toBe(35);
    expect(reasons.map((r) => [r.code, r.points])).toEqual([
      ['burst', 22.5],
      ['auth_failures', 12.5],
      ['decay', 0],
    ]);
    expect(reasons[2]!.text).toBe('last active 7.0 days before the latest event: points × 0.500');
    expect(scoreEvidence(e, DEFAULT_SCORE_PARAMS).score).toBe(70);
  });

  it('does not decay when the half-life is 0', () => {
    expect(decayFactor(100 * DAY, 0)).toBe(1);
    expect(decayFactor(-5, DAY)).toBe(1);
    expect(decayFactor(DAY, DAY)).toBe(0.5);
  });

  it('takes weights and thresholds from the caller, keeping the other defaults', () => {
    const params = resolveScoreParams({ blacklistThreshold: 90, weights: { authFailures: { per: 10, max: 50 } } });
    expect(params.blacklistThreshold).toBe(90);
    expect(params.weights.burst).toEqual(DEFAULT_SCORE_PARAMS.weights.burst);
    expect(scoreEvidence(evidence({ failedLogins: 4 }), params, T).score).toBe(40);
  });

  it('rejects a watch threshold above the blacklist threshold', () => {
    expect(() => resolveScoreParams({ watchThreshold: 80, blacklistThreshold: 70 })).toThrow(
      'watch threshold (80) must not exceed the blacklist threshold (70)',
    );
  });

  it('adds known-malicious, bans, spray and port terms with their own texts', () => {
    const { reasons } = scoreEvidence(
      evidence({ knownMalicious: true, bans: 1, distinctUsers: 4, distinctPorts: 12 }),
      DEFAULT_SCORE_PARAMS,
      T,
    );
    expect(reasons).toEqual([
      { code: 'banned', text: 'banned 1 time by fail2ban', points: 40 },
      { code: 'user_spray', text: '4 distinct user names tried', points: 4 },
      { code: 'ports', text: '12 distinct ports targeted', points: 20 },
      { code: 'known_malicious', text: 'listed as known-malicious', points: 30 },
    ]);
  });
});
