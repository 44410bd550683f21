/**
 * `--nats URL` for the fleet commands: one connection, or a clear message
 * (exit 2) when the server cannot be reached.
 */
import { type NatsConnection, connect } from '@nats-io/transport-node';
import { escapeForTerminal } from '../report/terminal-escape';
import { type CliRun, fail } from './io';

/**
 * How a long-running command (a following agent) reconnects: for ever, about
 * every second plus up to half a second of jitter, so agents that lost the same
 * server do not all come back at once.
 */
export const RECONNECT = { maxReconnectAttempts: -1, reconnectTimeWait: 1000, reconnectJitter: 500 } as const;

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
