/**
 * One OOM kill is several lines: the kernel's `X invoked oom-killer` (X asked
 * for memory), the `oom-kill:constraint=...,task=V,pid=P` summary (4.19+),
 * `Out of memory: Killed process P (V)` and `oom_reaper: reaped process P (V)`,
 * then systemd's `V.service: A process of this unit has been killed by the OOM
 * killer` and `Failed with result 'oom-kill'`. Counted line by line, one kill
 * was four or five problems; here it is one occurrence of `Out of memory:
 * Killed process <*> (V)`, whose details name X as the trigger.
 *
 * The kernel serialises OOM kills (oom_lock), so per host the lines of one
 * kill are consecutive: a kill line joins the incident in progress when it
 * names the same pid (or the incident has none yet) within {@link WINDOW_MS}.
 */
import type { LogEvent } from '../../core/event';
import type { RecognisedError } from './types';

/** How far apart the lines of one kill may be (the reaper runs within a second; dumps of many tasks take longer). */
export const WINDOW_MS = 60_000;

/** Which part of a kill an error row is, or undefined when it is none. */
type OomPart = 'invoked' | 'kill' | 'unit';

const PARTS: Readonly<Record<string, OomPart>> = {
  'memory/oom-invoked': 'invoked',
  'memory/oom-kill': 'kill',
  'memory/oom-summary': 'kill',
  'memory/oom-reaper': 'kill',
  'memory/cgroup-oom-kill': 'kill',
  'action/oom.kill': 'kill',
  'memory/systemd-oom': 'unit',
};

/** What the tracer does with an OOM line. */
export type OomDecision =
  /**
   * Count it: a kill under the victim's template (`trigger` set on its details
   * when known); without a template, as any other error.
   */
  | { kind: 'count'; template?: string }
  /** Another line of the kill counted under `signature`: no new occurrence (it may still tell how bad the kill was). */
  | { kind: 'fold'; signature: string | undefined }
  /** `invoked oom-killer`: held until its kill line comes; `flush` holds lines of an earlier incident that never got one. */
  | { kind: 'hold' };

/** A held `invoked oom-killer` line whose kill never came: counted as its own problem. */
export interface HeldLine {
  error: RecognisedError;
  event: LogEvent;
}

interface Incident {
  at: number | undefined;
  pid: number | undefined;
  trigger: string | undefined;
  counted: boolean;
  /** The signature the kill was counted under (told by {@link OomIncidents.countedAs}). */
  signature?: string;
  held: HeldLine | undefined;
}

/** Most hosts tracked at once (one incident each); the oldest is dropped beyond. */
const MAX_HOSTS = 1024;

function near(a: number | undefined, b: number | undefined): boolean {
  return a === undefined || b === undefined || Math.abs(a - b) <= WINDOW_MS;
}

/** The OOM incident in progress on each host. */
export class OomIncidents {
  private readonly byHost = new Map<string, Incident>();
  /** Held lines whose incident ended without a kill, for the tracer to count. */
  private readonly orphans: HeldLine[] = [];

  /** Whether `error` is a line of an OOM kill. */
  static isOomLine(error: RecognisedError): boolean {
    return PARTS[error.rule] !== undefined;
  }

  /** Decides what an OOM line is (call only when {@link isOomLine}). */
  observe(error: RecognisedError, event: LogEvent): OomDecision {
    const part = PARTS[error.rule]!;
    const host = event.host ?? '';
    const at = event.timestamp;
    const current = this.byHost.get(host);
    const pid = error.details.pid;
    const open = current !== undefined && near(current.at, at);
    if (part === 'invoked') {
      this.start(host, { at, pid: undefined, trigger: error.details.process, counted: false, held: { error, event } });
      return { kind: 'hold' };
    }
    if (part === 'unit') {
      // systemd names the unit, not the pid: it belongs to the kill just counted, or is the first news of one.
      if (open && current.counted) return { kind: 'fold', signature: current.signature };
      this.start(host, { at, pid: undefined, trigger: undefined, counted: true, held: undefined });
      return { kind: 'count' };
    }
    if (open && current.counted && (current.pid === undefined || pid === undefined || current.pid === pid)) {
      return { kind: 'fold', signature: current.signature };
    }
    let trigger: string | undefined;
    if (open && !current.counted) {
      trigger = current.trigger;
      current.held = undefined;
      current.counted = true;
      current.pid = pid;
      current.at = at ?? current.at;
    } else {
      this.start(host, { at, pid, trigger: undefined, counted: true, held: undefined });
    }
    if (trigger !== undefined && trigger !== error.details.process) error.details.trigger = trigger;
    const victim = error.details.process;
    const cgroup = error.rule === 'memory/cgroup-oom-kill' ? 'Memory cgroup out of memory' : 'Out of memory';
    return victim === undefined
      ? { kind: 'count' }
      : { kind: 'count', template: `${cgroup}: Killed process <*> (${victim})` };
  }

  /** Tells under which signature the line just decided `count` was counted. */
  countedAs(event: LogEvent, signature: string): void {
    const current = this.byHost.get(event.host ?? '');
    if (current?.counted) current.signature = signature;
  }

  /** Held lines of incidents that ended without a kill (cleared by the call). */
  takeOrphans(): HeldLine[] {
    return this.orphans.splice(0);
  }

  /** End of input: every incident still waiting for its kill gives up its held line. */
  finish(): HeldLine[] {
    for (const incident of this.byHost.values()) this.orphan(incident);
    this.byHost.clear();
    return this.takeOrphans();
  }

  private start(host: string, incident: Incident): void {
    const previous = this.byHost.get(host);
    if (previous) this.orphan(previous);
    this.byHost.delete(host);
    this.byHost.set(host, incident);
    if (this.byHost.size > MAX_HOSTS) {
      const [oldest, dropped] = this.byHost.entries().next().value as [string, Incident];
      this.orphan(dropped);
      this.byHost.delete(oldest);
    }
  }

  private orphan(incident: Incident): void {
    if (incident.held) this.orphans.push(incident.held);
    incident.held = undefined;
  }
}
