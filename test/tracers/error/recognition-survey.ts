/**
 * The survey behind docs/error-recognition.md: every record of a log through
 * `recognise`, counted by the rule that took it, and the error-like records
 * no table recognised, grouped by template.
 */
import RE2 from 're2';
import { readEvents } from '../../../src/logs/read-events';
import { readLines } from '../../../src/logs/sources';
import { recognise } from '../../../src/tracers/error/recognise';
import { TemplateMiner, templateOf } from '../../../src/tracers/error/template-miner';

/** Words that make a line look like an error to a reader: the survey's yardstick. */
const ERROR_LIKE = new RE2(
  "(?i)error|fail|exception|refused|denied|timed? ?out|unable|cannot|can't|fatal|panic|killed|segfault|corrupt|unreachable|reset by",
);

export interface Survey {
  records: number;
  errorLike: number;
  /** Recognised by a category table (not only by level or action). */
  byTable: number;
  /** Taken only because of an error level. */
  byLevel: number;
  /** Error-like but taken by nothing. */
  missed: number;
  rules: Record<string, number>;
  /** The biggest groups of missed records: [count, template]. */
  missedTemplates: [number, string][];
}

export async function survey(path: string): Promise<Survey> {
  const result: Survey = {
    records: 0,
    errorLike: 0,
    byTable: 0,
    byLevel: 0,
    missed: 0,
    rules: {},
    missedTemplates: [],
  };
  const misses = new TemplateMiner();
  for await (const event of readEvents(readLines([path]))) {
    result.records++;
    const errorLike = ERROR_LIKE.test(event.message);
    if (errorLike) result.errorLike++;
    const found = recognise(event);
    if (found) {
      result.rules[found.rule] = (result.rules[found.rule] ?? 0) + 1;
      if (found.rule === 'level') result.byLevel++;
      else result.byTable++;
    } else if (errorLike) {
      result.missed++;
      misses.add(event.message);
    }
  }
  result.missedTemplates = misses
    .clusters()
    .sort((a, b) => b.size - a.size || templateOf(a).localeCompare(templateOf(b)))
    .slice(0, 5)
    .map((cluster) => [cluster.size, templateOf(cluster)]);
  return result;
}
