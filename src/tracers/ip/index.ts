/**
 * The IP tracer: tracks what every address did, scores how dangerous it is
 * (with reasons), blacklists and publishes as thresholds are crossed, and finds
 * patterns across addresses. Usable inside an Investigation or on its own.
 *
 * Memory is bounded: at most `maxIps` addresses are tracked; when full, the
 * lowest-scoring, least recently active 5% are evicted at once and counted.
 */
import { type JailThreshold, recordJailFailure } from './jails';
import type { LogEvent } from '../../core/event';
import type { AnyFinding } from '../../core/finding';
import type { IpSweepData, IpThreatData, ScoreReason } from '../../core/kinds';
import { type Tracer, type TracerContext, type TracerMeta, standaloneContext } from '../../core/tracer';
import { firstSorted } from '../../core/first-sorted';
import {
  Behaviour,
  type BehaviourLimits,
  DEFAULT_BEHAVIOUR_LIMITS,
  type EvidenceRef,
  countsOf,
  evidenceOf,
  isHostile,
  recordEvent,
} from './behaviour';
import { formatIp, parseIp, readIpv4 } from './address';
import { type IpClassification, type IpClassificationError, classifyIp, isClassificationError } from './classify';
import { unwrapIpv4 } from './embedded-ipv4';
import { EvictionIndex } from './eviction';
import { type ScoreParams, type ScoreParamsInit, resolveScoreParams, scoreEvidence, scoreOf } from './score';
import { DEFAULT_SWEEP_PARAMS, SubnetSweeps, type SweepParams, portProbe, subnetOf, userSpray } from './sweeps';
import { CidrSet, DEFAULT_WHITELIST } from './whitelist';

/** Classifies one address: `Classifier.classify` or `classifyIp` fit. */
export type ClassifyFn = (input: string) => IpClassification | IpClassificationError;

/** Options of the IP tracer; everything has a documented default. */
export interface IpTracerOptions {
  /** Score weights, decay and thresholds (docs/threat-score.md). */
  scoring?: ScoreParamsInit;
  sweeps?: Partial<SweepParams>;
  behaviour?: Partial<BehaviourLimits>;
  /** Networks never blacklisted (default: loopback only). */
  whitelist?: Iterable<string> | CidrSet;
  /** Known-malicious addresses and networks: listed addresses get the `known_malicious` reason. */
  knownMalicious?: Iterable<string> | CidrSet;
  /** Most addresses tracked at once (default 100,000; `limits.maxTrackedIps` of the context overrides). */
  maxIps?: number;
  /** Classification (default: `classifyIp`, registries only; pass a `Classifier`'s `classify` for cloud ranges and MaxMind). */
  classify?: ClassifyFn;
  /** fail2ban jails whose maxretry-in-findtime blacklists an address (from `jailThresholds` of loaded packs). */
  jails?: readonly JailThreshold[];
}

/** Default of `IpTracerOptions.maxIps`. */
export const DEFAULT_MAX_IPS = 100_000;

/** Share of the table evicted at once when it is full. */
const EVICTION_SHARE = 0.05;

/** Everything the tracer knows of one address, as plain data. */
export interface IpProfile {
  ip: string;
  version: 4 | 6;
  type: string;
  range: string;
  subnet: string;
  provider?: string;
  asn?: number;
  org?: string;
  country?: string;
  score: number;
  reasons: ScoreReason[];
  /** Crossed the blacklist threshold (and is not whitelisted); stays true once set. */
  blacklisted: boolean;
  whitelisted: boolean;
  knownMalicious: boolean;
  counts: Record<string, number>;
  users: string[];
  services: string[];
  ports: number[];
  sources: string[];
  hosts: string[];
  firstSeen: string | null;
  lastSeen: string | null;
  evidence: EvidenceRef[];
}

/** Counters of what the tracer did. */
export interface IpTracerStats {
  events: number;
  /** Events that named an address. */
  withIp: number;
  /** Events whose address was not an IP (a host name, garbage): counted, not tracked. */
  unaddressable: number;
  tracked: number;
  /** Addresses forgotten to stay within `maxIps`. */
  evicted: number;
  /** Highest score among evicted addresses (what eviction may have lost). */
  evictedMaxScore: number;
  watched: number;
  blacklisted: number;
  sweeps: number;
  /** Latest event time seen: the reference of the decay. */
  referenceTime: string | null;
}

