/**
 * The threat score: a sum of explainable terms, each from one kind of evidence,
 * decayed by the age of the address's last activity on the log's own clock and
 * capped at 100. docs/threat-score.md explains the model and its calibration.
 */
import type { JailTrip } from './jails';
import type { ScoreReason } from '../../core/kinds';

/** What the score is computed from: the live tracker and a reputation entry both provide it. */
export interface ScoreEvidence {
  /** Failed authentications (auth.failure, http.auth_failure, sudo.failure). */
  failedLogins: number;
  /** Attempts for users that do not exist (auth.invalid_user). */
  invalidUsers: number;
  /** Other hostile events that are not requests: pre-auth disconnects, protocol garbage, refused root logins, ... */
  otherHostile: number;
  /** Suspicious requests: hostile http.* events (exploit-path probes, scanners' user agents). */
  probes: number;
  /** Bans a fail2ban (or similar) instance logged for the address. */
  bans: number;
  /** Successful logins that came after at least one hostile event from the same address. */
  successAfterFailures: number;
  /** Distinct user names tried. */
  distinctUsers: number;
  /** Distinct target ports seen. */
  distinctPorts: number;
  /** Most hostile events within any `burstWindowMs` (what fail2ban's findtime counts). */
  maxBurst: number;
  /** Listed in an imported known-malicious list. */
  knownMalicious: boolean;
  /** The first configured fail2ban jail whose maxretry-in-findtime the address reached. */
  jailTrip?: JailTrip | undefined;
  /** Last activity, ms since the epoch (undefined when no event had a time). */
  lastSeen: number | undefined;
}

/** One term's weight: points per unit of evidence, and the most the term can add. */
export interface Weight {
  per: number;
  max: number;
}

