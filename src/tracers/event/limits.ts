/**
 * The event tracer's bounds and windows. Memory is bounded by these whatever
 * the input: it grows with distinct addresses (up to `eventMaxIps`) and
 * distinct minutes (up to the bucket caps), never with the number of lines.
 * Each can be set through the tracer's constructor or `options.limits`.
 *
 * Measured (bench/event.bench.ts): a million events from 5,000 addresses, every
 * history full, leave about 100 MiB on the heap (histories, indexes and the
 * 9,550 chain findings), so a full `eventMaxIps` of 10,000 stays near 200 MiB;
 * lower it on small machines.
 */

export interface EventLimits {
  /** Addresses whose history (timeline and login evidence) is kept; the least recently seen is forgotten. */
  eventMaxIps: number;
  /** Events kept from the start of each address's timeline. */
  eventTimelineHead: number;
  /** Events kept from the end of each address's timeline. */
  eventTimelineTail: number;
  /**
   * Failed logins kept per address (the most recent); a quarter as many fail2ban matches and
   * bans/unbans, an eighth as many successful logins.
   */
  eventAuthPerIp: number;
  /** Connection troubles and OOM/disk-full kills kept (the most recent). */
  eventMaxIncidents: number;
  /** Minutes of service failures indexed for OOM and disk-full effects (the most recent). */
  eventFailureMinutes: number;
  /** Failures sampled per minute in that index (the rest are counted). */
  eventFailuresPerMinute: number;
  /** (service tier, minute) pairs indexed to find recoveries; each holds its first and last healthy event. */
  eventHealthBuckets: number;
  /** Distinct users counted for the top-N statistics (exact below this; addresses count in their histories). */
  eventTopCapacity: number;
  /** Entries of the top-N lists in statistics. */
  eventTopN: number;
  /** Distinct keys per statistics table (sources, actions, ...); more are counted under `(other)`. */
  eventStatsKeys: number;
  /** Width of the time buckets of the statistics, in ms. */
  eventBucketMs: number;
  /** Time buckets kept (the most recent). */
  eventMaxBuckets: number;
  /** Steps kept in one chain (the first ones, the conclusion always kept). */
  eventChainSteps: number;
  /** Failed logins from an address before its auth-failures chain and its compromise chain. */
  eventMinFailures: number;
  /** How far before a ban failed logins count as its cause, in ms. */
  eventBanLookbackMs: number;
  /** How far before a successful login earlier failures make it suspicious, in ms. */
  eventCompromiseLookbackMs: number;
  /** How long after an OOM kill or a full disk failures elsewhere count as its effects, in ms. */
  eventDownstreamWindowMs: number;
  /** Largest gap between two connection troubles of one outage, in ms. */
  eventOutageGapMs: number;
  /** How long after an outage's last trouble a recovery is looked for, in ms. */
  eventRecoveryWindowMs: number;
}

/** The limits used when neither the tracer nor the investigation sets them. */
export const DEFAULT_EVENT_LIMITS: Readonly<EventLimits> = {
  eventMaxIps: 10_000,
  eventTimelineHead: 10,
  eventTimelineTail: 30,
  eventAuthPerIp: 32,
  eventMaxIncidents: 10_000,
  eventFailureMinutes: 20_160,
  eventFailuresPerMinute: 64,
  eventHealthBuckets: 50_000,
  eventTopCapacity: 10_000,
  eventTopN: 10,
  eventStatsKeys: 1_000,
  eventBucketMs: 3_600_000,
  eventMaxBuckets: 8_784,
  eventChainSteps: 12,
  eventMinFailures: 3,
  eventBanLookbackMs: 3_600_000,
  eventCompromiseLookbackMs: 86_400_000,
  eventDownstreamWindowMs: 300_000,
  eventOutageGapMs: 300_000,
  eventRecoveryWindowMs: 3_600_000,
};

/** The limits in force: defaults, overridden by the investigation's `limits`, overridden by the tracer's own. */
export function resolveEventLimits(
  fromContext: Readonly<Record<string, number>> = {},
  own: Partial<EventLimits> = {},
): EventLimits {
  const limits = { ...DEFAULT_EVENT_LIMITS };
  for (const key of Object.keys(limits) as (keyof EventLimits)[]) {
    const value = own[key] ?? fromContext[key];
    if (typeof value === 'number' && value > 0) limits[key] = value;
  }
  return limits;
}