/** Counts across addresses. */
export interface IpPatterns {
  byType: Record<string, number>;
  /** Subnets with their address count and hostile-address count, most addresses first (at most 100). */
  bySubnet: { subnet: string; ips: number; hostile: number }[];
}

/** Classification of a tracking key, which is a valid address by construction. */
function classifyKey(ip: string): IpClassification {
  const result = classifyIp(ip);
  if (isClassificationError(result)) throw new Error(`tracking key ${ip} is not an address: ${result.error}`);
  return result;
}

/** Scratch bytes of `canonicalKey`. */
const ipv4Bytes = new Uint8Array(4);

/**
 * The tracking key `classifyIp` leads to (see `IpTracer.keyOf`) without
 * judging the address: its canonical text, IPv4-mapped IPv6 as its IPv4
 * address; undefined when the input is not an address.
 */
export function canonicalKey(input: string): string | undefined {
  // Most addresses are IPv4, read without allocating: a valid dotted quad is already canonical.
  if (!input.includes(':')) return readIpv4(input, ipv4Bytes) ? input : undefined;
  const parsed = parseIp(input);
  if (typeof parsed === 'string') return undefined;
  const unwrapped = parsed.version === 6 ? unwrapIpv4(parsed.bytes) : undefined;
  return unwrapped?.embedded.kind === 'ipv4-mapped' ? unwrapped.embedded.ip : formatIp(parsed.bytes);
}

/**
 * A tracked address: its behaviour, classification and verdicts. Classification
 * and subnet are made when first read: most addresses of a large log are
 * evicted before anything reads them.
 */
class Entry extends Behaviour {
  private classified: IpClassification | undefined;
  private subnetText: string | undefined;
  /** Score at the last rescoring (decayed to the reference time then). */
  score = 0;
  /** Where the eviction index holds the score and last activity. */
  slot = 0;
  watched = false;
  blacklisted = false;
  sprayReported = false;
  probeReported = false;

  constructor(
    ip: string,
    classification: IpClassification | undefined,
    readonly whitelisted: boolean,
    knownMalicious: boolean,
  ) {
    super(ip);
    this.classified = classification;
    this.knownMalicious = knownMalicious;
  }

  /** Given at creation by a custom classifier, else made from the key by `classifyIp`. */
  get classification(): IpClassification {
    return (this.classified ??= classifyKey(this.ip));
  }

  get subnet(): string {
    return (this.subnetText ??= subnetOf(this.ip));
  }
}

function iso(time: number | undefined): string | null {
  return time === undefined ? null : new Date(time).toISOString();
}

function toCidrSet(value: Iterable<string> | CidrSet | undefined, fallback: readonly string[]): CidrSet {
  if (value instanceof CidrSet) return value;
  return new CidrSet(value ?? fallback);
}

export class IpTracer implements Tracer {
  readonly meta: TracerMeta = {
    name: 'ip',
    description: 'Tracks addresses, scores their threat with reasons, blacklists, and finds sweeps across addresses.',
    consumes: [],
    produces: ['ip.threat', 'ip.blacklisted', 'ip.sweep'],
  };

  readonly params: ScoreParams;
  readonly sweepParams: SweepParams;
  readonly limits: BehaviourLimits;
  private readonly whitelist: CidrSet;
  private readonly knownMalicious: CidrSet[];
  /** A custom classifier; without one, addresses are classified by `classifyIp` when first read. */
  private readonly classify: ClassifyFn | undefined;
  private readonly jails: readonly JailThreshold[];
  private readonly maxIpsOption: number | undefined;
  private maxIps = DEFAULT_MAX_IPS;
  private ctx: TracerContext | undefined;
  private readonly entries = new Map<string, Entry>();
  private readonly evictionIndex = new EvictionIndex<Entry>();
  private readonly subnetSweeps: SubnetSweeps;
  private reference: number | undefined;
  private readonly counters = { events: 0, withIp: 0, unaddressable: 0, evicted: 0, evictedMaxScore: 0, sweeps: 0 };

  constructor(options: IpTracerOptions = {}) {
    this.params = resolveScoreParams(options.scoring);
    this.sweepParams = { ...DEFAULT_SWEEP_PARAMS, ...options.sweeps };
    this.limits = { ...DEFAULT_BEHAVIOUR_LIMITS, ...options.behaviour };
    this.whitelist = toCidrSet(options.whitelist, DEFAULT_WHITELIST);
    this.knownMalicious = options.knownMalicious ? [toCidrSet(options.knownMalicious, [])] : [];
    this.maxIpsOption = options.maxIps;
    // No cache by default: the table itself answers for tracked addresses, so
    // only new ones are classified, each once, and only if read.
    this.classify = options.classify;
    this.jails = options.jails ?? [];
    this.subnetSweeps = new SubnetSweeps(this.sweepParams);
  }

