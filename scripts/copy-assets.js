// The dashboard's HTML, JS and CSS are not TypeScript: tsc leaves them out of
// dist/, so the build copies them next to the compiled server that serves them.
const { cpSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
cpSync(join(root, 'src', 'serve', 'dashboard'), join(root, 'dist', 'serve', 'dashboard'), { recursive: true });
