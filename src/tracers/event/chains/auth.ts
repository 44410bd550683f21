/**
 * Login chains of one address: failed logins -> ban (-> unban), the repeat
 * offence (failures again after an unban -> banned again), the summary of its
 * authentication failures with their root causes, and failures followed by a
 * success (a possible compromise).
 */
import type { IpHistory, IpRecord } from '../history';
import type { EventLimits } from '../limits';
import { guardedBy } from '../relationships';
import { type TimedStep, byTime, clock, duration, iso } from '../step';
import { type Chain, boundSteps, listOf, plural, span } from './chain';

/** Severity of each login chain kind (0-100). */
export const AUTH_CHAIN_SEVERITY = { ban: 50, 'repeat-offence': 65, compromise: 90 } as const;

function within(t: number | undefined, after: number, upTo: number): boolean {
  return t !== undefined && t > after && t <= upTo;
}

function distinct(values: readonly (string | undefined)[]): string[] {
  return [...new Set(values.filter((v): v is string => v !== undefined))];
}

/** ` for 2 users (root, admin)`, or nothing when the log named none (SASL failures). */
function forUsers(users: readonly string[]): string {
  return users.length === 0 ? '' : ` for ${plural(users.length, 'user')} (${listOf(users)})`;
}

/** Whether a failure on `service` is one fail2ban's `jail` watches (`sshd` -> ssh, `nginx-http-auth` -> nginx). */
function watchedBy(jail: string | undefined, service: string | undefined): boolean {
  if (service === undefined) return true;
  const guarded = guardedBy('fail2ban');
  if (!guarded.includes(service)) return false;
  if (jail === undefined) return true;
  const jailService = guarded.find((name) => jail.startsWith(name));
  return jailService === undefined || jailService === service;
}

function banChains(history: IpHistory, limits: EventLimits): Chain[] {
  const records = history.bans.toArray().sort(byTime);
  const failures = history.failures.toArray().sort(byTime);
  const found = history.found.toArray().sort(byTime);
  const chains: Chain[] = [];
  let lastUnban: IpRecord | undefined;
  let banNumber = 0;
  for (let i = 0; i < records.length; i++) {
    const ban = records[i]!;
    if (ban.action === 'ip.unban' || ban.t === undefined) continue;
    // A second ban with no unban between (a restore after restart) continues the first.
    const previous = records[i - 1];
    if (previous && previous.action !== 'ip.unban' && previous.t !== undefined) continue;
    banNumber++;
    let unban: IpRecord | undefined;
    for (let j = i + 1; j < records.length && !unban; j++) if (records[j]!.action === 'ip.unban') unban = records[j];
    const from = Math.max(lastUnban?.t ?? -Infinity, ban.t - limits.eventBanLookbackMs);
    const logins = failures.filter((f) => within(f.t, from, ban.t!) && watchedBy(ban.jail, f.service));
    const matches = logins.length ? [] : found.filter((f) => within(f.t, from, ban.t!));
    const evidence: TimedStep[] = logins.length ? logins : matches;
    const repeat = lastUnban !== undefined;
    const jail = ban.jail ?? 'unknown jail';
    const counted = logins.length
      ? `${plural(logins.length, 'failed login')} (${distinct(logins.map((f) => f.service)).join(', ') || 'unknown service'})`
      : matches.length
        ? `${matches.length} fail2ban match${matches.length === 1 ? '' : 'es'}`
        : 'no failed login in the logs read';
    const firstEvidence = evidence[0]?.t;
    const over = firstEvidence !== undefined && evidence.length > 1 ? ` over ${duration(ban.t - firstEvidence)}` : '';
    const ending = unban
      ? `; unbanned at ${clock(unban.t)} (${duration((unban.t ?? ban.t) - ban.t)} later)`
      : '; still banned at the end of the logs';
    const summary = repeat
      ? `${history.ip} came back ${duration(ban.t - lastUnban!.t!)} after its unban at ${clock(lastUnban!.t)}: ${counted}, banned again by fail2ban [${jail}] at ${clock(ban.t)} (ban ${banNumber})${ending}`
      : `${history.ip} banned by fail2ban [${jail}] at ${clock(ban.t)} after ${counted}${over}${ending}`;
    const conclusion = [ban, ...(unban ? [unban] : [])];
    const kind = repeat ? 'repeat-offence' : 'ban';
    chains.push({
      key: `${kind}:${history.ip}:${iso(ban.t)}`,
      data: {
        kind,
        summary,
        ip: history.ip,
        service: distinct(logins.map((f) => f.service))[0] ?? null,
        steps: boundSteps(repeat ? [lastUnban!, ...evidence] : evidence, conclusion, limits.eventChainSteps),
        ...span(repeat ? lastUnban!.t : (firstEvidence ?? ban.t), unban?.t ?? ban.t),
        severity: AUTH_CHAIN_SEVERITY[kind],
        details: {
          jail: ban.jail ?? null,
          banNumber,
          failedLogins: logins.length,
          fail2banMatches: matches.length,
          users: distinct(logins.map((f) => f.user)),
          bannedAt: iso(ban.t),
          unbannedAt: unban ? iso(unban.t) : null,
        },
      },
    });
    if (unban) lastUnban = unban;
  }
  return chains;
}

