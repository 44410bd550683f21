/**
 * What each address did at the application layer: the DNS names it looked up
 * (and the answers it got), the TLS server names it asked for, the HTTP/1
 * requests it sent. Bounded per address, in addresses and in the text kept in
 * all; what does not fit is counted, not kept.
 */
import type { DnsLookup, HttpRequestSeen, TlsServerName, TrafficNamesData } from '../core/kinds';
import type { DecodedPacket } from './decode';
import { IPPROTO } from './decode';
import { type DnsResult, parseDns, parseDnsTcp } from './dns';
import { parseHttpRequest } from './http';
import { parseClientHello } from './tls';

/** Addresses tracked at most; observations of further addresses are counted. */
export const DEFAULT_MAX_ADDRESSES = 10_000;
/** Distinct names (or requests) kept per address and kind. */
export const MAX_ENTRIES_PER_KIND = 16;
/**
 * Characters of names, answers and requests kept in all (each entry counted
 * twice: its key and its fields). Names escaped from hostile bytes grow up to
 * four times, so the per-entry limits alone would allow gigabytes.
 */
export const MAX_RETAINED_CHARS = 16 * 1024 * 1024;
/** Answers kept per looked-up name. */
export const MAX_ANSWERS = 8;
/** Longest HTTP request target kept; longer ones are cut and end in `...`. */
export const MAX_TARGET = 256;

const DNS_PORT = 53;
const TLS_HANDSHAKE = 22;
const TLS_CLIENT_HELLO = 1;

interface EntryOf {
  dns: DnsLookup;
  tls: TlsServerName;
  http: HttpRequestSeen;
}

type Kind = keyof EntryOf;

type Entries = { [K in Kind]: Map<string, EntryOf[K]> } & { untracked: TrafficNamesData['untracked'] };

export class AppLayerTable {
  private readonly addresses = new Map<string, Entries>();
  /** Observations of addresses past the limit, and answers past the text budget. */
  untrackedObservations = 0;
  /** Payloads to or from port 53 that were not a DNS message. */
  dnsMalformed = 0;
  /** Characters kept so far (see {@link MAX_RETAINED_CHARS}). */
  private retained = 0;

  constructor(readonly maxAddresses = DEFAULT_MAX_ADDRESSES) {}

  /**
   * Looks at the payload of one decoded packet: DNS on port 53 (UDP, or TCP
   * with its length prefix), a TLS ClientHello, an HTTP/1 request head.
   * The first bytes decide which parser runs, so most payloads cost a compare.
   */
  add(packet: DecodedPacket, frame: Buffer): void {
    const { payloadOffset: at, payloadLength: length } = packet;
    if (length === 0) return;
    const payload = (): Buffer => frame.subarray(at, at + length);
    const dnsPort = packet.srcPort === DNS_PORT || packet.dstPort === DNS_PORT;
    if (packet.protocol === IPPROTO.UDP) {
      if (dnsPort) this.addDns(packet, parseDns(payload()));
    } else if (packet.protocol === IPPROTO.TCP) {
      if (dnsPort) this.addDns(packet, parseDnsTcp(payload()));
      else if (frame[at] === TLS_HANDSHAKE && length > 5 && frame[at + 5] === TLS_CLIENT_HELLO)
        this.addTls(packet, payload());
      else if (frame[at]! >= 0x41 && frame[at]! <= 0x5a) this.addHttp(packet, payload());
    }
  }

  /** Every address seen, in address order (as text). */
  list(): TrafficNamesData[] {
    return [...this.addresses]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([address, entries]) => ({
        address,
        dns: [...entries.dns.values()].map((lookup) => ({ ...lookup, answers: [...lookup.answers] })),
        tls: [...entries.tls.values()].map((name) => ({ ...name })),
        http: [...entries.http.values()].map((request) => ({ ...request })),
        untracked: { ...entries.untracked },
      }));
  }

  get size(): number {
    return this.addresses.size;
  }

  private addDns(packet: DecodedPacket, result: DnsResult): void {
    if (!result.ok) {
      this.dnsMalformed++;
      return;
    }
    const { header, questions, answers } = result.message;
    // A query is the sender's lookup; an answer belongs to the address it goes back to.
    const client = header.response ? packet.dst : packet.src;
    for (const question of questions) {
      const lookup = this.entry(client, 'dns', question.name, () => ({ name: question.name, answers: [], count: 0 }));
      if (!lookup) continue;
      lookup.count++;
      for (const record of answers) {
        const data = record.data;
        const text = data?.kind === 'address' ? data.address : data?.kind === 'name' ? data.name : undefined;
        if (text === undefined || lookup.answers.length >= MAX_ANSWERS || lookup.answers.includes(text)) continue;
        if (this.retained + text.length > MAX_RETAINED_CHARS) {
          this.untrackedObservations++;
          continue;
        }
        this.retained += text.length;
        lookup.answers.push(text);
      }
    }
  }

  private addTls(packet: DecodedPacket, payload: Buffer): void {
    const result = parseClientHello(payload);
    if (!result.ok || result.hello.serverName === undefined) return;
    const serverName = result.hello.serverName;
    const key = `${serverName}|${packet.dst}|${packet.dstPort}`;
    const name = this.entry(packet.src, 'tls', key, () => ({
      serverName,
      server: packet.dst,
      serverPort: packet.dstPort,
      count: 0,
    }));
    if (name) name.count++;
  }

  private addHttp(packet: DecodedPacket, payload: Buffer): void {
    const result = parseHttpRequest(payload);
    if (!result.ok) return;
    const { method, host = null } = result.request;
    const target =
      result.request.target.length > MAX_TARGET
        ? `${result.request.target.slice(0, MAX_TARGET)}...`
        : result.request.target;
    const key = `${method} ${target}|${host ?? ''}|${packet.dst}|${packet.dstPort}`;
    const request = this.entry(packet.src, 'http', key, () => ({
      method,
      target,
      host,
      server: packet.dst,
      serverPort: packet.dstPort,
      count: 0,
    }));
    if (request) request.count++;
  }

  /** The entry of `key` for `address`, made by `create` if there is room; undefined (and counted) if not. */
  private entry<K extends Kind>(
    address: string,
    kind: K,
    key: string,
    create: () => EntryOf[K],
  ): EntryOf[K] | undefined {
    let entries = this.addresses.get(address);
    if (!entries) {
      if (this.addresses.size >= this.maxAddresses) {
        this.untrackedObservations++;
        return undefined;
      }
      entries = { dns: new Map(), tls: new Map(), http: new Map(), untracked: { dns: 0, tls: 0, http: 0 } };
      this.addresses.set(address, entries);
    }
    // TypeScript reads entries[kind] as the union of the three maps; it is the map of K.
    const map = entries[kind] as Map<string, EntryOf[K]>;
    let found = map.get(key);
    if (!found) {
      if (map.size >= MAX_ENTRIES_PER_KIND || this.retained + 2 * key.length > MAX_RETAINED_CHARS) {
        entries.untracked[kind]++;
        return undefined;
      }
      this.retained += 2 * key.length;
      found = create();
      map.set(key, found);
    }
    return found;
  }
}