  attach(ctx: TracerContext): void {
    this.ctx = ctx;
    const limit = this.maxIpsOption ?? ctx.options.limits.maxTrackedIps ?? DEFAULT_MAX_IPS;
    if (!(limit >= 1)) throw new RangeError(`maxIps must be at least 1, got ${limit}`);
    this.maxIps = limit;
  }

  /** The context, attached on a private bus when the tracer is used on its own. */
  private context(): TracerContext {
    if (!this.ctx) this.attach(standaloneContext(this));
    return this.ctx!;
  }

  /** Imports known-malicious networks: tracked and future addresses in them get the reason. */
  importKnownMalicious(list: Iterable<string> | CidrSet): void {
    const added = toCidrSet(list, []);
    this.knownMalicious.push(added);
    for (const entry of this.entries.values()) {
      if (!entry.knownMalicious && added.has(entry.ip)) {
        entry.knownMalicious = true;
        this.rescore(entry);
      }
    }
  }

  ingest(event: LogEvent): void {
    const ctx = this.context();
    this.counters.events++;
    const time = event.timestamp;
    if (time !== undefined && (this.reference === undefined || time > this.reference)) this.reference = time;
    if (event.ip === undefined) return;
    this.counters.withIp++;
    const entry = this.entryFor(event.ip);
    if (!entry) {
      this.counters.unaddressable++;
      return;
    }
    const outcome = recordEvent(entry, event, this.limits, this.params.burstWindowMs);
    if (event.hostile) {
      recordJailFailure(entry, event, this.jails);
      const sweep = this.subnetSweeps.observe(entry.ip, entry.subnet, event);
      if (sweep) this.publishSweep(ctx, `subnet:${sweep.subnet}`, sweep);
    }
    if (outcome === 'scored') this.rescore(entry);
    else this.evictionIndex.update(entry.slot, entry.score, entry.lastSeen);
  }

  /** Publishes what only the whole input shows and brings every published verdict up to date. */
  finish(): void {
    const ctx = this.context();
    for (const entry of this.entries.values()) this.rescore(entry, true);
    for (const sweep of this.subnetSweeps.current()) {
      if (!ctx.bus.revise('ip.sweep', `subnet:${sweep.subnet}`, sweep))
        this.publishSweep(ctx, `subnet:${sweep.subnet}`, sweep);
    }
  }

  /** What the tracer knows of `ip` (any textual form), or undefined when it is not tracked. */
  profile(ip: string): IpProfile | undefined {
    const key = this.keyOf(ip);
    const entry = key === undefined ? undefined : this.entries.get(key);
    return entry && this.toProfile(entry);
  }

  /** Every tracked address, most dangerous first (ties: most recent first, then by address). */
  profiles(): IpProfile[] {
    return [...this.entries.values()].map((entry) => this.toProfile(entry)).sort(byDanger);
  }

  /** The `n` most dangerous addresses. */
  top(n: number): IpProfile[] {
    const entries = [...this.entries.values()].sort((a, b) => b.score - a.score);
    // Scores move with decay, so take a margin before the exact sort of profiles.
    return entries
      .slice(0, Math.max(n * 2, n + 50))
      .map((entry) => this.toProfile(entry))
      .sort(byDanger)
      .slice(0, n);
  }

  /** Addresses blacklisted so far. */
  blacklist(): string[] {
    return [...this.entries.values()]
      .filter((entry) => entry.blacklisted)
      .map((entry) => entry.ip)
      .sort();
  }

  /** Current sweeps of every kind. */
  sweeps(): IpSweepData[] {
    const sweeps = this.subnetSweeps.current();
    for (const entry of this.entries.values()) {
      const spray = entry.sprayReported && userSpray(entry, entry.subnet, this.sweepParams, this.limits.maxEvidence);
      if (spray) sweeps.push(spray);
      const probe = entry.probeReported && portProbe(entry, entry.subnet, this.sweepParams, this.limits.maxEvidence);
      if (probe) sweeps.push(probe);
    }
    return sweeps;
  }

