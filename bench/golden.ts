/**
 * Prints what an optimisation must not change, one JSON document: the result
 * of investigate() on the given files, and a digest of every event they parse
 * to (ECS NDJSON). Compare before and after: `npx tsx bench/golden.ts FILES... > out.json`.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { toEcs } from '../src/core/ecs';
import { investigate } from '../src/investigate';
import { readEvents } from '../src/logs/read-events';

async function main(): Promise<void> {
  const files = process.argv.slice(2);
  const referenceDate = Date.UTC(2025, 11, 31);
  const digest = createHash('sha256');
  let events = 0;
  for (const file of files) {
    const lines = readFileSync(file, 'utf8')
      .split('\n')
      .slice(0, -1)
      .map((text, i) => ({ source: file, line: i + 1, text }));
    for (const event of readEvents([], { referenceDate, timezone: 'UTC' }).readSync(lines)) {
      digest.update(JSON.stringify(toEcs(event)) + '\n');
      events++;
    }
  }
  const clock = { now: () => referenceDate };
  const { result } = await investigate({ inputs: files, timezone: 'UTC', referenceDate, clock });
  const { generatedAt: _when, ...stable } = result;
  console.log(JSON.stringify({ events, eventsDigest: digest.digest('hex'), result: stable }, null, 1));
}

void main();
