import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

describe('the hostile-input table of src/logs/sources/README.md', () => {
  it('names only tests that exist, so the table stays true', () => {
    const readme = readFileSync(join(__dirname, '..', '..', '..', 'src', 'logs', 'sources', 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('## Hostile'));
    const named = table
      .split('\n')
      .filter((row) => row.startsWith('| ') && !row.startsWith('| Input') && !row.startsWith('| ---'))
      .map((row) => row.split('|').at(-2)!.trim());
    const sources = readdirSync(__dirname)
      .filter((name) => name.endsWith('.test.ts'))
      .map((name) => readFileSync(join(__dirname, name), 'utf8'))
      .join('\n');
    expect(named.length).toBe(16);
    expect(named.filter((title) => !sources.includes(`it('${title}'`))).toEqual([]);
  });
});
