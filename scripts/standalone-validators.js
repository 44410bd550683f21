// Writes dist/core/validators/<name>.js: ajv's standalone code of each schema, so that the
// built CLI validates without loading ajv's compiler or compiling schemas in each run.
const { mkdirSync, renameSync, rmSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const core = join(__dirname, '..', 'dist', 'core');
const { standaloneValidators } = require(join(core, 'schema-registry.js'));
const dir = join(core, 'validators');
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir);
for (const [name, code] of standaloneValidators()) {
  const out = join(dir, `${name}.js`);
  writeFileSync(`${out}.tmp`, code);
  renameSync(`${out}.tmp`, out);
}
