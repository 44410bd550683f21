/**
 * The addresses a user listed as bad for a trace or a capture: known-bad
 * networks (`--known-bad`) and the entries of a reputation database
 * (`--reputation`) scored at least its watch threshold, blacklisted or
 * known-malicious, each with the sentence that says why it is listed.
 */
import type { readReputation } from './reputation';
import { CidrSet } from './whitelist';

/** A reputation database as `readReputation` reads it. */
export type ReputationDatabase = Awaited<ReturnType<typeof readReputation>>;

/** The listed set (undefined when nothing is listed) and, per address the database lists, why. */
export function listedAddresses(
  known: CidrSet | undefined,
  reputation: ReputationDatabase | undefined,
): { set: CidrSet | undefined; reasons: Map<string, string> } {
  const reasons = new Map<string, string>();
  if (!reputation) return { set: known, reasons };
  const set = known ?? new CidrSet([]);
  const watch = reputation.scoring.watchThreshold;
  for (const entry of reputation.entries) {
    if (!entry.blacklisted && entry.score < watch && !entry.knownMalicious) continue;
    set.add(entry.ip);
    const why = entry.reasons
      .slice(0, 3)
      .map((r) => r.text)
      .join('; ');
    reasons.set(
      entry.ip,
      `reputation score ${entry.score}${entry.blacklisted ? ', blacklisted' : ''}${why ? ` (${why})` : ''}`,
    );
  }
  return { set, reasons };
}