function causesSentence(history: IpHistory): string {
  const c = history.causes;
  const parts: string[] = [];
  if (c.invalidUser) {
    parts.push(`${c.invalidUser} for invalid users (${listOf(history.invalidUsers)})`);
  } else if (history.invalidUsers.length) {
    parts.push(`invalid users (${listOf(history.invalidUsers)})`);
  }
  if (c.password) parts.push(plural(c.password, 'wrong password'));
  if (c.badKey) parts.push(plural(c.badKey, 'rejected key'));
  if (c.maxAttempts) parts.push(`${c.maxAttempts} over the attempt limit`);
  if (c.pam) parts.push(plural(c.pam, 'PAM authentication failure'));
  if (c.other) parts.push(`${c.other} other`);
  return parts.join(', ');
}

function failuresChain(history: IpHistory, limits: EventLimits): Chain | undefined {
  const total = history.failures.total;
  if (total < limits.eventMinFailures) return undefined;
  const failures = history.failures.toArray().sort(byTime);
  const users = history.users.slice();
  const services = distinct(failures.map((f) => f.service));
  const first = failures[0]?.t;
  const last = failures[failures.length - 1]?.t;
  const over = first !== undefined && last !== undefined && last > first ? ` over ${duration(last - first)}` : '';
  return {
    key: `auth-failures:${history.ip}`,
    data: {
      kind: 'auth-failures',
      summary: `${history.ip}: ${plural(total, 'failed login')} (${services.join(', ') || 'unknown service'})${forUsers(users)}${over}: ${causesSentence(history)}`,
      ip: history.ip,
      service: services[0] ?? null,
      steps: boundSteps(failures, [], limits.eventChainSteps),
      ...span(first, last),
      severity: Math.min(60, 30 + 2 * total),
      details: {
        failedLogins: total,
        users,
        invalidUsers: history.invalidUsers.slice(),
        causes: { ...history.causes },
        services,
      },
    },
  };
}

function compromiseChains(history: IpHistory, limits: EventLimits): Chain[] {
  const failures = history.failures.toArray().sort(byTime);
  const chains: Chain[] = [];
  let after = -Infinity;
  for (const success of history.successes.toArray().sort(byTime)) {
    if (success.t === undefined) continue;
    const from = Math.max(after, success.t - limits.eventCompromiseLookbackMs);
    const before = failures.filter((f) => within(f.t, from, success.t!));
    after = success.t;
    if (before.length < limits.eventMinFailures) continue;
    const users = distinct(before.map((f) => f.user));
    const user = success.user ?? 'an unknown user';
    const sameUser = success.user !== undefined && users.includes(success.user);
    const forWhom = sameUser && users.length === 1 ? ` for ${user}` : users.length ? ` for ${listOf(users)}` : '';
    chains.push({
      key: `compromise:${history.ip}:${iso(success.t)}`,
      data: {
        kind: 'compromise',
        summary: `possible compromise: ${history.ip} logged in as ${user} (${success.service ?? 'unknown service'}) at ${clock(success.t)} after ${plural(before.length, 'failed login')}${forWhom} within ${duration(success.t - before[0]!.t!)}`,
        ip: history.ip,
        service: success.service ?? null,
        // The failures closest to the success are the most telling: keep the last ones.
        steps: boundSteps(before.slice(-(limits.eventChainSteps - 1)), [success], limits.eventChainSteps),
        ...span(before[0]!.t, success.t),
        severity: AUTH_CHAIN_SEVERITY.compromise,
        details: { user: success.user ?? null, failedLogins: before.length, users, sameUser },
      },
    });
  }
  return chains;
}

/** Every login chain of one address, in a stable order (failures summary, bans, compromises). */
export function authChains(history: IpHistory, limits: EventLimits): Chain[] {
  const summary = failuresChain(history, limits);
  return [...(summary ? [summary] : []), ...banChains(history, limits), ...compromiseChains(history, limits)];
}
