/**
 * Packets logged by the kernel's netfilter LOG target (iptables, nftables
 * `log`, ufw, firewalld's LogDenied), as nf_log_syslog.c writes them: the
 * rule's prefix glued to `IN=<if> OUT=<if> `, then `KEY=value` words (`MAC=`,
 * `SRC=`, `DST=`, `LEN=`, ..., `PROTO=TCP SPT=<n> DPT=<n> ...`) and bare flags
 * (`DF`, `SYN`). The prefix is the administrator's words for what the rule
 * did (`[UFW BLOCK] `, `IPTABLES-DROPPED: `, `filter_IN_public_REJECT: `).
 * A hand-written reader: the words are space-separated and the kernel's own.
 */
import type { Recognised } from './types';
import { remoteOf } from './address';

/** What the firewall did with the packet, read from the rule's prefix. */
export type FirewallVerdict = 'blocked' | 'allowed' | 'logged';

/** Words of prefixes for rules that refuse packets (ufw, firewalld, common iptables setups). */
const BLOCK_WORDS = ['BLOCK', 'DROP', 'REJECT', 'DENY', 'DENIED', 'REFUSE'];
const ALLOW_WORDS = ['ALLOW', 'ACCEPT'];

/** The verdict a LOG rule's prefix names; `logged` when it names none (a plain audit rule). */
export function verdictOf(prefix: string): FirewallVerdict {
  const upper = prefix.toUpperCase();
  if (BLOCK_WORDS.some((word) => upper.includes(word))) return 'blocked';
  if (ALLOW_WORDS.some((word) => upper.includes(word))) return 'allowed';
  return 'logged';
}

const ACTIONS: Readonly<Record<FirewallVerdict, Pick<Recognised, 'action' | 'outcome'>>> = {
  blocked: { action: 'conn.blocked', outcome: 'failure' },
  allowed: { action: 'conn.allowed', outcome: 'success' },
  logged: { action: 'conn.logged', outcome: 'unknown' },
};

/** A host has a handful of LOG rules: their verdicts are remembered (a bounded table, emptied when full). */
const knownPrefixes = new Map<string, Pick<Recognised, 'action' | 'outcome'>>();

function verdictActions(prefix: string): Pick<Recognised, 'action' | 'outcome'> {
  let actions = knownPrefixes.get(prefix);
  if (actions === undefined) {
    if (knownPrefixes.size >= 256) knownPrefixes.clear();
    actions = ACTIONS[verdictOf(prefix)];
    knownPrefixes.set(prefix, actions);
  }
  return actions;
}

/** A logged packet: what the recogniser sets on the event and the packet's fields. */
export interface NetfilterPacket {
  recognised: Recognised;
  fields: {
    /** The rule's prefix, trimmed (`[UFW BLOCK]`). */
    firewall: string;
    /** `TCP`, `UDP`, `ICMP`, `ICMPv6`, ... or the protocol number. */
    protocol: string | undefined;
    /** The address the packet was sent to. */
    destination: string | undefined;
    /** The port the packet was sent to (TCP, UDP, SCTP, DCCP). */
    dport: number | undefined;
    /** Interface the packet came in on (empty for locally generated packets). */
    interface: string;
  };
}

/** The port `text[from, to)` holds as the kernel prints it (`%u` of a 16-bit value); undefined otherwise. */
function portAt(text: string, from: number, to: number): number | undefined {
  if (to <= from || to - from > 5) return undefined;
  let port = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
    port = port * 10 + (c - 48);
  }
  return port <= 65535 ? port : undefined;
}

/** `[ 1175018.432370] ` as the kernel's uptime stamp at the start of a message, or 0. */
function uptimeLength(message: string): number {
  if (message.charCodeAt(0) !== 91) return 0;
  const close = message.indexOf('] ');
  if (close < 2 || close > 20) return 0;
  for (let i = 1; i < close; i++) {
    const c = message.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || c === 46 || c === 32)) return 0;
  }
  return close + 2;
}

/** The packet a netfilter LOG line describes, or undefined when `message` is not one. */
export function recogniseNetfilter(message: string): NetfilterPacket | undefined {
  const out = message.indexOf(' OUT=');
  if (out < 0) return undefined;
  const inAt = message.lastIndexOf('IN=', out);
  if (inAt < 0 || message.indexOf(' ', inAt) < out) return undefined; // `IN=<if>` is one word right before OUT=
  let source: string | undefined;
  let destination: string | undefined;
  let protocol: string | undefined;
  let sport: number | undefined;
  let dport: number | undefined;
  // Word by word without splitting: this runs on every line of a firewall's log.
  for (let at = out + 1; at < message.length;) {
    const first = message.charCodeAt(at);
    if (first === 91) break; // an ICMP error quotes the offending packet after it, in brackets
    let end = message.indexOf(' ', at);
    if (end < 0) end = message.length;
    if (first === 83) {
      if (message.startsWith('SRC=', at)) source ??= message.slice(at + 4, end);
      else if (message.startsWith('SPT=', at)) sport ??= portAt(message, at + 4, end);
    } else if (first === 68) {
      if (message.startsWith('DST=', at)) destination ??= message.slice(at + 4, end);
      else if (message.startsWith('DPT=', at)) dport ??= portAt(message, at + 4, end);
    } else if (first === 80 && message.startsWith('PROTO=', at)) protocol ??= message.slice(at + 6, end);
    at = end + 1;
  }
  // Both ends and a protocol, as every IPv4 and IPv6 packet line has (ARP lines have none of them).
  const remote = remoteOf(source);
  if (remote.ip === undefined || remoteOf(destination).ip === undefined || protocol === undefined) return undefined;
  const firewall = message.slice(uptimeLength(message), inAt).trim();
  const { action, outcome } = verdictActions(firewall);
  return {
    recognised: { action, outcome, hostile: false, ip: remote.ip, port: sport },
    fields: {
      firewall,
      protocol,
      destination,
      dport,
      interface: message.slice(inAt + 3, out),
    },
  };
}
