/**
 * Per-address behaviour: the evidence the tracker keeps for one IP, updated
 * event by event. Every collection is bounded so one address costs a few
 * hundred bytes whatever the attacker sends.
 */
import type { JailState, JailTrip } from './jails';
import type { LogEvent } from '../../core/event';
import type { ScoreEvidence } from './score';

/** A pointer back to the log line that is evidence. */
export interface EvidenceRef {
  source: string;
  line: number;
  /** ISO time of the event, or null when the line had none. */
  at: string | null;
  action: string;
}

/** An evidence reference as stored: the time stays a number until it is read. */
export interface StoredRef {
  source: string;
  line: number;
  time: number | undefined;
  action: string;
}

/** Bounds on what one address may hold. */
export interface BehaviourLimits {
  /** Distinct user names kept (the count saturates here). */
  maxUsers: number;
  /** Distinct target ports kept. */
  maxPorts: number;
  /** Services, sources and hosts kept. */
  maxNames: number;
  /** Evidence references kept: the first half and the most recent half. */
  maxEvidence: number;
  /** Hostile-event times kept for the burst window. */
  maxBurstTimes: number;
  /** Longest user name stored (longer ones are cut: attackers send anything). */
  maxUserLength: number;
}

/** Documented defaults of `BehaviourLimits`. */
export const DEFAULT_BEHAVIOUR_LIMITS: BehaviourLimits = {
  maxUsers: 64,
  maxPorts: 64,
  maxNames: 16,
  maxEvidence: 10,
  maxBurstTimes: 32,
  maxUserLength: 64,
};

/**
 * The list every behaviour starts with, shared: most addresses appear once and
 * fill few of their lists, so a list is made at its first element (a list made
 * empty and grown reserves room for 17). Frozen, so adding to it throws.
 */
const NONE: never[] = Object.freeze([]) as never[];

/** `list` with `item` appended: the shared empty list is replaced by a list of one. */
function appended<T>(list: T[], item: T): T[] {
  if (list === NONE) return [item];
  list.push(item);
  return list;
}

/**
 * What is known of one address: counters and bounded collections. A class so
 * every tracked address shares one hidden class (object literals built by
 * spreading gave each its own, tripling the memory per address). It is its own
 * score evidence, so scoring copies nothing.
 */
export class Behaviour implements ScoreEvidence, JailState {
  events = 0;
  failedLogins = 0;
  invalidUsers = 0;
  otherHostile = 0;
  probes = 0;
  successes = 0;
  successAfterFailures = 0;
  bans = 0;
  unbans = 0;
  /** fail2ban `Found` lines: reported, not scored (they repeat the service's own lines). */
  found = 0;
  firstSeen: number | undefined = undefined;
  lastSeen: number | undefined = undefined;
  /** Distinct user names tried, in order of first use (arrays: cheaper than sets at these sizes). */
  users: string[] = NONE;
  /** Distinct target ports, in order of first use. */
  ports: number[] = NONE;
  services: string[] = NONE;
  sources: string[] = NONE;
  hosts: string[] = NONE;
  /** Sorted times of recent hostile events, within one burst window of the latest. */
  burstTimes: number[] = NONE;
  maxBurst = 0;
  /** Kept with the raw time: ISO text is made only when evidence is read. */
  evidence: StoredRef[] = NONE;
  /** Next slot of the recent half of `evidence` to overwrite once it is full. */
  evidenceCursor = 0;
  knownMalicious = false;
  /** Failure times per configured jail (undefined until one counts, and after a trip). */
  jailTimes: number[][] | undefined = undefined;
  /** The first jail this address would be banned by. */
  jailTrip: JailTrip | undefined = undefined;

  constructor(readonly ip: string) {}

  get distinctUsers(): number {
    return this.users.length;
  }

  get distinctPorts(): number {
    return this.ports.length;
  }
}

