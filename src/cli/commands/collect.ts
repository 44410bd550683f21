/**
 * `logsleuth collect --nats URL [--durable NAME] [--partition I/N | auto [--lease-ttl DURATION]] [--follow] [--serve ADDR] [--json] [--store [PATH]]`:
 * consumes every event batch the fleet stream holds for the durable consumer
 * (or its share of the partitions, fixed or leased with the other members; with `--follow` or `--serve`, as they come,
 * until SIGINT/SIGTERM; `--serve` also serves the API, the dashboard with the
 * host list, and /metrics), runs the tracers over them and prints the report
 * as `analyze` does, each address seen on several hosts with its evidence per
 * host and fleet score. With `--store`, every event is stored as it is
 * consumed, exactly once, and the fleet's gold at the end (docs/fleet.md).
 */
import type { Command } from 'commander';
import { assertValid } from '../../core/schemas';
import type * as FleetBlocklist from '../../fleet/blocklist';
import type * as FleetCollector from '../../fleet/collector';
import type { Collector, CollectorStats } from '../../fleet/collector';
import type * as FleetServe from '../../fleet/fleet-serve';
import {
  DEFAULT_LEASE_TTL_MS,
  MIN_LEASE_TTL_MS,
  PARTITIONS,
  type PartitionShare,
  parsePartitionShare,
} from '../../fleet/partition';
import { parseDuration } from '../../store/retention';
import type * as FleetCollectorStore from '../../fleet/collector-store';
import type { CollectorStore } from '../../fleet/collector-store';
import { escapeForTerminal } from '../../report/terminal-escape';
import { renderText } from '../../report/text';
import { type CliRun, fail, untilInterrupted } from '../io';
import { type NatsFlags, addNatsOptions, connectOrFail } from '../nats-flag';
import { reportStoreError, storePath } from '../store-flag';
import { readTokenFile } from '../token-flag';

interface CollectFlags extends NatsFlags {
  durable?: string;
  partition?: string;
  leaseTtl?: string;
  json?: boolean;
  color?: boolean;
  store?: string | boolean;
  raw: boolean;
  follow?: boolean;
  serve?: string;
  token?: string;
}

/**
 * Serves the collector's cases and host list while it follows, until SIGINT or
 * SIGTERM; undefined (after a one-line error) when the server cannot start.
 */
async function serveUntilStopped(
  run: CliRun,
  options: FleetServe.FleetServeOptions,
): Promise<{ collector: Collector; stats: CollectorStats } | undefined> {
  // fastify and prom-client load with this flag, not with every collect.
  const { serveFleet } = require('../../fleet/fleet-serve') as typeof FleetServe;
  let serving;
  try {
    serving = await serveFleet(options);
  } catch (error) {
    fail(run, escapeForTerminal((error as Error).message.split('\n')[0]!), 2);
    return undefined;
  }
  run.io.err(`logsleuth: serving on ${serving.server.url}\n`);
  const stats = await untilInterrupted(async (signal) => {
    await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
    return serving.stop();
  });
  return { collector: serving.collector, stats };
}

/** The store of `--store` with the collect run started; undefined without the flag, null after failing. */
async function openStore(run: CliRun, flags: CollectFlags): Promise<CollectorStore | undefined | null> {
  if (flags.store === undefined || flags.store === false) return undefined;
  const { openCollectorStore } = require('../../fleet/collector-store') as typeof FleetCollectorStore;
  const options = {
    ...(flags.durable ? { durable: flags.durable } : {}),
    raw: flags.raw,
    inputs: { nats: flags.nats, ...(flags.partition ? { partition: flags.partition } : {}) },
  };
  try {
    return await openCollectorStore(storePath(flags.store), options);
  } catch (error) {
    reportStoreError(run, error);
    return null;
  }
}

/** The share and lease TTL of `--partition` and `--lease-ttl`; null after a one-line error (exit 2). */
function partitionFlags(
  run: CliRun,
  flags: CollectFlags,
): { partition?: PartitionShare | 'auto'; leaseTtlMs?: number } | null {
  const auto = flags.partition === 'auto';
  const partition = auto ? 'auto' : flags.partition === undefined ? undefined : parsePartitionShare(flags.partition);
  const refuse = (message: string) => (fail(run, message, 2), null);
  if (flags.partition !== undefined && !partition)
    return refuse(
      `--partition must be I/N with 0 <= I < N <= ${PARTITIONS}, or auto, not '${escapeForTerminal(flags.partition)}'`,
    );
  if (auto && flags.store !== undefined && flags.store !== false)
    return refuse(
      "--partition auto does not go with --store: a taken-over partition's events are in its earlier owner's DuckDB file, which only one process opens at a time; give each collector a fixed share I/N",
    );
  if (flags.leaseTtl === undefined) return partition ? { partition } : {};
  const leaseTtlMs = parseDuration(flags.leaseTtl);
  if (!auto) return refuse('--lease-ttl goes with --partition auto');
  if (leaseTtlMs === undefined || leaseTtlMs < MIN_LEASE_TTL_MS)
    return refuse(
      `--lease-ttl takes a duration like 15s (at least ${MIN_LEASE_TTL_MS / 1000}s), not '${escapeForTerminal(flags.leaseTtl)}'`,
    );
  return { partition: 'auto', leaseTtlMs };
}

