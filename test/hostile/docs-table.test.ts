/**
 * docs/hostile-input.md stays true: every proof it names exists, every case of
 * the shared case lists is a row, and every test under test/hostile/ is named.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { INJECTION_CASES } from './cases/injection';
import { JSON_LINE_CASES } from './cases/json-lines';
import { REDOS_CASES } from './cases/redos';
import { ARGUMENT_CASES } from './cases/terminal';
import { terminalControls } from './cli-run';

const ROOT = join(__dirname, '..', '..');
const DOC = readFileSync(join(ROOT, 'docs', 'hostile-input.md'), 'utf8');

interface Row {
  case: string;
  file: string;
  title: string;
}

/** Table rows whose last cell is `` `file` › title ``. */
const rows: Row[] = DOC.split('\n')
  .filter((line) => line.startsWith('| ') && line.includes(' › '))
  .map((line) => {
    // Cells split on ' | ', not on an escaped \| inside one.
    const cells = line
      .slice(2, -2)
      .replaceAll('\\|', '\u0000')
      .split(' | ')
      .map((cell) => cell.replaceAll('\u0000', '|'));
    const proof = /^`([^`]+)` › (.+)$/.exec(cells.at(-1)!);
    if (!proof) throw new Error(`a row without a proof: ${line}`);
    return { case: cells[0]!, file: proof[1]!, title: proof[2]! };
  });

function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(file, readFileSync(join(ROOT, file), 'utf8'), ts.ScriptTarget.Latest, true);
}

/** Every string a file spells out (literals and the fixed parts of templates). */
function strings(file: string): string[] {
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) found.push(node.text);
    if (ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) found.push(node.text);
    ts.forEachChild(node, visit);
  };
  visit(parse(file));
  return found;
}

/** The titles of a test file's tests: `it('...')` and `it.each(...)('...')`. */
function testTitles(file: string): string[] {
  const titles: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const isIt = ts.isIdentifier(callee) && callee.text === 'it';
      const isEach = ts.isCallExpression(callee) && callee.expression.getText() === 'it.each';
      const first = node.arguments[0];
      if ((isIt || isEach) && first && (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first)))
        titles.push(first.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(parse(file));
  return titles;
}

describe('docs/hostile-input.md', () => {
  it('names only proofs that exist: test titles in their test files, measures in their benchmarks', () => {
    expect(rows.length).toBeGreaterThan(100);
    const missing = rows.filter((row) => {
      if (!existsSync(join(ROOT, row.file))) return true;
      if (row.file.startsWith('bench/')) return !strings(row.file).some((text) => text.includes(row.title));
      return !testTitles(row.file).includes(row.title);
    });
    expect(missing).toEqual([]);
  });

  it('has a row for every case the table-driven tests iterate', () => {
    const listed = new Set(rows.map((row) => row.case));
    const cases = [
      ...INJECTION_CASES.map((c) => c.name),
      ...REDOS_CASES.map((c) => c.name),
      ...JSON_LINE_CASES.map(([name]) => name),
      // Named with the command they run (`an unknown command` runs none).
      ...ARGUMENT_CASES.map(([name, args]) =>
        /^[a-z]+$/.test(args[0]!) ? `${name} (\`logsleuth ${args[0]}\`)` : name,
      ),
    ];
    expect(cases.filter((name) => !listed.has(name))).toEqual([]);
  });

  it('holds no raw control character itself (the hostile text is shown escaped)', () => {
    expect(terminalControls(DOC)).toEqual([]);
  });

  it('names every test under test/hostile', () => {
    const named = new Set(rows.map((row) => `${row.file} › ${row.title}`));
    const unnamed = readdirSync(__dirname)
      .filter((name) => name.endsWith('.test.ts') && name !== 'docs-table.test.ts')
      .flatMap((name) => testTitles(`test/hostile/${name}`).map((title) => `test/hostile/${name} › ${title}`))
      .filter((proof) => !named.has(proof));
    expect(unnamed).toEqual([]);
  });
});
