/**
 * `agent --blocklist-apply ipset|nft [--blocklist-exec]`: the fleet's
 * blocklist (the collectors' key-value bucket) as firewall lines. By default
 * the lines are printed (to pipe into `nft -f -` or `ipset restore`, or to
 * read); with `--blocklist-exec` each batch is handed to `nft -f -` or
 * `ipset restore -exist` on this host.
 */
import { spawnSync } from 'node:child_process';
import type { NatsConnection } from '@nats-io/transport-node';
import type * as FleetBlocklist from '../fleet/blocklist';
import type { BlocklistFormat } from '../tracers/ip/blocklist';
import { escapeForTerminal } from '../report/terminal-escape';
import type { CliRun } from './io';

/** The firewalls `--blocklist-apply` speaks to. */
export type FirewallFormat = Exclude<BlocklistFormat, 'plain'>;

export const FIREWALL_FORMATS: readonly FirewallFormat[] = ['ipset', 'nft'];

/** Where the lines go: printed, or run by the firewall's own loader. */
function sinkOf(run: CliRun, format: FirewallFormat, exec: boolean): (script: string) => void {
  if (!exec) return (script) => run.io.out(script);
  const [command, ...args] = format === 'nft' ? ['nft', '-f', '-'] : ['ipset', 'restore', '-exist'];
  return (script) => {
    const done = spawnSync(command!, args, { input: script, encoding: 'utf8' });
    if (done.error || done.status !== 0) {
      const why = done.error?.message ?? done.stderr.trim().split('\n')[0] ?? `exit ${done.status}`;
      run.io.err(`logsleuth: ${command} refused the blocklist: ${escapeForTerminal(why)}\n`);
    }
  };
}

/**
 * Applies what the bucket holds now; then, until `signal` aborts (never when
 * it is undefined), every change. Resolves once it stops.
 */
export async function applyFleetBlocklist(
  run: CliRun,
  connection: NatsConnection,
  format: FirewallFormat,
  options: { exec: boolean; signal?: AbortSignal },
): Promise<void> {
  const sink = sinkOf(run, format, options.exec);
  // The NATS client loads with the command that uses it, not with every CLI start.
  const { currentBlocklist, initialScript, openBlocklist, watchBlocklist } =
    require('../fleet/blocklist') as typeof FleetBlocklist;
  const kv = await openBlocklist(connection);
  // The watch starts before the snapshot is read, so no change falls between them (an add seen twice is harmless).
  const watching = options.signal ? watchBlocklist(kv, format, sink, options.signal) : undefined;
  const blocked = await currentBlocklist(kv);
  sink(initialScript(format, blocked));
  const skipped = blocked.invalid + ((await watching) ?? 0);
  if (skipped > 0) run.io.err(`logsleuth: ${skipped} blocklist key(s) named no address and were skipped\n`);
}
