/**
 * Correlate suspects with what is connected to this host right now: the IP
 * tracer flags addresses from the logs, the network tracer finds their live
 * sockets in /proc/net, the process tracer names the processes that hold them.
 *
 *   npx tsx examples/live-suspect.ts /var/log/auth.log
 *
 * Without paths it reads the sample auth.log (its attackers are not connected
 * here, so it shows how a case looks when nothing is live).
 */
import { investigate } from 'logsleuth';

async function main(): Promise<void> {
  const given = process.argv.slice(2);
  const { result, tracers } = await investigate({
    inputs: given.length ? given : ['examples/data/auth.log'],
    live: true,
    ...(given.length ? {} : { timezone: 'UTC', referenceDate: Date.parse('2026-12-31T00:00:00Z') }),
  });
  for (const suspect of result.cases) {
    console.log(`${suspect.ip}  score ${Math.round(suspect.score)}${suspect.blacklisted ? '  BLACKLISTED' : ''}`);
    if (suspect.connections.length === 0) console.log('  no live connection');
    for (const connection of suspect.connections) {
      console.log(
        `  ${connection.protocol} ${connection.local.address}:${connection.local.port} <- ${connection.remote.address}:${connection.remote.port} ${connection.state}, pid ${connection.pid ?? '?'} (${connection.process ?? 'owner unknown'})`,
      );
    }
    for (const owner of suspect.processes) {
      const ancestry = owner.ancestry.map((a) => `${a.name}[${a.pid}]`).join(' > ');
      console.log(`  held by ${owner.name}[${owner.pid}] ${owner.cmdline}${ancestry ? `, under ${ancestry}` : ''}`);
    }
  }
  const listening = tracers.network!.listeners();
  console.log(`\nthis host listens on ${listening.length} socket(s); by state:`, tracers.network!.stateCounts());
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
