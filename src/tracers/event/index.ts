/**
 * The event tracer: reads every log event, scores its severity, keeps bounded
 * per-address histories and per-minute indexes, and concludes causality chains
 * (failed logins -> ban, repeat offences, authentication failures and their
 * root causes, failures -> success, outages with the systemd unit failure
 * that caused them and their recovery, OOM kills and full disks -> downstream
 * failures), plus statistics. systemd's lines about a unit count for that
 * unit's service (`postgresql@15-main.service` failing is postgresql failing).
 *
 * On the bus: when the IP tracer flags an address (`ip.threat`,
 * `ip.blacklisted`), it publishes that address's `event.timeline` and its
 * `event.chain`s, caused by the flag. Chains need every event (files are read
 * one after another, not in time order), so they are concluded in `finish()`;
 * a flag that arrives before then is answered in `finish()` (or the next
 * `flush()` when following logs). Attach the event tracer after the IP tracer,
 * so the IP tracer's own `finish()` flags come first and the suspects' chains
 * carry their cause.
 */
import type { LogEvent } from '../../core/event';
import type { Finding } from '../../core/finding';
import type { EventChainData, EventTimelineData } from '../../core/kinds';
import { LruMap } from '../../core/lru';
import type { Tracer, TracerContext, TracerMeta } from '../../core/tracer';
import { Ring } from './bounded';
import { authChains } from './chains/auth';
import type { Chain } from './chains/chain';
import { outageChains, type TroubleRecord, type UnitFailureRecord } from './chains/outage';
import { type ExhaustionRecord, oomVictim, resourceChains } from './chains/resource';
import { isServiceFailure, unitFailure, unitSubject } from './failure';
import { IpHistory } from './history';
import { type EventLimits, resolveEventLimits } from './limits';
import { FailureIndex, HealthIndex } from './minute-index';
import { tierOf } from './relationships';
import { severity } from './severity';
import { type EventStats, StatsCollector } from './stats';
import { byTime, chainStep, compareText, stepMessage, timeOf } from './step';
import { connectionTrouble } from './trouble';

/** What the tracer had to forget to stay within its limits. */
export interface EventEvictions {
  ips: number;
  incidents: number;
  failureMinutes: number;
  healthBuckets: number;
  topUsers: number;
  timeBuckets: number;
}

type Verdict = Finding<'ip.threat'> | Finding<'ip.blacklisted'>;

/**
 * The event tracer (see the module comment). Use it in an Investigation, or on
 * its own: `attach(standaloneContext(tracer))`, `ingest` events, `finish()`,
 * then read `chains()`, `timeline(ip)`, `stats()` or the bus.
 */
export class EventTracer implements Tracer {
  readonly meta: TracerMeta = {
    name: 'event',
    description:
      'severity per event, causality chains (bans, repeat offences, auth failures, compromises, outages, OOM and disk-full effects), timelines and statistics',
    consumes: ['ip.threat', 'ip.blacklisted'],
    produces: ['event.chain', 'event.timeline'],
  };

  private limits: EventLimits;
  private ctx: TracerContext | undefined;
  private ips!: LruMap<string, IpHistory>;
  private troubles!: Ring<TroubleRecord>;
  private unitFailures!: Ring<UnitFailureRecord>;
  private exhaustions!: Ring<ExhaustionRecord>;
  private failures!: FailureIndex;
  private health!: HealthIndex;
  private statistics!: StatsCollector;
  private readonly services = new Set<string>();
  private concluded: Chain[] | undefined;
  /** The concluded chains of each address, built with them, so no answer scans them all. */
  private concludedByIp = new Map<string, Chain[]>();
  private finished = false;
  private readonly pending = new Map<string, Verdict>();
  private readonly answered = new Set<string>();
  /** Answered addresses with events since the last flush: the only timelines a flush rebuilds. */
  private readonly changed = new Set<string>();
  /** Each address's auth chains as last concluded; dropped when the address has a new event. */
  private authByHistory = new WeakMap<IpHistory, Chain[]>();
  /** The chains the last flush published; the same list (nothing ingested since) needs no revision. */
  private published: Chain[] | undefined;

