/**
 * Build reputation databases from two hosts' logs, merge them, and export a
 * blocklist for ipset and nftables.
 *
 *   npx tsx examples/reputation.ts [output-dir]
 *
 * The two "hosts" are the sample auth.log and fail2ban.log read separately.
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  exportReputation,
  investigate,
  mergeReputation,
  readReputation,
  renderBlocklist,
  writeReputation,
} from 'logsleuth';

const sample = { timezone: 'UTC', referenceDate: Date.parse('2026-12-31T00:00:00Z') };

async function main(): Promise<void> {
  const out = process.argv[2] ?? join(tmpdir(), 'logsleuth-reputation');
  mkdirSync(out, { recursive: true });
  const paths: string[] = [];
  for (const [host, log] of [
    ['web01', 'examples/data/auth.log'],
    ['web02', 'examples/data/fail2ban.log'],
  ]) {
    const { tracers } = await investigate({ inputs: [log!], ...sample });
    const path = join(out, `${host}.json`);
    await writeReputation(path, exportReputation(tracers.ip));
    paths.push(path);
    console.log(`${host}: wrote ${path}`);
  }
  // Reading validates each file against schemas/reputation.schema.json.
  const merged = mergeReputation(await Promise.all(paths.map(readReputation)));
  const mergedPath = join(out, 'merged.json');
  await writeReputation(mergedPath, merged);
  console.log(`merged: ${merged.entries.length} addresses in ${mergedPath}`);
  for (const entry of merged.entries) {
    console.log(
      `  ${entry.ip.padEnd(16)} ${String(Math.round(entry.score)).padStart(3)} ${entry.blacklisted ? 'blacklisted' : ''}`,
    );
  }
  console.log('\nipset restore:\n' + renderBlocklist(merged, 'ipset', { set: 'logsleuth' }));
  console.log('nftables:\n' + renderBlocklist(merged, 'nft'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
