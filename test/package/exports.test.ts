/**
 * The published package: importable from CommonJS and ES modules, with a
 * working `logsleuth` binary. Runs against the build (`npm install` builds it
 * through `prepare`), the way a user gets it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const node = (args: string[]) => execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8' });

describe('the built package', () => {
  beforeAll(() => {
    if (!existsSync(join(root, 'dist', 'index.mjs'))) {
      throw new Error('dist/ is missing: run `npm run build` (npm install runs it through prepare)');
    }
  });

  it('is importable from CommonJS by its name', () => {
    const out = node(['-e', "const l = require('logsleuth'); console.log(typeof l.ContextBus, typeof l.toEcs)"]);
    expect(out.trim()).toBe('function function');
  });

  it('is importable from an ES module by its name, with named exports', () => {
    const out = node([
      '--input-type=module',
      '-e',
      "import { ContextBus, toEcs } from 'logsleuth'; import l from 'logsleuth'; console.log(typeof ContextBus, typeof toEcs, l.ContextBus === ContextBus)",
    ]);
    expect(out.trim()).toBe('function function true');
  });

  it('declares its types for both entry points', () => {
    const pkg = require(join(root, 'package.json')) as { types: string; exports: { '.': { types: string } } };
    expect(existsSync(join(root, pkg.types))).toBe(true);
    expect(pkg.exports['.'].types).toBe(pkg.types);
  });

  it('runs the logsleuth binary', () => {
    const out = node([join(root, 'bin', 'logsleuth.js'), '--version']);
    expect(out.trim()).toBe(require(join(root, 'package.json')).version);
  });
});
