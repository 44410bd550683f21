/**
 * Every example script runs with the command its header names and prints what
 * it promises. They import 'logsleuth' itself, so they run against the build.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const run = (script: string, ...args: string[]) =>
  execFileSync(tsx, [join('examples', script), ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });

describe('examples', () => {
  it('investigate-host.ts reports the sample night, most dangerous suspect last', () => {
    const out = run('investigate-host.ts');
    expect(out).toContain('Suspects (');
    expect(out).toContain('203.0.113.45');
    expect(out).toMatch(/most dangerous: \S+ \(score \d+\)/);
  });

  it('live-suspect.ts shows each suspect with its live connections and the host listeners', () => {
    const out = run('live-suspect.ts');
    expect(out).toContain('203.0.113.45');
    expect(out).toContain('no live connection');
    expect(out).toMatch(/this host listens on \d+ socket\(s\)/);
  });

  it('reputation.ts writes, merges and exports blocklists', () => {
    const out = run('reputation.ts', mkdtempSync(join(tmpdir(), 'logsleuth-example-')));
    expect(out).toMatch(/merged: \d+ addresses/);
    expect(out).toContain('create logsleuth hash:ip family inet');
    expect(out).toContain('add element inet logsleuth logsleuth_v4 {');
  });

  it('triage-errors.ts lists problems with hints', () => {
    const out = run('triage-errors.ts');
    expect(out).toContain('hint: ');
    expect(out).toMatch(/memory\/oom-kill/);
  });

  it('one-tracer.ts scores addresses with the IP tracer alone', () => {
    const out = run('one-tracer.ts');
    expect(out).toContain("range: 'Documentation'");
    expect(out).toMatch(/blacklist: .*203\.0\.113\.45/);
  });
});
