/**
 * Investigate a host's logs: who attacked, what happened, what broke.
 *
 *   npx tsx examples/investigate-host.ts [paths...]
 *
 * Without paths it reads the bundled sample night in examples/data.
 */
import { investigate, renderText } from 'logsleuth';

async function main(): Promise<void> {
  const given = process.argv.slice(2);
  const { result } = await investigate({
    inputs: given.length ? given : ['examples/data/**/*.log'],
    // The sample logs are from March 2026 and carry year-less syslog dates.
    ...(given.length ? {} : { timezone: 'UTC', referenceDate: Date.parse('2026-12-31T00:00:00Z') }),
  });
  process.stdout.write(renderText(result, { colour: process.stdout.isTTY }));
  const worst = result.cases[0];
  if (worst) console.log(`\nmost dangerous: ${worst.ip} (score ${Math.round(worst.score)}), ${worst.reasons[0]?.text}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
