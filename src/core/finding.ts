/**
 * Findings: what tracers conclude, and the typed registry of their kinds.
 *
 * `FindingKinds` maps each kind to the type of its `data`. It is an interface so
 * any module (a tracer here, or a third-party package) can add kinds by
 * declaration merging:
 *
 * ```ts
 * declare module 'logsleuth' {
 *   interface FindingKinds {
 *     'dns.tunnel': { ip: string; queries: number };
 *   }
 * }
 * ```
 */

/** Data of the findings the core itself produces. Tracers merge their own kinds in. */
export interface FindingKinds {
  /** A handler threw: the bus isolated it and reports it here. */
  'bus.error': BusErrorData;
}

/** Data of a `bus.error` finding. */
export interface BusErrorData {
  /** The handler's name (`tracer:kind` unless given). */
  handler: string;
  /** The kind and key of the finding the handler was processing. */
  kind: string;
  key: string;
  /** The error's message. */
  error: string;
}

/** Every finding kind known at compile time. */
export type FindingKind = keyof FindingKinds & string;

/** A reference to the finding that caused another: enough to follow the chain. */
export interface FindingRef {
  kind: FindingKind;
  key: string;
}

/** What a tracer concluded about one subject (an IP, a connection set, an error signature). */
export interface Finding<K extends FindingKind = FindingKind> {
  kind: K;
  /** The subject, unique within the kind (an IP, a signature, ...): the bus de-duplicates by (kind, key). */
  key: string;
  /** Name of the tracer that produced it. */
  tracer: string;
  /** When it was published, in ms since the epoch, from the injected clock. */
  at: number;
  data: FindingKinds[K];
  /** The finding whose handler produced this one; absent for findings that start a chain. */
  causedBy?: FindingRef;
  /** Length of the causal chain above this finding (0 for a root finding). */
  depth: number;
}

/** Any finding, whatever its kind (a discriminated union over `kind`). */
export type AnyFinding = { [K in FindingKind]: Finding<K> }[FindingKind];

/** The identity of a finding: the bus's de-duplication key. */
export function findingId(ref: FindingRef): string {
  return `${ref.kind}\u0000${ref.key}`;
}
