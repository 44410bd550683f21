/** `logsleuth trace --store`: a real strace run lands in gold as the report gives it. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import type { TraceResult } from '../../src/trace';
import { openStore } from '../../src/store/store';
import { cli } from '../helpers/cli';

const haveStrace = spawnSync('strace', ['-V']).status === 0;

(haveStrace ? describe : describe.skip)('trace --store', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'logsleuth-trace-store-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("keeps the report's system calls, paths and peers, one run of command 'trace'", async () => {
    const path = join(dir, 'trace.duckdb');
    const outcome = await cli([
      'trace',
      '--json',
      '--store',
      path,
      '--',
      'sh',
      '-c',
      'cat /etc/hostname > /dev/null; ls /nonexistent-logsleuth-path 2>/dev/null; true',
    ]);
    expect(outcome.stderr).not.toMatch(/logsleuth:/);
    expect(outcome.code).toBe(0);
    const report = JSON.parse(outcome.stdout) as TraceResult;
    const store = await openStore(path, { readOnly: true });
    try {
      const runs = await store.query('SELECT command, finished IS NOT NULL AS finished, inputs FROM runs');
      expect(runs).toEqual([{ command: 'trace', finished: true, inputs: expect.stringContaining('/etc/hostname') }]);
      const calls = await store.query('SELECT name, calls, errors FROM gold_syscalls ORDER BY name');
      expect(calls).toEqual(
        report.syscall.syscalls
          .map((s) => ({ name: s.name, calls: s.count, errors: s.errors }))
          .sort((a, b) => (a.name < b.name ? -1 : 1)),
      );
      const paths = await store.query('SELECT path, opens FROM gold_trace_paths');
      expect(paths.map((p) => p['path'])).toContain('/etc/hostname');
      expect(await store.query('SELECT count(*) AS n FROM gold_trace_peers')).toEqual([
        { n: report.syscall.peers.length },
      ]);
    } finally {
      store.close();
    }
  }, 60_000);
});
