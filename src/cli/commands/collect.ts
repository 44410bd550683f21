/**
 * `logsleuth collect --nats URL [--durable NAME] [--follow] [--json]`: consumes
 * every event batch the fleet stream holds for the durable consumer (with
 * `--follow`, as they come, until SIGINT/SIGTERM), runs the tracers over them
 * and prints the report as `analyze` does, each address seen on several hosts
 * with its evidence per host and fleet score (docs/fleet.md).
 */
import type { Command } from 'commander';
import { assertValid } from '../../core/schemas';
import type * as FleetBlocklist from '../../fleet/blocklist';
import type * as FleetCollector from '../../fleet/collector';
import { escapeForTerminal } from '../../report/terminal-escape';
import { renderText } from '../../report/text';
import { type CliRun, fail, untilInterrupted } from '../io';
import { type NatsFlags, addNatsOptions, connectOrFail } from '../nats-flag';
import { appendRun } from '../store-flag';

interface CollectFlags extends NatsFlags {
  durable?: string;
  json?: boolean;
  color?: boolean;
  store?: string | boolean;
  follow?: boolean;
}

async function runCollect(run: CliRun, flags: CollectFlags): Promise<void> {
  const connection = await connectOrFail(run, flags);
  if (!connection) return;
  try {
    const { Collector } = require('../../fleet/collector') as typeof FleetCollector;
    const collector = new Collector({ connection, ...(flags.durable ? { durable: flags.durable } : {}) });
    const stats = flags.follow ? await untilInterrupted((signal) => collector.run(signal)) : await collector.drain();
    const result = await collector.result();
    const { openBlocklist, publishBlocklist } = require('../../fleet/blocklist') as typeof FleetBlocklist;
    const sync = await publishBlocklist(await openBlocklist(connection), result.cases, collector.durable);
    const hosts = Object.entries(stats.byHost).map(([host, events]) => `${escapeForTerminal(host)} ${events}`);
    const fleetCases = result.cases.filter((suspect) => suspect.fleet).length;
    run.io.err(
      `logsleuth: ${stats.events} events in ${stats.batches} batches from ${hosts.length} host(s)` +
        `${hosts.length ? ` (${hosts.join(', ')})` : ''}, ${stats.malformed} malformed message(s) skipped;` +
        ` ${fleetCases} case(s) on several hosts;` +
        ` fleet blocklist: ${sync.put} put, ${sync.deleted} removed\n`,
    );
    if (flags.json) {
      assertValid('report', result);
      run.io.out(JSON.stringify(result, null, 2) + '\n');
    } else run.io.out(renderText(result, { colour: flags.color !== false && run.io.isTTY }));
    if (flags.store !== undefined && flags.store !== false) {
      const info = {
        command: 'collect',
        inputs: { nats: flags.nats, durable: collector.durable, hosts: stats.byHost },
      };
      await appendRun(run, flags.store, info, (writer) => writer.writeGold(result));
    }
  } catch (error) {
    fail(run, `collecting failed: ${escapeForTerminal((error as Error).message)}`);
  } finally {
    await connection.close();
  }
}

/** Adds `collect` to the program. */
export function register(program: Command, run: CliRun): void {
  addNatsOptions(program.command('collect'))
    .description("Run the tracers over the fleet's events in NATS JetStream and print the report (see docs/fleet.md).")
    .option(
      '--durable <name>',
      'durable consumer name; collectors sharing it share its position (default logsleuth-collector)',
    )
    .option('--follow', 'go on collecting as events come, until SIGINT or SIGTERM, then print the report')
    .option('--json', 'print the report as JSON (schemas/report.schema.json)')
    .option('--no-color', 'never colour the report')
    .option(
      '--store [path]',
      "append the fleet's cases (with their evidence per host), findings, chains and errors to a DuckDB store",
    )
    .action(async (flags: CollectFlags) => runCollect(run, flags));
}
