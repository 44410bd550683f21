import { readFileSync } from 'node:fs';
import { survivorOf, TemplateMiner, templateOf } from '../../../src/tracers/error/template-miner';
import { describeWithCorpora } from '../../helpers/corpora';
import { ACCURACY_DOC, DRAIN_GA, groupingAccuracy, loadDataset } from './loghub';

/** The rows of the table in docs/template-accuracy.md: dataset -> [Drain, ours, ours reversed]. */
function publishedRows(): Map<string, number[]> {
  const rows = new Map<string, number[]>();
  for (const line of readFileSync(ACCURACY_DOC, 'utf8').split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    if (cells.length === 6 && cells[1]! in DRAIN_GA) rows.set(cells[1]!, cells.slice(2, 5).map(Number));
  }
  return rows;
}

function mine(messages: readonly string[]): { ids: number[]; templates: Set<string> } {
  const miner = new TemplateMiner();
  // Each line is counted in the cluster it ends in: siblings merged later take their earlier lines along.
  const clusters = messages.map((message) => miner.add(message).cluster);
  const ids = clusters.map((cluster) => survivorOf(cluster).id);
  return { ids, templates: new Set(miner.clusters().map(templateOf)) };
}

describeWithCorpora('TemplateMiner grouping accuracy on the Loghub 2k datasets (one default configuration)', () => {
  const published = publishedRows();

  it('the documentation lists every dataset', () => {
    expect([...published.keys()].sort()).toEqual(Object.keys(DRAIN_GA).sort());
  });

  it.each(Object.keys(DRAIN_GA))('%s: beats Drain, and docs/template-accuracy.md shows the measured figure', (name) => {
    const { content, events } = loadDataset(name);
    expect(content).toHaveLength(2000);
    const ga = Number(groupingAccuracy(events, mine(content).ids).toFixed(3));
    const [drain, ours] = published.get(name)!;
    expect(drain).toBe(DRAIN_GA[name]);
    expect(ga).toBe(ours);
    if (DRAIN_GA[name] === 1) expect(ga).toBe(1);
    else expect(ga).toBeGreaterThan(DRAIN_GA[name]!);
  });

  it.each(Object.keys(DRAIN_GA))('%s: reversed input gives the documented accuracy and the same templates', (name) => {
    const { content, events } = loadDataset(name);
    const forward = mine(content);
    const backward = mine([...content].reverse());
    const ga = Number(groupingAccuracy([...events].reverse(), backward.ids).toFixed(3));
    expect(ga).toBe(published.get(name)![2]);
    const missing = [...forward.templates].filter((template) => !backward.templates.has(template));
    expect(missing).toEqual([]);
  });
});

describe('groupingAccuracy', () => {
  it('counts a line as correct only when its whole group matches the ground truth', () => {
    expect(groupingAccuracy(['a', 'a', 'b', 'c'], [1, 1, 2, 2])).toBe(0.5);
    expect(groupingAccuracy(['a', 'a', 'b'], [1, 2, 3])).toBe(1 / 3);
    expect(groupingAccuracy(['a', 'b'], [7, 8])).toBe(1);
  });
});
