/**
 * The shape every chain builder returns: a finding key (stable for the same
 * input) and the chain's data, plus the helpers builders share.
 */
import type { ChainStep, EventChainData } from '../../../core/kinds';
import { type TimedStep, chainStep, iso } from '../step';

/** A chain with the key of its `event.chain` finding. */
export interface Chain {
  /** The `event.chain` finding key: `<kind>:<subject>[:<start>]`, stable for the same input. */
  key: string;
  data: EventChainData;
}

/**
 * Steps of a chain within `max`: the evidence first (oldest first) up to what
 * room the fixed steps (the conclusion) leave.
 */
export function boundSteps(evidence: readonly TimedStep[], conclusion: readonly TimedStep[], max: number): ChainStep[] {
  const room = Math.max(0, max - conclusion.length);
  return [...evidence.slice(0, room), ...conclusion].map(chainStep);
}

/** "1 failed login", "5 failed logins". */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** A short list for a sentence: `a, b, c and 4 more`. */
export function listOf(items: readonly string[], max = 5): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

/** The start and end of a chain from its first and last times. */
export function span(first: number | undefined, last: number | undefined): Pick<EventChainData, 'start' | 'end'> {
  return { start: iso(first), end: iso(last ?? first) };
}
