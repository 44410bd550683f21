/**
 * The plain-data result of an investigation: what `investigation.result()`
 * returns and `logsleuth analyze --json` prints, valid against
 * `schemas/report.schema.json`.
 */
import { type Case, buildCases } from './case';
import type { AnyFinding, FindingKind, FindingKinds } from './finding';
import type { ErrorRecurringData, EventChainData, IpSweepData } from './kinds';

/** One input that was read: its counts, or why it could not be. */
export interface InputReport {
  source: string;
  lines?: number;
  unparsed?: number;
  skipped?: number;
  error?: string;
}

export interface InvestigationResult {
  version: 1;
  generatedAt: string;
  inputs: InputReport[];
  /** One per suspect address, most dangerous first. */
  cases: Case[];
  sweeps: IpSweepData[];
  /** The distinct errors, one per signature, most severe first. */
  errors: ErrorRecurringData[];
  /** Every causality chain found, suspects' or not. */
  chains: EventChainData[];
  /** Counters of the investigation and each tracer's own statistics, by tracer name. */
  stats: Record<string, unknown>;
  findings: AnyFinding[];
}

/** Assembles the result from the findings on the bus. */
export function assembleResult(
  findings: readonly AnyFinding[],
  generatedAt: number,
  stats: Record<string, unknown>,
  inputs: InputReport[] = [],
): InvestigationResult {
  const dataOf = <K extends FindingKind>(kind: K) =>
    findings.filter((f) => f.kind === kind).map((f) => f.data as FindingKinds[K]);
  return {
    version: 1,
    generatedAt: new Date(generatedAt).toISOString(),
    inputs,
    cases: buildCases(findings),
    sweeps: dataOf('ip.sweep'),
    errors: dataOf('error.problem').sort((a, b) => b.severity - a.severity || b.count - a.count),
    chains: dataOf('event.chain'),
    stats,
    findings: [...findings],
  };
}
