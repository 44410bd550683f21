/**
 * Use one tracer on its own: the IP tracer classifies and scores addresses
 * without an Investigation, and answers queries directly.
 *
 *   npx tsx examples/one-tracer.ts [auth.log]
 */
import { IpTracer, classifyIp, readEvents, readLines } from 'logsleuth';

async function main(): Promise<void> {
  console.log(classifyIp('2001:db8::1'), classifyIp('::ffff:10.1.2.3'));
  const tracer = new IpTracer();
  const log = process.argv[2] ?? 'examples/data/auth.log';
  for await (const event of readEvents(readLines([log]), {
    timezone: 'UTC',
    referenceDate: Date.parse('2026-12-31T00:00:00Z'),
  })) {
    tracer.ingest(event);
  }
  tracer.finish();
  for (const profile of tracer.top(5)) {
    console.log(
      `${profile.ip.padEnd(16)} score ${String(Math.round(profile.score)).padStart(3)} ${profile.blacklisted ? 'blacklisted' : ''}`,
    );
  }
  console.log('blacklist:', tracer.blacklist().join(' '));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
