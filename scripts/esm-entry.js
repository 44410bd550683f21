// Writes dist/index.mjs: an ES module that re-exports the CommonJS build by name,
// so `import { classifyIp } from 'logsleuth'` works with static named imports.
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');

const dist = join(__dirname, '..', 'dist');
const names = Object.keys(require(join(dist, 'index.js'))).filter(
  (name) => name !== 'default' && name !== '__esModule',
);
const body = [
  "import cjs from './index.js';",
  ...names.map((name) => `export const ${name} = cjs.${name};`),
  'export default cjs;',
  '',
].join('\n');
writeFileSync(join(dist, 'index.mjs'), body);
