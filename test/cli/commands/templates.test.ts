import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli } from '../../helpers/cli';
import { corpus, describeWithCorpora } from '../../helpers/corpora';
import { ACCURACY_DOC, DRAIN_GA, groupingAccuracy, loadDataset } from '../../tracers/error/loghub';

const run = (...args: string[]) => cli(args);

type Row = { line: number; templateId: string; template: string; source?: string };

const parse = (stdout: string): Row[] =>
  stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Row);

/** The CLI table of docs/template-accuracy.md: dataset -> [detected format, --format raw]. */
function publishedCliRows(): Map<string, number[]> {
  const rows = new Map<string, number[]>();
  for (const line of readFileSync(ACCURACY_DOC, 'utf8').split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    if (cells.length === 5 && cells[1]! in DRAIN_GA) rows.set(cells[1]!, cells.slice(2, 4).map(Number));
  }
  return rows;
}

describe('logsleuth templates', () => {
  it('prints one {line, templateId, template} per record, in order, with the final template of its group', async () => {
    const { code, stdout } = await run(
      'templates',
      '--ndjson',
      '--format',
      'raw',
      join(__dirname, '..', '..', 'fixtures', 'errors', 'app.log'),
    );
    expect(code).toBe(0);
    const rows = parse(stdout);
    expect(rows.map((row) => row.line)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(rows[0]).toEqual({
      line: 1,
      templateId: rows[2]!.templateId,
      template: '<*> postgres[<*>]: [<*>] ERROR: deadlock detected',
    });
    expect(rows[3]!.template).toBe('<*> app[<*>]: write <*> no space left on device');
    expect(new Set(rows.map((row) => row.templateId)).size).toBe(4);
  });

  it('needs --ndjson', async () => {
    const { code, stderr } = await run('templates', 'x.log');
    expect(code).toBe(2);
    expect(stderr).toBe('logsleuth: templates prints NDJSON only: add --ndjson\n');
  });
});

describeWithCorpora('logsleuth templates on the Loghub 2k raw files', () => {
  const published = publishedCliRows();

  it.each(Object.keys(DRAIN_GA))('%s: every line in order, grouped as docs/template-accuracy.md says', async (name) => {
    const { events } = loadDataset(name);
    const file = corpus('loghub', name, `${name}_2k.log`);
    const [detected, raw] = published.get(name)!;
    for (const [args, expected] of [
      [[], detected],
      [['--format', 'raw'], raw],
    ] as const) {
      const rows = parse((await run('templates', '--ndjson', ...args, file)).stdout);
      expect(rows.map((row) => row.line)).toEqual(Array.from({ length: 2000 }, (_, i) => i + 1));
      expect(
        Number(
          groupingAccuracy(
            events,
            rows.map((row) => row.templateId),
          ).toFixed(3),
        ),
      ).toBe(expected);
    }
  });
});
