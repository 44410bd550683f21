/**
 * Prints what an optimisation must not change, one JSON document: the result
 * of investigate() on the given files, and a digest of every event they parse
 * to (ECS NDJSON). Compare before and after: `npx tsx bench/golden.ts FILES... > out.json`.
 * `--fail2ban` first loads /etc/fail2ban's filters as rule packs (what the CLI does where it exists).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { toEcs } from '../src/core/ecs';
import { investigate } from '../src/investigate';
import { loadFail2ban } from '../src/logs/fail2ban';
import { readEvents } from '../src/logs/read-events';

async function main(): Promise<void> {
  const withPacks = process.argv[2] === '--fail2ban';
  const files = process.argv.slice(withPacks ? 3 : 2);
  // Fresh packs for each pass: their multi-line buffers and sessions hold state.
  const packs = () => (withPacks ? { fail2ban: loadFail2ban() } : {});
  const referenceDate = Date.UTC(2025, 11, 31);
  const digest = createHash('sha256');
  let events = 0;
  for (const file of files) {
    const lines = readFileSync(file, 'utf8')
      .split('\n')
      .slice(0, -1)
      .map((text, i) => ({ source: file, line: i + 1, text }));
    for (const event of readEvents([], { referenceDate, timezone: 'UTC', ...packs() }).readSync(lines)) {
      digest.update(JSON.stringify(toEcs(event)) + '\n');
      events++;
    }
  }
  const clock = { now: () => referenceDate };
  const { result } = await investigate({ inputs: files, timezone: 'UTC', referenceDate, clock, ...packs() });
  const { generatedAt: _when, ...stable } = result;
  console.log(JSON.stringify({ events, eventsDigest: digest.digest('hex'), result: stable }, null, 1));
}

void main();
