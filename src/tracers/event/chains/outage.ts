/**
 * Outages: connection troubles (refused, timed out, a proxy's 502/503/504)
 * grouped by the service that could not be reached, with the recovery when
 * the logs show it (the first healthy event of that service's tier after the
 * last trouble).
 */
import type { HealthIndex } from '../minute-index';
import type { EventLimits } from '../limits';
import { likelyUpstream, tierOf } from '../relationships';
import { type TimedStep, byTime, clock, duration, iso } from '../step';
import type { Trouble } from '../trouble';
import { type Chain, boundSteps, listOf } from './chain';

/** Severity of an outage chain; one never seen to recover ranks higher. */
export const OUTAGE_SEVERITY = { recovered: 60, unrecovered: 75 } as const;

/** One connection trouble, as kept until the end of the input. */
export interface TroubleRecord extends TimedStep {
  t: number;
  trouble: Trouble;
  /** The service that reported the trouble. */
  from: string | undefined;
}

/** A service unit systemd saw fail (`unit.failed`), as kept until the end of the input. */
export interface UnitFailureRecord extends TimedStep {
  t: number;
  /** The unit's service (`postgresql` for `postgresql@15-main.service`). */
  service: string;
  /** The unit (`postgresql@15-main.service`). */
  unit: string;
  /** How it failed, in systemd's words (`oom-kill`, `killed, status=9/KILL`), when the line says. */
  how: string | undefined;
}

/**
 * The unit failure that explains an outage of `tier` from `first` to `last`:
 * the latest failure of that tier's service from `window` before the first
 * trouble to the last one. `failures` are in time order.
 */
function unitCause(
  failures: readonly UnitFailureRecord[],
  tier: string,
  first: number,
  last: number,
  window: number,
): UnitFailureRecord | undefined {
  // Binary search for the first failure inside the window: both lists may hold thousands.
  let lo = 0;
  let hi = failures.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (failures[mid]!.t < first - window) lo = mid + 1;
    else hi = mid;
  }
  let cause: UnitFailureRecord | undefined;
  for (let i = lo; i < failures.length && failures[i]!.t <= last; i++)
    if (tierOf(failures[i]!.service) === tier) cause = failures[i];
  return cause;
}

const TROUBLE_WORDS: Record<Trouble['kind'], [string, string]> = {
  'conn.refused': ['refused connection', 'refused connections'],
  'conn.timeout': ['connection timeout', 'connection timeouts'],
  'http.502': ['HTTP 502 answer', 'HTTP 502 answers'],
  'http.503': ['HTTP 503 answer', 'HTTP 503 answers'],
  'http.504': ['HTTP 504 answer', 'HTTP 504 answers'],
};

function describe(records: readonly TroubleRecord[]): string {
  const counts = new Map<string, number>();
  for (const record of records) {
    const key = `${record.trouble.kind}\u0000${record.from ?? 'unknown service'}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts]
    .map(([key, n]) => {
      const [kind, from] = key.split('\u0000') as [Trouble['kind'], string];
      const [one, many] = TROUBLE_WORDS[kind];
      return `${n} ${n === 1 ? one : many} (${from})`;
    })
    .join(', ');
}

/**
 * One chain per outage: troubles whose target is in the same tier, each
 * within `eventOutageGapMs` of the previous, with the systemd unit failure of
 * that service that explains it (within `eventDownstreamWindowMs` before).
 * `seen` tells which services the input had, to name an unnamed upstream.
 */
export function outageChains(
  records: readonly TroubleRecord[],
  unitFailures: readonly UnitFailureRecord[],
  health: HealthIndex,
  seen: (service: string) => boolean,
  limits: EventLimits,
): Chain[] {
  const resolved = records
    .map((record) => ({
      record,
      target: record.trouble.target ?? (record.from ? likelyUpstream(record.from, seen) : undefined) ?? 'unknown',
    }))
    .sort((a, b) => a.record.t - b.record.t || a.record.line - b.record.line);
  const causes = [...unitFailures].sort(byTime);
  const open = new Map<string, { named: string | undefined; guess: string; records: TroubleRecord[] }>();
  const groups: { named: string | undefined; guess: string; records: TroubleRecord[]; tier: string }[] = [];
  for (const { record, target } of resolved) {
    const tier = tierOf(target);
    const group = open.get(tier);
    const last = group?.records[group.records.length - 1];
    if (group && last && record.t - last.t <= limits.eventOutageGapMs) {
      group.records.push(record);
      group.named ??= record.trouble.target;
    } else {
      const fresh = { named: record.trouble.target, guess: target, records: [record], tier };
      open.set(tier, fresh);
      groups.push(fresh);
    }
  }
  groups.sort((a, b) => a.records[0]!.t - b.records[0]!.t);
  return groups.map(({ named, guess, records: group, tier }) => {
    const first = group[0]!;
    const last = group[group.length - 1]!;
    const target = named ?? guess;
    const recovery = health.after(tier, last.t, last.t + limits.eventRecoveryWindowMs);
    const cause = unitCause(causes, tier, first.t, last.t, limits.eventDownstreamWindowMs);
    const because = cause ? `; ${cause.unit} failed${cause.how ? ` (${cause.how})` : ''} at ${clock(cause.t)}` : '';
    const reporters = [...new Set(group.map((r) => r.from ?? 'unknown service'))];
    const window = last.t > first.t ? `from ${clock(first.t)} to ${clock(last.t)}` : `at ${clock(first.t)}`;
    const ending = recovery
      ? `; back at ${clock(recovery.t)} (${duration(recovery.t - first.t)} after the first failure)`
      : '; no recovery seen in the logs';
    return {
      key: `service-down:${target}:${iso(first.t)}`,
      data: {
        kind: 'service-down',
        summary: `${target} was unreachable for ${listOf(reporters)} ${window}: ${describe(group)}${because}${ending}`,
        ip: null,
        service: target,
        steps: boundSteps(
          cause ? [cause, ...group].sort(byTime) : group,
          recovery ? [{ ...recovery, action: 'service.recovered' }] : [],
          limits.eventChainSteps,
        ),
        start: iso(Math.min(first.t, cause?.t ?? first.t)),
        end: iso(recovery?.t ?? last.t),
        severity: recovery ? OUTAGE_SEVERITY.recovered : OUTAGE_SEVERITY.unrecovered,
        details: {
          troubles: group.length,
          reportedBy: reporters,
          tier,
          recoveredAt: recovery ? iso(recovery.t) : null,
          cause: cause ? { unit: cause.unit, how: cause.how ?? null, at: iso(cause.t) } : null,
        },
      },
    };
  });
}
