/**
 * Patterns across addresses: many hostile addresses from one subnet within a
 * window (a distributed brute force or scan), one address spraying many user
 * names, one address probing many ports.
 */
import type { IpSweepData } from '../../core/kinds';
import { formatCidr, formatIpv4, parseCidr, readIpv4 } from './address';
import type { LogEvent } from '../../core/event';
import { type Behaviour, type StoredRef, evidenceOf, refOf, toEvidenceRef } from './behaviour';

/** Thresholds and bounds of sweep detection. */
export interface SweepParams {
  /** Distinct hostile addresses of one subnet within `subnetWindowMs` that make a subnet sweep. */
  subnetMinIps: number;
  subnetWindowMs: number;
  /** Distinct user names from one address that make a user spray. */
  sprayMinUsers: number;
  /** Distinct target ports from one address that make a port probe. */
  probeMinPorts: number;
  /** Subnets watched at once (when full, the tenth first watched earliest is forgotten). */
  maxSubnets: number;
  /** Addresses remembered per subnet. */
  maxIpsPerSubnet: number;
}

/** Documented defaults of `SweepParams`. */
export const DEFAULT_SWEEP_PARAMS: SweepParams = {
  subnetMinIps: 5,
  subnetWindowMs: 60 * 60_000,
  sprayMinUsers: 10,
  probeMinPorts: 10,
  maxSubnets: 10_000,
  maxIpsPerSubnet: 32,
};

/** Scratch bytes of `subnetOf`. */
const ipv4Bytes = new Uint8Array(4);

/** The subnet an address is grouped in: its /24 (IPv4) or /64 (IPv6). */
export function subnetOf(ip: string): string {
  if (readIpv4(ip, ipv4Bytes)) {
    ipv4Bytes[3] = 0;
    return `${formatIpv4(ipv4Bytes)}/24`;
  }
  const cidr = parseCidr(`${ip}/${ip.includes(':') ? 64 : 24}`);
  return typeof cidr === 'string' ? ip : formatCidr(cidr);
}

function iso(time: number | undefined): string | null {
  return time === undefined ? null : new Date(time).toISOString();
}

interface SubnetMember {
  ip: string;
  time: number | undefined;
  ref: StoredRef;
}

/**
 * A subnet's recent hostile addresses, in order of first activity. An array,
 * not a Map: most subnets of a large log hold one address, and a subnet holds
 * at most `maxIpsPerSubnet`.
 */
interface SubnetState {
  members: SubnetMember[];
  reported: boolean;
}

/** Watches subnets for many hostile addresses within a window. */
export class SubnetSweeps {
  /** In order of first activity; forgotten in batches (see `forgetOldestSubnets`). */
  private readonly subnets = new Map<string, SubnetState>();
  private evictedCount = 0;

  constructor(private readonly params: SweepParams) {}

  /** Subnets forgotten to stay within `maxSubnets`. */
  get evicted(): number {
    return this.evictedCount;
  }

  /**
   * Records a hostile event of `ip` (in `subnet`). Returns the sweep when this
   * event makes the subnet cross the threshold for the first time.
   */
  observe(ip: string, subnet: string, event: LogEvent): IpSweepData | undefined {
    const time = event.timestamp;
    let state = this.subnets.get(subnet);
    if (!state) {
      // A list of one made at once: an empty list grown by a push reserves room for 17.
      if (this.subnets.size >= this.params.maxSubnets) this.forgetOldestSubnets();
      this.subnets.set(subnet, (state = { members: [{ ip, time, ref: refOf(event) }], reported: false }));
    } else {
      const known = state.members.find((member) => member.ip === ip);
      if (known) {
        if (time !== undefined && (known.time === undefined || time > known.time)) known.time = time;
      } else {
        if (state.members.length >= this.params.maxIpsPerSubnet) this.forgetOldest(state.members);
        state.members.push({ ip, time, ref: refOf(event) });
      }
    }
    const members = state.members;
    if (state.reported || members.length < this.params.subnetMinIps) return undefined;
    const inWindow = this.window(members, time);
    if (inWindow.length < this.params.subnetMinIps) return undefined;
    state.reported = true;
    return this.describe(subnet, inWindow);
  }

  /** The current data of every subnet sweep reported so far. */
  current(): IpSweepData[] {
    const sweeps: IpSweepData[] = [];
    for (const [subnet, state] of this.subnets.entries()) {
      if (state.reported) sweeps.push(this.describe(subnet, state.members));
    }
    return sweeps;
  }

  /** The current data of one subnet's sweep, if it was reported. */
  get(subnet: string): IpSweepData | undefined {
    const state = this.subnets.get(subnet);
    return state?.reported ? this.describe(subnet, state.members) : undefined;
  }

  /**
   * Forgets the tenth of the subnets first seen earliest, in one pass: evicting
   * one at a time from the front of a Map that keeps losing entries costs a scan
   * over the holes each time.
   */
  private forgetOldestSubnets(): void {
    let count = Math.max(1, Math.floor(this.params.maxSubnets / 10));
    for (const subnet of this.subnets.keys()) {
      if (count-- <= 0) break;
      this.subnets.delete(subnet);
      this.evictedCount++;
    }
  }

  private window(members: SubnetMember[], time: number | undefined): SubnetMember[] {
    if (time === undefined) return members;
    const from = time - this.params.subnetWindowMs;
    return members.filter((member) => member.time === undefined || (member.time >= from && member.time <= time));
  }

  /** Forgets the least recently active member (the first of them when tied). */
  private forgetOldest(members: SubnetMember[]): void {
    let oldest = -1;
    let oldestTime = Infinity;
    members.forEach((member, i) => {
      const t = member.time ?? -Infinity;
      if (t < oldestTime) {
        oldest = i;
        oldestTime = t;
      }
    });
    if (oldest >= 0) members.splice(oldest, 1);
  }

  private describe(subnet: string, members: SubnetMember[]): IpSweepData {
    const times = members.map((m) => m.time).filter((t): t is number => t !== undefined);
    const sorted = members.slice().sort((a, b) => (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : 0));
    return {
      kind: 'subnet',
      subnet,
      ips: sorted.map((m) => m.ip),
      start: times.length ? iso(Math.min(...times)) : null,
      end: times.length ? iso(Math.max(...times)) : null,
      evidence: sorted.map((m) => toEvidenceRef(m.ref)),
    };
  }
}

/** The user spray of one address, when it tried at least `sprayMinUsers` distinct names. */
export function userSpray(
  b: Behaviour,
  subnet: string,
  params: SweepParams,
  maxEvidence: number,
): IpSweepData | undefined {
  if (b.users.length < params.sprayMinUsers) return undefined;
  return {
    kind: 'user-spray',
    subnet,
    ips: [b.ip],
    users: [...b.users].sort(),
    start: iso(b.firstSeen),
    end: iso(b.lastSeen),
    evidence: evidenceOf(b, maxEvidence),
  };
}

/** The port probe of one address, when it targeted at least `probeMinPorts` distinct ports. */
export function portProbe(
  b: Behaviour,
  subnet: string,
  params: SweepParams,
  maxEvidence: number,
): IpSweepData | undefined {
  if (b.ports.length < params.probeMinPorts) return undefined;
  return {
    kind: 'port-probe',
    subnet,
    ips: [b.ip],
    ports: [...b.ports].sort((x, y) => x - y),
    start: iso(b.firstSeen),
    end: iso(b.lastSeen),
    evidence: evidenceOf(b, maxEvidence),
  };
}
