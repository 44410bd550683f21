/**
 * The reputation database: what the IP tracer learned, as JSON other tools (and
 * other hosts' logsleuth) consume. Validated against
 * `schemas/reputation.schema.json` when written and when read, written
 * atomically, and merged deterministically across hosts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readJsonFile, writeJsonFile } from '../../core/json-file';
import type { ScoreReason } from '../../core/kinds';
import { DEFAULT_BEHAVIOUR_LIMITS } from './behaviour';
import type { IpProfile, IpTracer } from './index';
import { type ScoreEvidence, type ScoreParams, type ScoreParamsInit, resolveScoreParams, scoreEvidence } from './score';

/** The additive evidence counts of an entry. */
export interface ReputationCounts {
  events: number;
  failedLogins: number;
  invalidUsers: number;
  otherHostile: number;
  probes: number;
  successes: number;
  successAfterFailures: number;
  bans: number;
  unbans: number;
  found: number;
  /** Most hostile events within the burst window (merged: the largest, a lower bound across hosts). */
  maxBurst: number;
}

/** One address in the database. */
export interface ReputationEntry {
  ip: string;
  version: 4 | 6;
  type: 'localhost' | 'private' | 'special' | 'cloud' | 'public';
  range: string;
  subnet: string;
  provider?: string;
  asn?: number;
  org?: string;
  country?: string;
  score: number;
  blacklisted: boolean;
  whitelisted: boolean;
  knownMalicious: boolean;
  reasons: ScoreReason[];
  counts: ReputationCounts;
  users: string[];
  ports: number[];
  services: string[];
  sources: string[];
  hosts: string[];
  firstSeen: string | null;
  lastSeen: string | null;
}

/** A reputation database (schemas/reputation.schema.json). */
export interface ReputationDb {
  version: 1;
  generatedAt: string;
  generator: { name: string; version: string };
  /** The latest event time the scores are decayed to. */
  referenceTime: string | null;
  selection: { all: boolean; minScore: number };
  scoring: ScoreParams;
  entries: ReputationEntry[];
}

/** Which addresses to export, and the time to stamp. */
export interface ExportOptions {
  /** Every tracked address. */
  all?: boolean;
  /** Addresses scoring at least this (default: the watch threshold); blacklisted ones are always exported. */
  minScore?: number;
  /** Generation time, ms (default: now). */
  now?: number;
}

/** Options of a merge. */
export interface MergeOptions {
  /** The parameters scores are recomputed with (default: the defaults, whatever the inputs used). */
  scoring?: ScoreParamsInit;
  /** Generation time, ms (default: now). */
  now?: number;
}

const COUNT_KEYS: readonly (keyof ReputationCounts)[] = [
  'events',
  'failedLogins',
  'invalidUsers',
  'otherHostile',
  'probes',
  'successes',
  'successAfterFailures',
  'bans',
  'unbans',
  'found',
  'maxBurst',
];

/** Bounds of the merged name and port lists (as the tracker's own). */
const MAX_USERS = DEFAULT_BEHAVIOUR_LIMITS.maxUsers;
const MAX_PORTS = DEFAULT_BEHAVIOUR_LIMITS.maxPorts;
const MAX_NAMES = DEFAULT_BEHAVIOUR_LIMITS.maxNames;

let generatorVersion: string | undefined;

/** This package's name and version, stamped into every database. */
function generator(): { name: string; version: string } {
  generatorVersion ??= (
    JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { version: string }
  ).version;
  return { name: 'logsleuth', version: generatorVersion };
}

function iso(ms: number | undefined): string | null {
  return ms === undefined ? null : new Date(ms).toISOString();
}

function ms(time: string | null): number | undefined {
  return time === null ? undefined : Date.parse(time);
}

function isCountryCode(text: string): boolean {
  return text.length === 2 && [...text].every((c) => c >= 'A' && c <= 'Z');
}