const FAILED_LOGIN_ACTIONS = new Set(['auth.failure', 'http.auth_failure', 'sudo.failure']);
const BAN_ACTIONS = new Set(['ip.ban', 'ip.restore_ban']);

/** Whether an event is evidence worth a reference (anything but routine traffic). */
function notable(event: LogEvent): boolean {
  return event.hostile || (event.action !== undefined && event.action !== 'http.request');
}

/**
 * The port an event probed, when the log says: firewall logs give it as
 * `fields.dport` (netfilter's `DPT=`) or `fields.destinationPort`. `event.port`
 * is the peer's own source port (sshd's `from IP port N`) and tells nothing; a
 * packet the firewall let through (outcome `success`) went where it was
 * allowed to, which probes nothing.
 */
export function targetPort(event: LogEvent): number | undefined {
  const fields = event.fields;
  if (!fields || event.outcome === 'success') return undefined;
  const port = fields.dport ?? fields.destinationPort;
  return typeof port === 'number' && Number.isInteger(port) && port >= 0 && port <= 65535 ? port : undefined;
}

/** `list` with `item` added when it is new and the list has room. */
function withDistinct<T>(list: T[], item: T | undefined, max: number): T[] {
  return item === undefined || list.length >= max || list.includes(item) ? list : appended(list, item);
}

/** Most names whose list of one is shared. */
const MAX_SHARED_NAMES = 1024;

/**
 * Frozen lists of one name, shared by every address whose first source, host
 * or service it is: these names repeat across addresses (a handful of files,
 * hosts and services), and most addresses have only their first.
 */
const sharedNames = new Map<string, string[]>();

/** `withDistinct` for sources, hosts and services: a first name takes its shared list. */
function withName(list: string[], name: string | undefined, max: number): string[] {
  if (name === undefined || list.length >= max || list.includes(name)) return list;
  if (list !== NONE) return Object.isFrozen(list) ? [...list, name] : appended(list, name);
  let shared = sharedNames.get(name);
  if (!shared && sharedNames.size < MAX_SHARED_NAMES) {
    sharedNames.set(name, (shared = Object.freeze([name]) as string[]));
  }
  return shared ?? [name];
}

/** Inserts `time` in order and updates the densest-window count. */
function recordBurst(b: Behaviour, time: number, windowMs: number, max: number): void {
  let times = b.burstTimes;
  if (times === NONE) {
    b.burstTimes = times = [time];
  } else {
    let i = times.length;
    while (i > 0 && times[i - 1]! > time) i--;
    times.splice(i, 0, time);
  }
  // Times older than one window before the latest can no longer share a window with new (in-order) events.
  const latest = times[times.length - 1]!;
  let drop = 0;
  while (drop < times.length && times[drop]! < latest - windowMs) drop++;
  if (times.length - drop > max) drop = times.length - max;
  if (drop) times.splice(0, drop);
  let start = 0;
  for (let end = 0; end < times.length; end++) {
    while (times[end]! - times[start]! > windowMs) start++;
    if (end - start + 1 > b.maxBurst) b.maxBurst = end - start + 1;
  }
}

/** The stored reference to an event's log line. */
export function refOf(event: LogEvent): StoredRef {
  return { source: event.source, line: event.line, time: event.timestamp, action: event.action ?? 'unknown' };
}

/** A stored reference as evidence. */
export function toEvidenceRef(ref: StoredRef): EvidenceRef {
  return {
    source: ref.source,
    line: ref.line,
    at: ref.time === undefined ? null : new Date(ref.time).toISOString(),
    action: ref.action,
  };
}

function recordEvidence(b: Behaviour, event: LogEvent, max: number): void {
  if (b.evidence.length < max) {
    b.evidence = appended(b.evidence, refOf(event));
    return;
  }
  const keepFirst = Math.ceil(max / 2);
  const recent = max - keepFirst;
  if (recent === 0) return;
  b.evidence[keepFirst + b.evidenceCursor] = refOf(event);
  b.evidenceCursor = (b.evidenceCursor + 1) % recent;
}