  /** Counts by classification type and by subnet, over the tracked addresses. */
  patterns(): IpPatterns {
    const byType: Record<string, number> = {};
    const subnets = new Map<string, { subnet: string; ips: number; hostile: number }>();
    for (const entry of this.entries.values()) {
      byType[entry.classification.type] = (byType[entry.classification.type] ?? 0) + 1;
      let row = subnets.get(entry.subnet);
      if (!row) subnets.set(entry.subnet, (row = { subnet: entry.subnet, ips: 0, hostile: 0 }));
      row.ips++;
      if (isHostile(entry)) row.hostile++;
    }
    const bySubnet = firstSorted(
      subnets.values(),
      100,
      (a, b) => b.ips - a.ips || b.hostile - a.hostile || (a.subnet < b.subnet ? -1 : 1),
    );
    return { byType, bySubnet };
  }

  stats(): IpTracerStats {
    let watched = 0;
    let blacklisted = 0;
    for (const entry of this.entries.values()) {
      if (entry.watched) watched++;
      if (entry.blacklisted) blacklisted++;
    }
    return {
      ...this.counters,
      tracked: this.entries.size,
      watched,
      blacklisted,
      referenceTime: iso(this.reference),
    };
  }

  /** The tracer's statistics for an investigation's report. */
  summary(): Record<string, unknown> {
    return { ...this.stats(), patterns: this.patterns() };
  }

  /** Findings on the tracer's bus (its private one when used on its own). */
  findings(): AnyFinding[] {
    return this.context().bus.findings();
  }

  /** The latest event time seen, which the decay is relative to. */
  get referenceTime(): number | undefined {
    return this.reference;
  }

  /** The tracking key of an address text: IPv4-mapped IPv6 is its IPv4 address. Undefined when it is not an address. */
  private keyOf(input: string): string | undefined {
    return this.classify ? this.classifyCustom(this.classify, input)?.ip : canonicalKey(input);
  }

  /** `keyOf` with a custom classifier: the classification of the key. */
  private classifyCustom(classify: ClassifyFn, input: string): IpClassification | undefined {
    const result = classify(input);
    if (isClassificationError(result)) return undefined;
    if (result.embedded?.kind !== 'ipv4-mapped') return result;
    const inner = classify(result.embedded.ip);
    return isClassificationError(inner) ? result : inner;
  }

  private entryFor(input: string): Entry | undefined {
    // Most logs write addresses canonically: a tracked one needs no classification.
    const known = this.entries.get(input);
    if (known) return known;
    const classification = this.classify && this.classifyCustom(this.classify, input);
    const ip = this.classify ? classification?.ip : canonicalKey(input);
    if (ip === undefined) return undefined;
    const existing = ip === input ? undefined : this.entries.get(ip);
    if (existing) return existing;
    if (this.entries.size >= this.maxIps) this.evict();
    const entry = new Entry(ip, classification, this.whitelist.has(ip), this.isKnownMalicious(ip));
    this.entries.set(ip, entry);
    entry.slot = this.evictionIndex.add(entry, entry.score, entry.lastSeen);
    return entry;
  }

  /** Forgets the lowest-scoring, least recently active share of the table (see `EvictionIndex`). */
  private evict(): void {
    const wanted = Math.min(this.entries.size, Math.max(1, Math.floor(this.maxIps * EVICTION_SHARE)));
    for (const entry of this.evictionIndex.evict(wanted, this.reference, this.params.halfLifeMs)) {
      this.entries.delete(entry.ip);
      this.counters.evicted++;
      if (entry.score > this.counters.evictedMaxScore) this.counters.evictedMaxScore = entry.score;
    }
  }

  private rescore(entry: Entry, final = false): void {
    const ctx = this.context();
    const score = scoreOf(entry, this.params, this.reference);
    const changed = score !== entry.score;
    entry.score = score;
    this.evictionIndex.update(entry.slot, score, entry.lastSeen);
    if (!entry.watched && score >= this.params.watchThreshold) {
      entry.watched = true;
      ctx.report('ip.threat', entry.ip, this.threatData(entry));
    } else if (entry.watched && (changed || final)) {
      // A bounded bus may have evicted the verdict: published anew, the case stays current.
      const data = this.threatData(entry);
      if (!ctx.bus.revise('ip.threat', entry.ip, data)) ctx.report('ip.threat', entry.ip, data);
    }
    if (!entry.blacklisted && !entry.whitelisted && score >= this.params.blacklistThreshold) {
      entry.blacklisted = true;
      ctx.report('ip.blacklisted', entry.ip, this.threatData(entry));
    } else if (entry.blacklisted && (changed || final)) {
      const data = this.threatData(entry);
      if (!ctx.bus.revise('ip.blacklisted', entry.ip, data)) ctx.report('ip.blacklisted', entry.ip, data);
    }
    this.checkSweeps(ctx, entry, final);
  }