function entryFromProfile(profile: IpProfile): ReputationEntry {
  const counts = {} as ReputationCounts;
  for (const key of COUNT_KEYS) counts[key] = profile.counts[key] ?? 0;
  const entry: ReputationEntry = {
    ip: profile.ip,
    version: profile.version,
    type: profile.type as ReputationEntry['type'],
    range: profile.range.slice(0, 256),
    subnet: profile.subnet,
    score: profile.score,
    blacklisted: profile.blacklisted,
    whitelisted: profile.whitelisted,
    knownMalicious: profile.knownMalicious,
    reasons: profile.reasons,
    counts,
    users: [...profile.users].sort(),
    ports: profile.ports,
    services: [...profile.services].sort(),
    sources: [...profile.sources].sort(),
    hosts: [...profile.hosts].sort(),
    firstSeen: profile.firstSeen,
    lastSeen: profile.lastSeen,
  };
  // Metadata comes from range files and databases the user loaded: keep it within the schema's bounds.
  if (profile.provider !== undefined) entry.provider = profile.provider.slice(0, 64);
  if (profile.asn !== undefined && Number.isInteger(profile.asn) && profile.asn >= 0 && profile.asn <= 0xffffffff) {
    entry.asn = profile.asn;
  }
  if (profile.org !== undefined) entry.org = profile.org.slice(0, 256);
  if (profile.country !== undefined && isCountryCode(profile.country)) entry.country = profile.country;
  return entry;
}

/** Most dangerous first, then by address: the order of every database's entries. */
function byScoreThenIp(a: ReputationEntry, b: ReputationEntry): number {
  return b.score - a.score || (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : 0);
}

/** The tracker's knowledge as a database (validated by `writeReputation`, not here). */
export function exportReputation(tracer: IpTracer, options: ExportOptions = {}): ReputationDb {
  const minScore = options.minScore ?? tracer.params.watchThreshold;
  const all = options.all === true;
  const entries = tracer
    .profiles()
    .filter((profile) => all || profile.blacklisted || profile.score >= minScore)
    .map(entryFromProfile)
    .sort(byScoreThenIp);
  return {
    version: 1,
    generatedAt: new Date(options.now ?? Date.now()).toISOString(),
    generator: generator(),
    referenceTime: iso(tracer.referenceTime),
    selection: { all, minScore: all ? 0 : minScore },
    scoring: tracer.params,
    entries,
  };
}

/** Writes a database atomically, after validating it against its schema. */
export async function writeReputation(path: string, db: ReputationDb): Promise<void> {
  await writeJsonFile(path, 'reputation', db);
}

/** Reads and validates a database; a hostile or broken file is rejected with a clear error. */
export async function readReputation(path: string): Promise<ReputationDb> {
  return readJsonFile<ReputationDb>(path, 'reputation');
}

/** The score evidence an entry carries. */
export function entryEvidence(entry: ReputationEntry): ScoreEvidence {
  const c = entry.counts;
  return {
    failedLogins: c.failedLogins,
    invalidUsers: c.invalidUsers,
    otherHostile: c.otherHostile,
    probes: c.probes,
    bans: c.bans,
    successAfterFailures: c.successAfterFailures,
    distinctUsers: entry.users.length,
    distinctPorts: entry.ports.length,
    maxBurst: c.maxBurst,
    knownMalicious: entry.knownMalicious,
    lastSeen: ms(entry.lastSeen),
  };
}