/** What recording an event changed, so the tracker rescores only when it must. */
export type RecordOutcome = 'scored' | 'seen';

/**
 * Adds one event about `b.ip` to its behaviour. Returns `scored` when the
 * event is evidence the score depends on, `seen` when it only widened the
 * activity (first/last seen, sources).
 */
export function recordEvent(
  b: Behaviour,
  event: LogEvent,
  limits: BehaviourLimits,
  burstWindowMs: number,
): RecordOutcome {
  b.events++;
  const time = event.timestamp;
  if (time !== undefined) {
    if (b.firstSeen === undefined || time < b.firstSeen) b.firstSeen = time;
    if (b.lastSeen === undefined || time > b.lastSeen) b.lastSeen = time;
  }
  b.sources = withName(b.sources, event.source, limits.maxNames);
  b.hosts = withName(b.hosts, event.host, limits.maxNames);
  if (event.service !== 'fail2ban') b.services = withName(b.services, event.service, limits.maxNames);
  const port = targetPort(event);
  b.ports = withDistinct(b.ports, port, limits.maxPorts);
  if (event.user && b.users.length < limits.maxUsers) {
    b.users = withDistinct(b.users, event.user.slice(0, limits.maxUserLength), limits.maxUsers);
  }
  if (notable(event)) recordEvidence(b, event, limits.maxEvidence);

  const action = event.action ?? '';
  if (BAN_ACTIONS.has(action)) {
    b.bans++;
    return 'scored';
  }
  if (action === 'ip.unban') {
    b.unbans++;
    return 'seen';
  }
  if (action === 'ip.found') {
    b.found++;
    return 'seen';
  }
  if (action === 'auth.success' || (event.outcome === 'success' && action.startsWith('auth.'))) {
    b.successes++;
    if (b.failedLogins + b.invalidUsers + b.otherHostile > 0) {
      b.successAfterFailures++;
      return 'scored';
    }
    return 'seen';
  }
  if (!event.hostile) return port !== undefined ? 'scored' : 'seen';
  if (FAILED_LOGIN_ACTIONS.has(action)) b.failedLogins++;
  else if (action === 'auth.invalid_user') b.invalidUsers++;
  else if (action.startsWith('http.')) b.probes++;
  else b.otherHostile++;
  if (time !== undefined) recordBurst(b, time, burstWindowMs, limits.maxBurstTimes);
  return 'scored';
}

/** The evidence references in order: the first ones, then the most recent ones oldest first. */
export function evidenceOf(b: Behaviour, max: number): EvidenceRef[] {
  const keepFirst = Math.ceil(max / 2);
  if (b.evidence.length < max || b.evidenceCursor === 0) return b.evidence.map(toEvidenceRef);
  const recent = b.evidence.slice(keepFirst);
  return [
    ...b.evidence.slice(0, keepFirst),
    ...recent.slice(b.evidenceCursor),
    ...recent.slice(0, b.evidenceCursor),
  ].map(toEvidenceRef);
}

/** Whether the address has any hostile evidence (failures, invalid users, probes, bans, ...). */
export function isHostile(b: Behaviour): boolean {
  return b.failedLogins + b.invalidUsers + b.otherHostile + b.probes + b.bans > 0;
}

/** The evidence counts, as IpThreatData and the reputation database carry them. */
export function countsOf(b: Behaviour): Record<string, number> {
  return {
    events: b.events,
    failedLogins: b.failedLogins,
    invalidUsers: b.invalidUsers,
    otherHostile: b.otherHostile,
    probes: b.probes,
    successes: b.successes,
    successAfterFailures: b.successAfterFailures,
    bans: b.bans,
    unbans: b.unbans,
    found: b.found,
    distinctUsers: b.users.length,
    distinctPorts: b.ports.length,
    maxBurst: b.maxBurst,
  };
}
