/**
 * Grouping accuracy of the TemplateMiner (one default configuration) on every
 * Loghub 2k dataset found, beside Drain's published figure (Zhu et al., ICSE-SEIP
 * 2019). Reads the in-repo corpora and, when `LOGHUB_EXTRA` names a folder laid
 * out like Loghub (`<dir>/<name>/<name>_2k.log_structured.csv`), the held-out
 * datasets there: measured only, never tested, so the miner is not tuned to them.
 * A dataset whose CSV is absent is skipped; a truncated one is measured on the
 * lines it holds, and the figure says how many. Also the miner's throughput on
 * the same messages.
 */
import { existsSync } from 'node:fs';
import { survivorOf, TemplateMiner } from '../src/tracers/error/template-miner';
import { corpus } from '../test/helpers/corpora';
import { groupingAccuracy, loadDataset, structuredCsv } from '../test/tracers/error/loghub';
import type { Figure } from './run';

export const name = 'template-accuracy';

/** Drain's published grouping accuracy on the Loghub 2k datasets (Zhu et al. 2019, table of GA). */
const DRAIN_GA: Readonly<Record<string, number>> = {
  HDFS: 0.998,
  Hadoop: 0.948,
  Spark: 0.92,
  Zookeeper: 0.967,
  OpenStack: 0.733,
  BGL: 0.963,
  HPC: 0.887,
  Thunderbird: 0.955,
  Windows: 0.997,
  Linux: 0.69,
  Mac: 0.787,
  Android: 0.911,
  HealthApp: 0.78,
  Apache: 1.0,
  OpenSSH: 0.788,
  Proxifier: 0.527,
};

/** The folders to read, in-repo first. */
function folders(): string[] {
  const extra = process.env['LOGHUB_EXTRA'];
  return [corpus('loghub'), ...(extra ? [extra] : [])];
}

/** Messages/s through `TemplateMiner.add` over all the measured messages, a fresh miner per pass. */
function throughput(messages: readonly string[], passes: number): Figure {
  const start = performance.now();
  for (let pass = 0; pass < passes; pass++) {
    const miner = new TemplateMiner();
    for (const message of messages) miner.add(message);
  }
  const seconds = (performance.now() - start) / 1000;
  return {
    measure: 'TemplateMiner.add, the Content column of the datasets above',
    value: (messages.length * passes) / seconds,
    unit: 'messages/s',
    note: `${messages.length * passes} messages in ${passes} passes`,
  };
}

export function run(): Promise<Figure[]> {
  const figures: Figure[] = [];
  const messages: string[] = [];
  let sum = 0;
  let drainSum = 0;
  for (const dir of folders()) {
    for (const dataset of Object.keys(DRAIN_GA)) {
      if (!existsSync(structuredCsv(dataset, dir))) continue;
      const { content, events } = loadDataset(dataset, dir);
      messages.push(...content);
      const miner = new TemplateMiner();
      const ga = groupingAccuracy(
        events,
        content.map((message) => miner.add(message).cluster).map((cluster) => survivorOf(cluster).id),
      );
      sum += ga;
      drainSum += DRAIN_GA[dataset]!;
      figures.push({
        measure: `GA ${dataset}`,
        value: ga * 100,
        unit: '%',
        note: `Drain ${(DRAIN_GA[dataset]! * 100).toFixed(1)}%; ${content.length} lines; ${dir}`,
      });
    }
  }
  if (figures.length > 0) {
    figures.push({
      measure: `GA average over ${figures.length} datasets`,
      value: (sum / figures.length) * 100,
      unit: '%',
      note: `Drain ${((drainSum / figures.length) * 100).toFixed(1)}% on the same datasets`,
    });
    figures.push(throughput(messages, 10));
  }
  return Promise.resolve(figures);
}
