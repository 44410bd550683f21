/**
 * The finding kinds the built-in tracers exchange: the contract between them.
 * Tracers never import each other; they agree on these shapes only. Each kind's
 * data is plain JSON so it can go straight into a report.
 */
import type { Level } from './event';

/** One term of a threat score: why, and how many points it contributed. */
export interface ScoreReason {
  /** Stable identifier, e.g. `failed_logins`, `invalid_users`, `success_after_failures`. */
  code: string;
  /** A sentence for people: "7 failed logins (ssh) within 4 minutes". */
  text: string;
  /** Points this reason added to the score, after decay. */
  points: number;
}

/** How the IP tracer sees an address it scored. */
export interface IpThreatData {
  ip: string;
  score: number;
  reasons: ScoreReason[];
  /** Classification type: localhost, private, special, cloud, public. */
  type: string;
  blacklisted: boolean;
  firstSeen: string | null;
  lastSeen: string | null;
  /** Evidence counts: failedLogins, invalidUsers, bans, probes, ... */
  counts: Record<string, number>;
  /** Services the address touched (ssh, nginx, ...). */
  services: string[];
}

/** A pattern across addresses: many addresses from one subnet, one address spraying users or probing ports. */
export interface IpSweepData {
  kind: 'subnet' | 'user-spray' | 'port-probe';
  /** The subnet (`/24` or `/64`) for `subnet`; the address's own subnet otherwise. */
  subnet: string;
  ips: string[];
  users?: string[];
  ports?: number[];
  start: string | null;
  end: string | null;
  /** The log lines behind the pattern: one per address for `subnet`, the address's own otherwise. */
  evidence?: { source: string; line: number; at: string | null; action: string }[];
}

/** One socket, as the network tracer reports it (the `snapshot --json` shape). */
export interface ConnectionData {
  protocol: 'tcp' | 'tcp6' | 'udp' | 'udp6';
  local: { address: string; port: number };
  remote: { address: string; port: number };
  /** The kernel's state name: ESTABLISHED, LISTEN, TIME_WAIT, ... */
  state: string;
  inode: number;
  uid: number;
  pid: number | null;
  process: string | null;
  /** Well-known service of the local (or remote) port, when known. */
  service?: string;
  /** Every process holding the socket (several after fork); `pid` is the first of them. */
  owners?: { pid: number; fd: number; process: string | null }[];
}

export interface NetworkConnectionsData {
  ip: string;
  connections: ConnectionData[];
  /** Reverse DNS names of the address, when the lookup answered in time. */
  hostnames?: string[];
}

/** A process that holds a suspect's socket, with its ancestry (parent first). */
export interface ProcessOwnerData {
  ip: string | null;
  pid: number;
  ppid: number;
  name: string;
  cmdline: string;
  user: string | null;
  inodes: number[];
  ancestry: { pid: number; name: string; cmdline: string }[];
}

/** One step of a causality chain: an event reference with its meaning. */
export interface ChainStep {
  at: string | null;
  action: string;
  source: string;
  line: number;
  message: string;
}

/** A causality chain: failed logins -> ban, failures -> success, OOM -> downstream failures, ... */
export interface EventChainData {
  kind: string;
  /** A sentence for people describing the chain. */
  summary: string;
  ip: string | null;
  service: string | null;
  steps: ChainStep[];
  start: string | null;
  end: string | null;
  /** How much the chain matters, 0-100 (a possible compromise ranks highest). */
  severity?: number;
  /** Chain-specific evidence counts and names (failures, users, root causes, downstream services, ...). */
  details?: Record<string, unknown>;
}

/** What the event tracer knows of one suspect address: its timeline. */
export interface EventTimelineData {
  ip: string;
  events: ChainStep[];
  /** How many events there were in all (the timeline itself is bounded). */
  total: number;
  /** Keys of the `event.chain` findings that involve the address. */
  chains?: string[];
}

/** A distinct problem the error tracer found more than once. */
export interface ErrorRecurringData {
  signature: string;
  template: string;
  category: string;
  subkind: string;
  severity: number;
  level: Level | null;
  count: number;
  first: string | null;
  last: string | null;
  details: Record<string, unknown>;
  hint: string;
  actions: string[];
}

/** Errors tied to a suspect address: mentioning it, or hitting the same service around its activity. */
export interface ErrorRelatedData {
  ip: string;
  errors: {
    signature: string;
    template: string;
    category: string;
    count: number;
    why: 'mentions-ip' | 'same-service';
  }[];
}

export interface DnsLookup {
  name: string;
  /** Addresses and names the answers carried (A, AAAA, CNAME, PTR, ...), bounded (traffic/app-layer: MAX_ANSWERS). */
  answers: string[];
  /** Queries and answers seen for the name. */
  count: number;
}

export interface TlsServerName {
  serverName: string;
  server: string;
  serverPort: number;
  count: number;
}

export interface HttpRequestSeen {
  method: string;
  target: string;
  host: string | null;
  server: string;
  serverPort: number;
  count: number;
}

/**
 * What one address did at the application layer of a capture (the `pcap`
 * report's names, and a suspect's `traffic.names`): the names it looked up,
 * the TLS server names it asked for, the HTTP requests it sent.
 */
export interface TrafficNamesData {
  address: string;
  dns: DnsLookup[];
  tls: TlsServerName[];
  http: HttpRequestSeen[];
  /** Observations not kept because the address already had the most entries of the kind (traffic/app-layer: MAX_ENTRIES_PER_KIND). */
  untracked: { dns: number; tls: number; http: number };
}

declare module './finding' {
  interface FindingKinds {
    /** An address crossed the watch threshold. */
    'ip.threat': IpThreatData;
    /** An address crossed the blacklist threshold (and is not whitelisted). */
    'ip.blacklisted': IpThreatData;
    'ip.sweep': IpSweepData;
    'network.connections': NetworkConnectionsData;
    'process.owner': ProcessOwnerData;
    'event.chain': EventChainData;
    'event.timeline': EventTimelineData;
    'error.recurring': ErrorRecurringData;
    /** Every distinct problem at the end of input, recurring or not (the report's error list). */
    'error.problem': ErrorRecurringData;
    'error.related': ErrorRelatedData;
    /** A suspect's DNS lookups, TLS server names and HTTP requests in a capture. */
    'traffic.names': TrafficNamesData;
  }
}