  /** @param limits overrides of the defaults (DEFAULT_EVENT_LIMITS), taking precedence over `options.limits` */
  constructor(private readonly own: Partial<EventLimits> = {}) {
    this.limits = resolveEventLimits({}, own);
    this.reset();
  }

  attach(ctx: TracerContext): void {
    this.ctx = ctx;
    this.limits = resolveEventLimits(ctx.options.limits, this.own);
    this.reset();
    const onVerdict = (finding: Verdict) => {
      const ip = finding.data.ip;
      if (this.finished) this.answer(ip, finding);
      else if (!this.pending.has(ip)) this.pending.set(ip, finding);
    };
    ctx.on('ip.threat', onVerdict);
    ctx.on('ip.blacklisted', onVerdict);
  }

  ingest(event: LogEvent): void {
    this.concluded = undefined;
    const score = severity(event);
    const t = timeOf(event);
    this.statistics.add(event, score, t);
    const service = event.service;
    if (service !== undefined && this.services.size < this.limits.eventStatsKeys) this.services.add(service);
    if (event.ip !== undefined) {
      let history = this.ips.get(event.ip);
      if (!history) {
        history = new IpHistory(event.ip, this.limits);
        this.ips.set(event.ip, history);
      }
      history.add(event, t);
      this.authByHistory.delete(history);
      if (this.answered.has(event.ip)) this.changed.add(event.ip);
    }
    if (t === undefined) return;
    const action = event.action;
    if (action === 'oom.kill' || action === 'disk.full') {
      this.exhaustions.push({
        t,
        action,
        source: event.source,
        line: event.line,
        message: stepMessage(event),
        kind: action === 'oom.kill' ? 'oom-kill' : 'disk-full',
        service,
        victim: action === 'oom.kill' ? oomVictim(event.message) : undefined,
      });
      return;
    }
    // systemd's lines about a unit are evidence about that unit's service, not about systemd.
    const subject = unitSubject(event);
    if (isServiceFailure(event)) {
      const trouble = connectionTrouble(event);
      const failure = {
        t,
        action: trouble?.kind ?? action ?? 'event',
        source: event.source,
        line: event.line,
        message: stepMessage(event),
        service: subject ?? service,
      };
      if (trouble) this.troubles.push({ ...failure, trouble, from: service });
      if (subject !== undefined && action === 'unit.failed')
        this.unitFailures.push({ ...failure, service: subject, ...unitFailure(event) });
      this.failures.add(failure);
    } else if (service !== undefined && !event.hostile) {
      // A unit that started is its service back; one that stopped or restarts is no sign of health.
      const healthy = subject === undefined ? service : action === 'unit.started' ? subject : undefined;
      if (healthy !== undefined) this.health.add(tierOf(healthy), event, t);
    }
  }

  /** End of input: the last flush; flags that arrive later are answered at once. */
  async finish(): Promise<void> {
    this.flush();
    this.finished = true;
  }

  /**
   * Concludes the chains of the events so far and publishes them: new chains
   * are reported, changed ones revised in place (a growing failure count, a
   * recovery seen at last); the flags received since the last flush get their
   * timeline and chains. `finish()` is the last flush; when following logs,
   * call it now and then to see chains as they form. Incremental: only the
   * timelines and auth chains of addresses with new events are rebuilt, and
   * nothing is concluded or revised when no event came since the last flush.
   */
  flush(): void {
    if (!this.ctx) return;
    for (const [ip, verdict] of this.pending) this.answer(ip, verdict);
    this.pending.clear();
    for (const ip of this.changed) {
      const timeline = this.timeline(ip);
      if (timeline) this.ctx.bus.revise('event.timeline', ip, timeline);
    }
    this.changed.clear();
    const chains = this.concludedChains();
    if (chains === this.published) return;
    this.published = chains;
    for (const chain of chains) {
      if (!this.ctx.bus.revise('event.chain', chain.key, chain.data)) {
        this.ctx.report('event.chain', chain.key, chain.data);
      }
    }
  }

