/**
 * Loghub 2k datasets (ground truth) and grouping accuracy as Zhu et al. define
 * it ("Tools and Benchmarks for Automated Log Parsing", ICSE-SEIP 2019): a line
 * is parsed correctly when the set of lines in its mined group equals the set of
 * lines in its ground-truth group; accuracy = correct lines / all lines.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpus } from '../../helpers/corpora';

/** The datasets and Drain's published grouping accuracy on each. */
export const DRAIN_GA: Readonly<Record<string, number>> = {
  Apache: 1.0,
  HDFS: 0.998,
  Zookeeper: 0.967,
  Proxifier: 0.527,
  OpenSSH: 0.788,
  Linux: 0.69,
};

/** Where the measured figures are published (a table kept true by the accuracy test). */
export const ACCURACY_DOC = join(__dirname, '..', '..', '..', 'docs', 'template-accuracy.md');

/** Splits CSV text into rows (RFC 4180: quoted fields, doubled quotes, CRLF). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** Where a dataset's structured CSV lies under a Loghub folder (`<dir>/<name>/<name>_2k.log_structured.csv`). */
export function structuredCsv(name: string, dir: string = corpus('loghub')): string {
  return join(dir, name, `${name}_2k.log_structured.csv`);
}

/** One dataset's lines: the `Content` column and the ground-truth `EventId`. */
export function loadDataset(name: string, dir?: string): { content: string[]; events: string[] } {
  const rows = parseCsv(readFileSync(structuredCsv(name, dir), 'utf8'));
  const header = rows[0]!;
  const contentAt = header.indexOf('Content');
  const eventAt = header.indexOf('EventId');
  const body = rows.slice(1).filter((row) => row.length === header.length);
  return { content: body.map((row) => row[contentAt]!), events: body.map((row) => row[eventAt]!) };
}

/** Grouping accuracy of `predicted` group labels against `truth`, one label per line. */
export function groupingAccuracy(truth: readonly string[], predicted: readonly (string | number)[]): number {
  const truthGroups = new Map<string, number[]>();
  truth.forEach((label, i) => truthGroups.set(label, [...(truthGroups.get(label) ?? []), i]));
  const predictedGroups = new Map<string | number, number[]>();
  predicted.forEach((label, i) => predictedGroups.set(label, [...(predictedGroups.get(label) ?? []), i]));
  let correct = 0;
  for (const lines of predictedGroups.values()) {
    const labels = new Set(lines.map((i) => truth[i]!));
    if (labels.size === 1 && truthGroups.get(truth[lines[0]!]!)!.length === lines.length) correct += lines.length;
  }
  return correct / truth.length;
}
