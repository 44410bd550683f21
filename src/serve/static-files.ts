/**
 * The dashboard's files, read once at start and served from memory under
 * fixed paths: our HTML, JS and CSS, and uPlot's from its own npm package (no
 * CDN). No request ever chooses a file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface StaticFile {
  type: string;
  body: Buffer;
}

/** Next to this module in src/; the build copies it next to dist/serve too. */
function dashboardDir(): string {
  const candidates = [join(__dirname, 'dashboard'), join(__dirname, '..', '..', 'src', 'serve', 'dashboard')];
  const found = candidates.find((dir) => existsSync(join(dir, 'index.html')));
  if (!found) throw new Error(`the dashboard's files are missing (looked in ${candidates.join(', ')})`);
  return found;
}

/** URL path -> file, for every file the dashboard needs. */
export function dashboardFiles(): Map<string, StaticFile> {
  const dir = dashboardDir();
  const uplot = join(require.resolve('uplot/package.json'), '..', 'dist');
  const entries: [string, string, string][] = [
    ['/', join(dir, 'index.html'), 'text/html; charset=utf-8'],
    ['/app.js', join(dir, 'app.js'), 'text/javascript; charset=utf-8'],
    ['/style.css', join(dir, 'style.css'), 'text/css; charset=utf-8'],
    ['/vendor/uPlot.iife.min.js', join(uplot, 'uPlot.iife.min.js'), 'text/javascript; charset=utf-8'],
    ['/vendor/uPlot.min.css', join(uplot, 'uPlot.min.css'), 'text/css; charset=utf-8'],
  ];
  return new Map(entries.map(([path, file, type]) => [path, { type, body: readFileSync(file) }]));
}
