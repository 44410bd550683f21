/**
 * Triage an application's errors: the error tracer on its own turns error
 * lines into the few distinct problems behind them, with hints and actions.
 *
 *   npx tsx examples/triage-errors.ts [paths...]
 */
import { ErrorTracer, readEvents, readLines } from 'logsleuth';

async function main(): Promise<void> {
  const given = process.argv.slice(2);
  const inputs = given.length
    ? given
    : [
        'examples/data/django.log',
        'examples/data/postgresql/*.log',
        'examples/data/nginx/error.log',
        'examples/data/kern.log',
      ];
  const tracer = new ErrorTracer({ checkHost: false });
  for await (const event of readEvents(readLines(inputs), {
    timezone: 'UTC',
    referenceDate: Date.parse('2026-12-31T00:00:00Z'),
  })) {
    tracer.ingest(event);
  }
  tracer.finish();
  for (const problem of tracer.problems().slice(0, 10)) {
    console.log(`[${problem.severity}] x${problem.count} ${problem.category}/${problem.subkind}: ${problem.template}`);
    console.log(`      hint: ${problem.hint}`);
    if (problem.actions[0]) console.log(`      first: ${problem.actions[0]}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