async function runCollect(run: CliRun, flags: CollectFlags): Promise<void> {
  const share = partitionFlags(run, flags);
  if (!share) return;
  const { partition } = share;
  const token = flags.token === undefined ? undefined : readTokenFile(run, flags.token);
  if (token === null) return;
  const connection = await connectOrFail(run, flags);
  if (!connection) return;
  let store: CollectorStore | undefined | null;
  try {
    store = await openStore(run, flags);
    if (store === null) return;
    const options = {
      connection,
      ...(flags.durable ? { durable: flags.durable } : {}),
      ...share,
      ...(store ? { store } : {}),
    };
    let collector: Collector;
    let stats: CollectorStats;
    if (flags.serve !== undefined) {
      const served = await serveUntilStopped(run, { ...options, listen: flags.serve, ...(token ? { token } : {}) });
      if (!served) return;
      ({ collector, stats } = served);
    } else {
      const { Collector } = require('../../fleet/collector') as typeof FleetCollector;
      const following = new Collector(options);
      collector = following;
      stats = flags.follow ? await untilInterrupted((signal) => following.run(signal)) : await following.drain();
    }
    const unread = partition ? await collector.unpartitionedMessages() : 0;
    if (unread > 0)
      run.io.err(
        `logsleuth: ${unread} message(s) on logsleuth.events.<host> (agents without partitions) left unread:` +
          ' a collector without --partition reads them\n',
      );
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
    const found = collector.agentFindings.counts();
    if (found.length > 0) {
      const perHost = found.map(({ host, findings }) => `${escapeForTerminal(host)} ${findings}`).join(', ');
      const total = found.reduce((sum, { findings }) => sum + findings, 0);
      run.io.err(`logsleuth: ${total} agent finding(s) from ${found.length} host(s) (${perHost})\n`);
    }
    if (flags.json) {
      assertValid('report', result);
      run.io.out(JSON.stringify(result, null, 2) + '\n');
    } else run.io.out(renderText(result, { colour: flags.color !== false && run.io.isTTY }));
    if (store) {
      const stored = store.stats();
      const runId = store.runId;
      await store.finish(result).then(
        () =>
          run.io.err(
            `logsleuth: stored ${stored.events} events of ${stored.messages} message(s) and` +
              ` ${stored.samples} sample(s) in run ${runId} (${stored.alreadyStored} redelivered message(s)` +
              ` already stored, ${stored.notSamples} not a sample);` +
              ` ${stored.resumedEvents} events read back from ${stored.resumedRuns} unfinished earlier run(s)\n`,
          ),
        (error: unknown) => reportStoreError(run, error),
      );
    }
  } catch (error) {
    fail(run, `collecting failed: ${escapeForTerminal((error as Error).message)}`);
  } finally {
    // Stops the store's thread if the run was not finished: what it committed stays, and only that was acked.
    await store?.abort();
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
    .option(
      '--partition <I/N|auto>',
      `read only the partitions p with p % N = I (of ${PARTITIONS}), one durable each: collectors 0/N .. N-1/N share the fleet, each address on one;` +
        " auto: lease about 16/members partitions with the durable's other members, taking over a dead member's",
    )
    .option(
      '--lease-ttl <duration>',
      `with --partition auto: how long a lease lasts unrenewed, if the durable's lease bucket is new (default ${DEFAULT_LEASE_TTL_MS / 1000}s)`,
    )
    .option('--follow', 'go on collecting as events come, until SIGINT or SIGTERM, then print the report')
    .option(
      '--serve <host:port>',
      'follow, and serve the API, the dashboard (with the host list) and /metrics there (non-loopback needs --token)',
    )
    .option('--token <file>', 'with --serve: file holding the bearer token API and metrics requests must present')
    .option('--json', 'print the report as JSON (schemas/report.schema.json)')
    .option('--no-color', 'never colour the report')
    .option(
      '--store [path]',
      "store every event as it is consumed, exactly once, then the fleet's cases (with their evidence per host), findings, chains and errors, in a DuckDB store",
    )
    .option('--no-raw', 'with --store, leave the raw lines out (bronze_lines)')
    .action(async (flags: CollectFlags) => runCollect(run, flags));
}
