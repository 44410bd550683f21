/**
 * fail2ban's own rule as a score term: a jail bans an address whose failures
 * matched by its filter reach `maxretry` within `findtime`. An address that a
 * configured jail would ban is blacklisted, with the jail named in its reasons.
 */
import type { LogEvent } from '../../core/event';

/** One enabled jail's threshold. */
export interface JailThreshold {
  /** The jail's name (`sshd`). */
  name: string;
  /** The filter whose matches it counts (`sshd`). */
  filter: string;
  maxretry: number;
  findtimeMs: number;
}

/** fail2ban's defaults for a jail that sets neither (jail.conf's [DEFAULT]). */
export const FAIL2BAN_DEFAULT_MAXRETRY = 5;
export const FAIL2BAN_DEFAULT_FINDTIME_S = 600;
/** The largest maxretry honoured: an address keeps this many times per jail at most. */
export const MAX_JAIL_RETRY = 1000;

/** The first jail an address tripped: how many failures in how long. */
export interface JailTrip {
  jail: string;
  failures: number;
  maxretry: number;
  findtimeMs: number;
}

/**
 * The fail2ban filter that matched an event's line: the rule of a line only a
 * filter read (`fail2ban/<filter>`), or the filter that also matches a line a
 * built-in recogniser read (`fields.fail2ban`).
 */
export function filterOf(event: LogEvent): string | undefined {
  const fields = event.fields;
  if (!fields) return undefined;
  const rule = fields['rule'];
  if (typeof rule === 'string' && rule.startsWith('fail2ban/')) return rule.slice('fail2ban/'.length);
  const also = fields['fail2ban'];
  return typeof also === 'string' ? also : undefined;
}

/** An address's failure times per jail: the latest `maxretry` of each, sorted. */
export interface JailState {
  jailTimes: number[][] | undefined;
  jailTrip: JailTrip | undefined;
}

/**
 * Counts a hostile event for every jail whose filter matched it; returns
 * whether this event made the address trip its first jail. Memory: at most
 * `maxretry` times per jail and address.
 */
export function recordJailFailure(state: JailState, event: LogEvent, jails: readonly JailThreshold[]): boolean {
  if (state.jailTrip || jails.length === 0 || event.timestamp === undefined) return false;
  const filter = filterOf(event);
  if (filter === undefined) return false;
  const time = event.timestamp;
  for (let i = 0; i < jails.length; i++) {
    const jail = jails[i]!;
    if (jail.filter !== filter) continue;
    const times = ((state.jailTimes ??= jails.map(() => []))[i] ??= []);
    let at = times.length;
    while (at > 0 && times[at - 1]! > time) at--;
    times.splice(at, 0, time);
    if (times.length > jail.maxretry) times.shift();
    if (times.length >= jail.maxretry && times[times.length - 1]! - times[0]! <= jail.findtimeMs) {
      state.jailTrip = {
        jail: jail.name,
        failures: times.length,
        maxretry: jail.maxretry,
        findtimeMs: jail.findtimeMs,
      };
      state.jailTimes = undefined;
      return true;
    }
  }
  return false;
}

/** A jail as fail2ban's configuration gives it (`Fail2banPacks.jails`). */
export interface ConfiguredJail {
  name: string;
  enabled: boolean;
  filter: string;
  maxretry: number | undefined;
  /** Seconds. */
  findtime: number | undefined;
}

/** The thresholds of the enabled jails whose filter is loaded, fail2ban's defaults filling what a jail leaves out. */
export function jailThresholds(jails: readonly ConfiguredJail[], loaded: ReadonlySet<string>): JailThreshold[] {
  return jails
    .filter((j) => j.enabled && loaded.has(j.filter))
    .map((j) => ({
      name: j.name,
      filter: j.filter,
      maxretry: Math.min(MAX_JAIL_RETRY, Math.max(1, j.maxretry ?? FAIL2BAN_DEFAULT_MAXRETRY)),
      findtimeMs: (j.findtime ?? FAIL2BAN_DEFAULT_FINDTIME_S) * 1000,
    }));
}
