/**
 * `--nats URL` for the fleet commands: one connection, or a clear message
 * (exit 2) when the server cannot be reached.
 */
import { type NatsConnection, connect } from '@nats-io/transport-node';
import { RECONNECT } from '../fleet/backoff';
import { escapeForTerminal } from '../report/terminal-escape';
import { type CliRun, fail } from './io';

/**
 * Connects to `url`; undefined after reporting why not. The first attempt is the
 * only one; once connected, `reconnect` keeps it connected ({@link RECONNECT}).
 */
export async function connectOrFail(
  run: CliRun,
  url: string,
  options: { reconnect?: boolean } = {},
): Promise<NatsConnection | undefined> {
  try {
    return await connect({ servers: url, ...(options.reconnect ? RECONNECT : { reconnect: false }) });
  } catch (error) {
    fail(run, `cannot connect to NATS at ${escapeForTerminal(url)}: ${escapeForTerminal((error as Error).message)}`, 2);
    return undefined;
  }
}
