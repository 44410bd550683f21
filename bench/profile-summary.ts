/**
 * Self time by function from a V8 `.cpuprofile` (`node --cpu-prof`): the
 * hottest functions first, as `self ms  share  function  file:line`. Usage:
 * `npx tsx bench/profile-summary.ts FILE.cpuprofile [top]`.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, top = '30'] = process.argv.slice(2);
if (!file) throw new Error('usage: profile-summary FILE.cpuprofile [top]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const self = new Map<string, number>();
let total = 0;
profile.samples.forEach((id, i) => {
  const frame = nodes.get(id)!.callFrame;
  const cut = Math.max(frame.url.lastIndexOf('/src/'), frame.url.lastIndexOf('/node_modules/'));
  const where = cut < 0 ? frame.url : frame.url.slice(cut + 1);
  const key = `${frame.functionName || '(anonymous)'}  ${where}:${frame.lineNumber + 1}`;
  const micros = profile.timeDeltas[i] ?? 0;
  self.set(key, (self.get(key) ?? 0) + micros);
  total += micros;
});
for (const [key, micros] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(top)))
  console.log(
    `${(micros / 1000).toFixed(0).padStart(7)} ms ${((100 * micros) / total).toFixed(1).padStart(5)}%  ${key}`,
  );
console.log(`${(total / 1000).toFixed(0).padStart(7)} ms total`);