/** Every tunable of the model; `DEFAULT_SCORE_PARAMS` holds the calibrated defaults. */
export interface ScoreParams {
  weights: {
    /** Per hostile authentication event (failed logins, invalid users, other hostile events). */
    authFailures: Weight;
    /** Per suspicious request. */
    probes: Weight;
    /** Per hostile event in the densest window, counted when the window holds at least `burstMin`. */
    burst: Weight;
    /** Per attempt on a user that does not exist (on top of `authFailures`). */
    invalidUsers: Weight;
    /** Per distinct user name beyond `sprayFrom - 1`. */
    userSpray: Weight;
    /** Per distinct target port beyond `portsFrom - 1`. */
    ports: Weight;
    /** Per ban seen; `first` is what the first ban adds. */
    bans: Weight & { first: number };
    /** A success after failures: a likely compromise, the largest single term. */
    successAfterFailures: Weight;
    /** Listed as known-malicious. */
    knownMalicious: number;
  };
  /** Window of the burst term, ms (fail2ban's default findtime: 10 minutes). */
  burstWindowMs: number;
  /** Fewest events in a window for the burst term to count. */
  burstMin: number;
  /** Distinct users from which the spray term counts. */
  sprayFrom: number;
  /** Distinct ports from which the port term counts. */
  portsFrom: number;
  /** Half-life of the decay, ms; 0 disables decay. */
  halfLifeMs: number;
  /** Score from which `ip.threat` is published. */
  watchThreshold: number;
  /** Score from which an address is blacklisted and `ip.blacklisted` published. */
  blacklistThreshold: number;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** The calibrated defaults (docs/threat-score.md, "Calibration"). */
export const DEFAULT_SCORE_PARAMS: ScoreParams = {
  weights: {
    authFailures: { per: 5, max: 25 },
    probes: { per: 5, max: 25 },
    burst: { per: 9, max: 45 },
    invalidUsers: { per: 2, max: 10 },
    userSpray: { per: 2, max: 20 },
    ports: { per: 2, max: 20 },
    bans: { first: 40, per: 10, max: 60 },
    successAfterFailures: { per: 50, max: 50 },
    knownMalicious: 30,
  },
  burstWindowMs: 10 * MINUTE,
  burstMin: 2,
  sprayFrom: 3,
  portsFrom: 3,
  halfLifeMs: 7 * DAY,
  watchThreshold: 40,
  blacklistThreshold: 70,
};

/** Parameters given in part, completed from the defaults (weights merged one by one). */
export type ScoreParamsInit = Partial<Omit<ScoreParams, 'weights'>> & { weights?: Partial<ScoreParams['weights']> };

/** Completes partial parameters from the defaults and checks they make sense. */
export function resolveScoreParams(init: ScoreParamsInit = {}): ScoreParams {
  const params: ScoreParams = {
    ...DEFAULT_SCORE_PARAMS,
    ...init,
    weights: { ...DEFAULT_SCORE_PARAMS.weights, ...init.weights },
  };
  if (!(params.watchThreshold <= params.blacklistThreshold)) {
    throw new RangeError(
      `watch threshold (${params.watchThreshold}) must not exceed the blacklist threshold (${params.blacklistThreshold})`,
    );
  }
  if (!(params.burstWindowMs > 0)) throw new RangeError(`burst window must be positive, got ${params.burstWindowMs}`);
  if (!(params.halfLifeMs >= 0)) throw new RangeError(`half-life must be 0 or positive, got ${params.halfLifeMs}`);
  return params;
}

/** A score with its explanation: `score` is the rounded sum of the reasons' points. */
export interface Score {
  score: number;
  reasons: ScoreReason[];
}

/** The maximum score. */
export const MAX_SCORE = 100;

/** Decay factor for an address last active `age` ms before the reference time. */
export function decayFactor(age: number, halfLifeMs: number): number {
  if (halfLifeMs === 0 || !(age > 0)) return 1;
  return Math.pow(0.5, age / halfLifeMs);
}

function term(units: number, weight: Weight): number {
  return units > 0 ? Math.min(weight.max, units * weight.per) : 0;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function minutes(ms: number): string {
  return ms % MINUTE === 0 ? plural(ms / MINUTE, 'minute') : `${ms / 1000} s`;
}

function duration(ms: number): string {
  if (ms < 3600_000) return plural(Math.round(ms / MINUTE), 'minute');
  if (ms < DAY) return `${(ms / 3600_000).toFixed(1)} hours`;
  return `${(ms / DAY).toFixed(1)} days`;
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

/** One term of the sum: its points before decay (0 when it does not apply) and its explanation. */
interface Term {
  code: string;
  points(evidence: ScoreEvidence, params: ScoreParams): number;
  text(evidence: ScoreEvidence, params: ScoreParams): string;
}

function authEvents(evidence: ScoreEvidence): number {
  return evidence.failedLogins + evidence.invalidUsers + evidence.otherHostile;
}

/** The terms in reason order. Texts are made only when reasons are asked for. */
const TERMS: readonly Term[] = [
  {
    code: 'success_after_failures',
    points: (e, p) => term(e.successAfterFailures, p.weights.successAfterFailures),
    text: (e) => `${plural(e.successAfterFailures, 'successful login')} after failures: a likely compromise`,
  },
  {
    code: 'banned',
    points: (e, p) =>
      e.bans > 0 ? Math.min(p.weights.bans.max, p.weights.bans.first + (e.bans - 1) * p.weights.bans.per) : 0,
    text: (e) => `banned ${plural(e.bans, 'time')} by fail2ban`,
  },
  {
    code: 'jail',
    // What fail2ban itself would do: enough on its own to blacklist.
    points: (e, p) => (e.jailTrip ? p.blacklistThreshold : 0),
    text: (e) => {
      const t = e.jailTrip!;
      return `${plural(t.failures, 'failure')} within ${minutes(t.findtimeMs)} matched by fail2ban's jail ${t.jail} (maxretry ${t.maxretry}): it would ban this address`;
    },
  },
  {
    code: 'burst',
    points: (e, p) => (e.maxBurst >= p.burstMin ? term(e.maxBurst, p.weights.burst) : 0),
    text: (e, p) => `${plural(e.maxBurst, 'hostile event')} within ${minutes(p.burstWindowMs)}`,
  },
  {
    code: 'auth_failures',
    points: (e, p) => term(authEvents(e), p.weights.authFailures),
    text: (e) => {
      const parts = [
        e.failedLogins ? plural(e.failedLogins, 'failed login') : '',
        e.invalidUsers ? `${e.invalidUsers} invalid user` : '',
        e.otherHostile ? `${e.otherHostile} other` : '',
      ].filter(Boolean);
      return `${plural(authEvents(e), 'hostile authentication event')} (${parts.join(', ')})`;
    },
  },
  {
    code: 'invalid_users',
    points: (e, p) => term(e.invalidUsers, p.weights.invalidUsers),
    text: (e) => `${plural(e.invalidUsers, 'attempt')} on users that do not exist`,
  },
  {
    code: 'user_spray',
    points: (e, p) =>
      e.distinctUsers >= p.sprayFrom ? term(e.distinctUsers - p.sprayFrom + 1, p.weights.userSpray) : 0,
    text: (e) => `${e.distinctUsers} distinct user names tried`,
  },
  {
    code: 'probes',
    points: (e, p) => term(e.probes, p.weights.probes),
    text: (e) => `${plural(e.probes, 'suspicious request')} (exploit probes, scanners)`,
  },
  {
    code: 'ports',
    points: (e, p) => (e.distinctPorts >= p.portsFrom ? term(e.distinctPorts - p.portsFrom + 1, p.weights.ports) : 0),
    text: (e) => `${e.distinctPorts} distinct ports targeted`,
  },
  {
    code: 'known_malicious',
    points: (e, p) => (e.knownMalicious ? p.weights.knownMalicious : 0),
    text: () => 'listed as known-malicious',
  },
];

/** Age of the evidence's last activity at `referenceTime` (0 when either is unknown). */
function ageOf(evidence: ScoreEvidence, referenceTime: number | undefined): number {
  return referenceTime !== undefined && evidence.lastSeen !== undefined ? referenceTime - evidence.lastSeen : 0;
}

/**
 * The decayed sum of the terms, before the cap; with `reasons`, also pushes a
 * reason for every term that contributed. One loop for both uses, so the score
 * alone is always the score of the reasons.
 */
function decayedSum(evidence: ScoreEvidence, params: ScoreParams, factor: number, reasons?: ScoreReason[]): number {
  let total = 0;
  for (const t of TERMS) {
    const raw = t.points(evidence, params);
    if (!(raw > 0)) continue;
    const points = round1(raw * factor);
    total += points;
    reasons?.push({ code: t.code, text: t.text(evidence, params), points });
  }
  return total;
}

/**
 * The score of `scoreEvidence` alone, without making the reasons' texts: what
 * the tracker needs on every hostile event.
 */
export function scoreOf(evidence: ScoreEvidence, params: ScoreParams, referenceTime?: number): number {
  const total = decayedSum(evidence, params, decayFactor(ageOf(evidence, referenceTime), params.halfLifeMs));
  return Math.round(Math.min(total, MAX_SCORE));
}

/**
 * Scores evidence at `referenceTime` (the latest event time seen, not the wall
 * clock: logs are historical). Reasons come in a fixed order, only for terms
 * that contributed; a `decay` note and a `cap` term are reasons too, so the
 * points always add up to the score.
 */
export function scoreEvidence(evidence: ScoreEvidence, params: ScoreParams, referenceTime?: number): Score {
  const age = ageOf(evidence, referenceTime);
  const factor = decayFactor(age, params.halfLifeMs);
  const reasons: ScoreReason[] = [];
  let total = decayedSum(evidence, params, factor, reasons);
  if (factor < 1 && reasons.length) {
    reasons.push({
      code: 'decay',
      text: `last active ${duration(age)} before the latest event: points × ${factor.toFixed(3)}`,
      points: 0,
    });
  }
  if (total > MAX_SCORE) {
    reasons.push({ code: 'cap', text: `capped at ${MAX_SCORE}`, points: round1(MAX_SCORE - total) });
    total = MAX_SCORE;
  }
  return { score: Math.round(total), reasons };
}