  private checkSweeps(ctx: TracerContext, entry: Entry, final: boolean): void {
    const { maxEvidence } = this.limits;
    if (entry.sprayReported ? final : entry.users.length >= this.sweepParams.sprayMinUsers) {
      const spray = userSpray(entry, entry.subnet, this.sweepParams, maxEvidence);
      if (spray) {
        if (entry.sprayReported) ctx.bus.revise('ip.sweep', `user-spray:${entry.ip}`, spray);
        else this.publishSweep(ctx, `user-spray:${entry.ip}`, spray);
        entry.sprayReported = true;
      }
    }
    if (entry.probeReported ? final : entry.ports.length >= this.sweepParams.probeMinPorts) {
      const probe = portProbe(entry, entry.subnet, this.sweepParams, maxEvidence);
      if (probe) {
        if (entry.probeReported) ctx.bus.revise('ip.sweep', `port-probe:${entry.ip}`, probe);
        else this.publishSweep(ctx, `port-probe:${entry.ip}`, probe);
        entry.probeReported = true;
      }
    }
  }

  private isKnownMalicious(ip: string): boolean {
    for (const set of this.knownMalicious) if (set.has(ip)) return true;
    return false;
  }

  private publishSweep(ctx: TracerContext, key: string, sweep: IpSweepData): void {
    if (ctx.report('ip.sweep', key, sweep)) this.counters.sweeps++;
  }

  /** The score with its reasons; a whitelisted address's reasons say why it is never blacklisted. */
  private explained(entry: Entry): { score: number; reasons: ScoreReason[] } {
    const scored = scoreEvidence(entry, this.params, this.reference);
    if (entry.whitelisted) scored.reasons.push(whitelistReason(scored.score, this.params.blacklistThreshold));
    return scored;
  }

  private threatData(entry: Entry): IpThreatData {
    const { score, reasons } = this.explained(entry);
    return {
      ip: entry.ip,
      score,
      reasons,
      type: entry.classification.type,
      blacklisted: entry.blacklisted,
      firstSeen: iso(entry.firstSeen),
      lastSeen: iso(entry.lastSeen),
      counts: countsOf(entry),
      services: entry.services.slice(),
    };
  }

  private toProfile(entry: Entry): IpProfile {
    const { score, reasons } = this.explained(entry);
    const c = entry.classification;
    const profile: IpProfile = {
      ip: entry.ip,
      version: c.version,
      type: c.type,
      range: c.range,
      subnet: entry.subnet,
      score,
      reasons,
      blacklisted: entry.blacklisted,
      whitelisted: entry.whitelisted,
      knownMalicious: entry.knownMalicious,
      counts: countsOf(entry),
      users: [...entry.users],
      services: entry.services.slice(),
      ports: [...entry.ports].sort((a, b) => a - b),
      sources: entry.sources.slice(),
      hosts: entry.hosts.slice(),
      firstSeen: iso(entry.firstSeen),
      lastSeen: iso(entry.lastSeen),
      evidence: evidenceOf(entry, this.limits.maxEvidence),
    };
    if (c.provider !== undefined) profile.provider = c.provider;
    if (c.asn !== undefined) profile.asn = c.asn;
    if (c.org !== undefined) profile.org = c.org;
    if (c.country !== undefined) profile.country = c.country;
    return profile;
  }
}

/** The reason (0 points) naming the whitelist that keeps an address off the blacklist. */
export function whitelistReason(score: number, threshold: number): ScoreReason {
  const verdict =
    score >= threshold
      ? `not blacklisted although the score reaches the threshold (${threshold})`
      : 'never blacklisted';
  return {
    code: 'whitelisted',
    text: `on the whitelist (option whitelist; by default loopback, ${DEFAULT_WHITELIST.join(' and ')}): ${verdict}`,
    points: 0,
  };
}

/** Most dangerous first: score, then most recent, then address. */
function byDanger(a: IpProfile, b: IpProfile): number {
  return (
    b.score - a.score || (b.lastSeen ?? '').localeCompare(a.lastSeen ?? '') || (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : 0)
  );
}