function union<T>(lists: T[][], max: number, compare?: (a: T, b: T) => number): T[] {
  return [...new Set(lists.flat())].sort(compare).slice(0, max);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const METADATA_KEYS = ['version', 'type', 'range', 'subnet', 'provider', 'asn', 'org', 'country'] as const;

/**
 * The order in which entries give metadata: the most recently seen first, then
 * the smallest metadata (as JSON text) so the choice never depends on input order.
 */
function metadataOrder(a: ReputationEntry, b: ReputationEntry): number {
  const last = compareText(b.lastSeen ?? '', a.lastSeen ?? '');
  if (last) return last;
  const text = (e: ReputationEntry) => JSON.stringify(METADATA_KEYS.map((key) => e[key] ?? null));
  return compareText(text(a), text(b));
}

function mergeEntries(
  ip: string,
  group: ReputationEntry[],
  params: ScoreParams,
  reference: number | undefined,
): ReputationEntry {
  const ordered = group.slice().sort(metadataOrder);
  const first = ordered[0]!;
  const counts = {} as ReputationCounts;
  for (const key of COUNT_KEYS) {
    counts[key] =
      key === 'maxBurst'
        ? Math.max(...group.map((e) => e.counts.maxBurst))
        : Math.min(
            Number.MAX_SAFE_INTEGER,
            group.reduce((sum, e) => sum + e.counts[key], 0),
          );
  }
  const firsts = group.map((e) => e.firstSeen).filter((t): t is string => t !== null);
  const lasts = group.map((e) => e.lastSeen).filter((t): t is string => t !== null);
  const merged: ReputationEntry = {
    ip,
    version: first.version,
    type: first.type,
    range: first.range,
    subnet: first.subnet,
    score: 0,
    blacklisted: false,
    whitelisted: group.some((e) => e.whitelisted),
    knownMalicious: group.some((e) => e.knownMalicious),
    reasons: [],
    counts,
    users: union(
      group.map((e) => e.users),
      MAX_USERS,
      compareText,
    ),
    ports: union(
      group.map((e) => e.ports),
      MAX_PORTS,
      (a, b) => a - b,
    ),
    services: union(
      group.map((e) => e.services),
      MAX_NAMES,
      compareText,
    ),
    sources: union(
      group.map((e) => e.sources),
      MAX_NAMES,
      compareText,
    ),
    hosts: union(
      group.map((e) => e.hosts),
      MAX_NAMES,
      compareText,
    ),
    // ISO times of one format compare as text; Date.parse orders mixed offsets.
    firstSeen: firsts.length ? firsts.reduce((a, b) => (Date.parse(b) < Date.parse(a) ? b : a)) : null,
    lastSeen: lasts.length ? lasts.reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a)) : null,
  };
  for (const key of ['provider', 'asn', 'org', 'country'] as const) {
    const source = ordered.find((e) => e[key] !== undefined);
    if (source) (merged as unknown as Record<string, unknown>)[key] = source[key];
  }
  const { score, reasons } = scoreEvidence(entryEvidence(merged), params, reference);
  merged.score = score;
  merged.reasons = reasons;
  merged.blacklisted = !merged.whitelisted && (group.some((e) => e.blacklisted) || score >= params.blacklistThreshold);
  return merged;
}

/**
 * Merges databases (from several hosts, or several runs) into one. The result
 * does not depend on the order of `dbs` (docs/threat-score.md, "Merging").
 */
export function mergeReputation(dbs: readonly ReputationDb[], options: MergeOptions = {}): ReputationDb {
  const params = resolveScoreParams(options.scoring);
  const times = dbs.map((db) => ms(db.referenceTime)).filter((t): t is number => t !== undefined);
  const reference = times.length ? Math.max(...times) : undefined;
  const groups = new Map<string, ReputationEntry[]>();
  for (const db of dbs) {
    for (const entry of db.entries) {
      const group = groups.get(entry.ip);
      if (group) group.push(entry);
      else groups.set(entry.ip, [entry]);
    }
  }
  const entries = [...groups].map(([ip, group]) => mergeEntries(ip, group, params, reference)).sort(byScoreThenIp);
  return {
    version: 1,
    generatedAt: new Date(options.now ?? Date.now()).toISOString(),
    generator: generator(),
    referenceTime: iso(reference),
    selection: {
      all: dbs.every((db) => db.selection.all),
      minScore: Math.max(0, ...dbs.map((db) => db.selection.minScore)),
    },
    scoring: params,
    entries,
  };
}