  /** The causality chains concluded from the events so far (all of them, in time order). */
  chains(): EventChainData[] {
    return this.concludedChains().map((chain) => chain.data);
  }

  /** The chains with their finding keys. */
  keyedChains(): Chain[] {
    return this.concludedChains().slice();
  }

  /** The events of `ip` (bounded: the first and the last ones) and how many there were. */
  timeline(ip: string): EventTimelineData | undefined {
    const history = this.ips.peek(ip);
    if (!history) return undefined;
    return {
      ip,
      events: history.records().sort(byTime).map(chainStep),
      total: history.total,
      chains: this.chainsOf(ip).map((chain) => chain.key),
    };
  }

  /** Statistics of the events so far. */
  stats(): EventStats & { evictions: EventEvictions; limits: EventLimits } {
    const top = this.statistics.evicted;
    const counts = [...this.ips.entries()].map(([ip, history]): [string, number] => [ip, history.total]);
    return {
      ...this.statistics.snapshot(counts, this.ips.evicted),
      evictions: {
        ips: this.ips.evicted,
        incidents: this.troubles.dropped + this.exhaustions.dropped + this.unitFailures.dropped,
        failureMinutes: this.failures.evicted,
        healthBuckets: this.health.evicted,
        topUsers: top.users,
        timeBuckets: top.buckets,
      },
      limits: { ...this.limits },
    };
  }

  /** The statistics for an investigation's report. */
  summary(): Record<string, unknown> {
    return { ...this.stats() };
  }

  /** How many addresses have a history now (at most `eventMaxIps`). */
  get trackedIps(): number {
    return this.ips.size;
  }

  private reset(): void {
    const l = this.limits;
    this.ips = new LruMap(l.eventMaxIps);
    this.troubles = new Ring(l.eventMaxIncidents);
    this.unitFailures = new Ring(l.eventMaxIncidents);
    this.exhaustions = new Ring(l.eventMaxIncidents);
    this.failures = new FailureIndex(l.eventFailureMinutes, l.eventFailuresPerMinute);
    this.health = new HealthIndex(l.eventHealthBuckets);
    this.statistics = new StatsCollector(l);
    this.concluded = undefined;
    this.authByHistory = new WeakMap();
  }

  private concludedChains(): Chain[] {
    if (this.concluded) return this.concluded;
    const chains: Chain[] = [];
    for (const history of this.ips.values()) {
      let auth = this.authByHistory.get(history);
      if (!auth) {
        auth = authChains(history, this.limits);
        this.authByHistory.set(history, auth);
      }
      chains.push(...auth);
    }
    chains.push(
      ...outageChains(
        this.troubles.toArray(),
        this.unitFailures.toArray(),
        this.health,
        (s) => this.services.has(s),
        this.limits,
      ),
    );
    chains.push(...resourceChains(this.exhaustions.toArray(), this.failures, this.limits));
    chains.sort(
      (a, b) =>
        compareText(a.data.start ?? '', b.data.start ?? '') ||
        compareText(a.data.kind, b.data.kind) ||
        compareText(a.key, b.key),
    );
    this.concluded = chains;
    this.concludedByIp = new Map();
    for (const chain of chains) {
      const ip = chain.data.ip;
      if (ip === null) continue;
      const list = this.concludedByIp.get(ip);
      if (list) list.push(chain);
      else this.concludedByIp.set(ip, [chain]);
    }
    return chains;
  }

  /** The concluded chains of one address, in time order. */
  private chainsOf(ip: string): Chain[] {
    this.concludedChains();
    return this.concludedByIp.get(ip) ?? [];
  }

  /** Publishes the timeline and chains of a flagged address, caused by its flag. */
  private answer(ip: string, verdict: Verdict): void {
    if (!this.ctx || this.answered.has(ip)) return;
    this.answered.add(ip);
    const timeline = this.timeline(ip);
    const cause: Finding = verdict;
    if (timeline) this.ctx.report('event.timeline', ip, timeline, cause);
    for (const chain of this.chainsOf(ip)) this.ctx.report('event.chain', chain.key, chain.data, cause);
  }
}
