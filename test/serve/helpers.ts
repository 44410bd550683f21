/**
 * What the serve tests share: a running `serve` on a temporary copy of the
 * sample data (so tests can append to it), and the API schemas compiled with ajv.
 */
import { cpSync, copyFileSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { SCHEMA_DIR } from '../../src/core/schemas';
import { type Serving, serve } from '../../src/serve/serve';

export const REFERENCE_DATE = Date.parse('2026-12-31T00:00:00Z');

/** Polls `condition` every 25 ms; throws after `ms`. */
export async function until(condition: () => boolean | Promise<boolean>, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A copy of examples/data plus the XSS test log, in a fresh temporary directory. */
export function sampleCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'logsleuth-serve-'));
  cpSync(join(__dirname, '..', '..', 'examples', 'data'), dir, { recursive: true });
  copyFileSync(join(__dirname, '..', 'fixtures', 'serve', 'xss-auth.log'), join(dir, 'xss-auth.log'));
  return dir;
}

/** Serves the copy on 127.0.0.1 (a free port) and waits until every line already there is read. */
export async function serveSample(
  extra: { token?: string; listen?: string } = {},
): Promise<{ serving: Serving; dir: string }> {
  const dir = sampleCopy();
  const serving = await serve({
    inputs: [join(dir, '**', '*.log')],
    listen: extra.listen ?? '127.0.0.1:0',
    timezone: 'UTC',
    referenceDate: REFERENCE_DATE,
    sampleMs: 300,
    pollMs: 50,
    flushMs: 200,
    rateLimitPerMinute: 100_000,
    ...(extra.token ? { token: extra.token } : {}),
  });
  // Read once the count stops moving (multi-line records and blank lines make the file's line count differ).
  let last = -1;
  await until(async () => {
    const now = serving.state.counters().lines;
    if (now > 0 && now === last) return true;
    last = now;
    await new Promise((resolve) => setTimeout(resolve, 300));
    return false;
  }, 'the sample read');
  // One more flush for the chains of the last lines, and a system sample.
  await new Promise((resolve) => setTimeout(resolve, 1200));
  return { serving, dir };
}

let ajv: Ajv | undefined;

/** The ajv problems of `data` against `schemas/<name>.schema.json`; empty when valid. */
export function problems(name: string, data: unknown): string[] {
  if (!ajv) {
    ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
    for (const file of readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.schema.json')))
      ajv.addSchema(JSON.parse(readFileSync(join(SCHEMA_DIR, file), 'utf8')) as object);
  }
  const validate = ajv.getSchema(`https://logsleuth.dev/schemas/${name}.schema.json`)!;
  return validate(data) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}
