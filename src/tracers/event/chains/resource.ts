/**
 * Resource exhaustion and its effects: an OOM kill or a full disk, and the
 * service failures elsewhere within `eventDownstreamWindowMs` after it.
 */
import RE2 from 're2';
import type { EventLimits } from '../limits';
import type { FailureIndex } from '../minute-index';
import { type TimedStep, clock, duration, iso } from '../step';
import { type Chain, boundSteps, listOf } from './chain';

/** Severity of each resource chain kind. */
export const RESOURCE_SEVERITY = { 'oom-kill': 85, 'disk-full': 85 } as const;

/** An OOM kill or a disk-full event, as kept until the end of the input. */
export interface ExhaustionRecord extends TimedStep {
  t: number;
  kind: 'oom-kill' | 'disk-full';
  /** The service that logged it (`kernel` for the OOM killer). */
  service: string | undefined;
  /** The killed process, for an OOM kill. */
  victim: { pid: number | null; name: string | null } | undefined;
}

// "Out of memory: Killed process 2345 (gunicorn)", "Memory cgroup out of memory: Killed process 77 (java)".
const KILLED = new RE2(String.raw`Killed process (\d+) \(([^)]{1,64})\)`);
// The summary line before it: "oom-kill:constraint=CONSTRAINT_NONE,...,task=gunicorn,pid=2345,uid=33".
const TASK = new RE2(String.raw`,task=([^,]{1,64}),pid=(\d+)`);

/** The process the OOM killer killed, from the kernel's `Killed process` line or its `oom-kill:` summary line. */
export function oomVictim(message: string): { pid: number | null; name: string | null } {
  if (message.includes('Killed process')) {
    const match = KILLED.exec(message);
    if (match) return { pid: Number(match[1]), name: match[2]! };
  } else if (message.includes(',task=')) {
    const match = TASK.exec(message);
    if (match) return { pid: Number(match[2]), name: match[1]! };
  }
  return { pid: null, name: null };
}

function effects(failures: readonly { service: string | undefined }[]): string {
  const counts = new Map<string, number>();
  for (const f of failures)
    counts.set(f.service ?? 'unknown service', (counts.get(f.service ?? 'unknown service') ?? 0) + 1);
  return listOf([...counts].sort((a, b) => b[1] - a[1]).map(([service, n]) => `${service} (${n})`));
}

/**
 * One chain per OOM victim (repeated kills of one pid within the window are
 * one) and per run of disk-full events of one service within the window.
 */
export function resourceChains(
  records: readonly ExhaustionRecord[],
  failures: FailureIndex,
  limits: EventLimits,
): Chain[] {
  const sorted = [...records].sort((a, b) => a.t - b.t || a.line - b.line);
  const chains: Chain[] = [];
  const lastOf = new Map<string, ExhaustionRecord>();
  for (const record of sorted) {
    const victim = record.victim;
    const subject =
      record.kind === 'oom-kill' ? `${victim?.name ?? 'unknown'}:${victim?.pid ?? '?'}` : (record.service ?? 'unknown');
    const previous = lastOf.get(`${record.kind}\u0000${subject}`);
    lastOf.set(`${record.kind}\u0000${subject}`, record);
    if (previous && record.t - previous.t <= limits.eventDownstreamWindowMs) continue;
    const origin = record.service;
    const window = limits.eventDownstreamWindowMs;
    const { failures: downstream, unsampled } = failures.between(record.t, record.t + window, (service) =>
      record.kind === 'oom-kill' ? service !== 'kernel' && service !== origin : service !== origin,
    );
    const services = [...new Set(downstream.map((f) => f.service ?? 'unknown service'))];
    const what =
      record.kind === 'oom-kill'
        ? `the OOM killer killed ${victim?.name ?? 'a process'}${victim?.pid != null ? ` (pid ${victim.pid})` : ''} at ${clock(record.t)}`
        : `the disk filled up at ${clock(record.t)} (${origin ?? 'unknown service'}: ${record.message.slice(0, 120)})`;
    const then = downstream.length
      ? `; then ${downstream.length} failure${downstream.length === 1 ? '' : 's'} elsewhere within ${duration(window)}: ${effects(downstream)}`
      : `; no failure elsewhere within ${duration(window)}`;
    const last = downstream[downstream.length - 1];
    chains.push({
      key: `${record.kind}:${subject}:${iso(record.t)}`,
      data: {
        kind: record.kind,
        summary: what + then,
        ip: null,
        service: record.kind === 'oom-kill' ? (victim?.name ?? null) : (origin ?? null),
        steps: boundSteps([record, ...downstream], [], limits.eventChainSteps),
        start: iso(record.t),
        end: iso(last?.t ?? record.t),
        severity: RESOURCE_SEVERITY[record.kind],
        details: {
          ...(record.kind === 'oom-kill' ? { pid: victim?.pid ?? null, process: victim?.name ?? null } : {}),
          downstreamFailures: downstream.length,
          downstreamServices: services,
          unsampledFailures: unsampled,
        },
      },
    });
  }
  return chains;
}
