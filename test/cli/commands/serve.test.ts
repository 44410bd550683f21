import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../../helpers/cli';

describe('logsleuth serve', () => {
  it('refuses to listen off loopback without a token', async () => {
    const outcome = await cli(['serve', 'examples/data/auth.log', '--listen', '0.0.0.0:0']);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toBe('logsleuth: refusing to listen on 0.0.0.0 (not loopback) without --token FILE\n');
  });

  it('refuses an empty token file and a missing one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'logsleuth-serve-cli-'));
    writeFileSync(join(dir, 'token'), '\n');
    const empty = await cli([
      'serve',
      'examples/data/auth.log',
      '--listen',
      '0.0.0.0:0',
      '--token',
      join(dir, 'token'),
    ]);
    expect(empty).toMatchObject({ code: 2, stderr: 'logsleuth: the token is empty\n' });
    const missing = await cli(['serve', 'examples/data/auth.log', '--token', join(dir, 'nope')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--token: ENOENT');
  });

  it('needs something to follow, and a listen address it can read', async () => {
    expect(await cli(['serve'])).toMatchObject({
      code: 2,
      stderr: 'logsleuth: nothing to serve: give log paths or --journal\n',
    });
    const bad = await cli(['serve', 'examples/data/auth.log', '--listen', 'example.com:80']);
    expect(bad).toMatchObject({ code: 2, stderr: "logsleuth: --listen: not an IP address: 'example.com'\n" });
  });

  it('reports a store it cannot open in one line, and serves nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'logsleuth-serve-cli-'));
    const store = join(dir, 'missing', 'x.duckdb');
    const outcome = await cli(['serve', 'examples/data/auth.log', '--store', store]);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toMatch(/^logsleuth: cannot open the store [^\n]+No such file or directory\n$/);
    expect(outcome.stderr).toContain(store);
  });
});
