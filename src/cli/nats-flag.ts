/**
 * `--nats URL` for the fleet commands: one connection, or a clear message
 * (exit 2) when the server cannot be reached.
 */
import { type NatsConnection, connect } from '@nats-io/transport-node';
import { escapeForTerminal } from '../report/terminal-escape';
import { type CliRun, fail } from './io';

/** Connects to `url` (one attempt, no endless reconnect at start); undefined after reporting why not. */
export async function connectOrFail(run: CliRun, url: string): Promise<NatsConnection | undefined> {
  try {
    return await connect({ servers: url, reconnect: false });
  } catch (error) {
    fail(run, `cannot connect to NATS at ${escapeForTerminal(url)}: ${escapeForTerminal((error as Error).message)}`, 2);
    return undefined;
  }
}
