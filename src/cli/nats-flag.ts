/**
 * `--nats URL` and its security flags for the fleet commands: one connection,
 * or a clear message (exit 2) when the server cannot be reached or refuses us.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type * as Nats from '@nats-io/transport-node';
import type { Authenticator, ConnectionOptions, NatsConnection } from '@nats-io/transport-node';
import { RECONNECT } from '../fleet/backoff';
import { escapeForTerminal } from '../report/terminal-escape';
import { type CliRun, fail } from './io';

/** The NATS client, loaded with the first fleet command rather than with every CLI start. */
function nats(): typeof Nats {
  return require('@nats-io/transport-node') as typeof Nats;
}

/** The flags {@link addNatsOptions} adds. */
export interface NatsFlags {
  nats: string;
  creds?: string;
  nkey?: string;
  tlsCa?: string;
  tlsCert?: string;
  tlsKey?: string;
}

/** Adds `--nats` and the authentication and TLS flags to a fleet command. */
export function addNatsOptions(command: Command): Command {
  return command
    .requiredOption('--nats <url>', 'the NATS server, e.g. nats://127.0.0.1:4222 (tls://... for TLS)')
    .option('--creds <file>', 'a NATS credentials file (user JWT and nkey seed, as nsc writes it)')
    .option('--nkey <file>', "a file holding the user's nkey seed (SU...), for servers that list nkeys")
    .option('--tls-ca <file>', "the CA that signed the server's certificate (PEM)")
    .option('--tls-cert <file>', "this host's client certificate (PEM), for servers that verify clients")
    .option('--tls-key <file>', 'the private key of --tls-cert (PEM)');
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** A user nkey seed: `SU` and 56 more base32 characters (checked by hand: no regex runs on a file's text). */
function isUserSeed(text: string): boolean {
  return text.length === 58 && text.startsWith('SU') && [...text].every((c) => BASE32.includes(c));
}

/** The authenticator of `--creds` or `--nkey`; throws with the file named when it cannot be read. */
function authenticatorOf(flags: NatsFlags): Authenticator | undefined {
  if (flags.creds !== undefined && flags.nkey !== undefined) throw new Error('give --creds or --nkey, not both');
  const read = (file: string, what: string) => {
    try {
      return readFileSync(file);
    } catch (error) {
      throw new Error(`cannot read the ${what} ${file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`, {
        cause: error,
      });
    }
  };
  if (flags.creds !== undefined) {
    const creds = read(flags.creds, 'credentials file');
    if (!creds.includes('-----BEGIN NATS USER JWT-----'))
      throw new Error(`${flags.creds} is not a NATS credentials file (no user JWT in it)`);
    return nats().credsAuthenticator(creds);
  }
  if (flags.nkey !== undefined) {
    const seed = read(flags.nkey, 'nkey seed file').toString('utf8').trim();
    if (!isUserSeed(seed)) throw new Error(`${flags.nkey} does not hold a user nkey seed (SU...)`);
    return nats().nkeyAuthenticator(new TextEncoder().encode(seed));
  }
  return undefined;
}

/** The connection options of the flags (TLS files are read by the client, which names them when it cannot). */
export function connectionOptions(flags: NatsFlags): ConnectionOptions {
  const options: ConnectionOptions = { servers: flags.nats };
  const authenticator = authenticatorOf(flags);
  if (authenticator) options.authenticator = authenticator;
  if (flags.tlsCa !== undefined || flags.tlsCert !== undefined || flags.tlsKey !== undefined) {
    if ((flags.tlsCert === undefined) !== (flags.tlsKey === undefined))
      throw new Error('--tls-cert and --tls-key go together');
    options.tls = {
      ...(flags.tlsCa !== undefined ? { caFile: flags.tlsCa } : {}),
      ...(flags.tlsCert !== undefined ? { certFile: flags.tlsCert } : {}),
      ...(flags.tlsKey !== undefined ? { keyFile: flags.tlsKey } : {}),
    };
  }
  return options;
}

/** What a refused connection means to the person running the command. */
function explain(error: Error): string {
  const message = error.message;
  const lower = message.toLowerCase();
  if (lower.includes('authorization violation'))
    return `the server refused our credentials (${message}): check --creds / --nkey`;
  if (['certificate', 'self-signed', 'ssl', 'tls'].some((word) => lower.includes(word)))
    return `TLS failed (${message}): check --tls-ca / --tls-cert / --tls-key`;
  return message;
}

/**
 * Connects as the flags say; undefined after reporting why not. The first
 * attempt is the only one; once connected, `reconnect` keeps it connected
 * ({@link RECONNECT}).
 */
export async function connectOrFail(
  run: CliRun,
  flags: NatsFlags,
  options: { reconnect?: boolean } = {},
): Promise<NatsConnection | undefined> {
  let base: ConnectionOptions;
  try {
    base = connectionOptions(flags);
  } catch (error) {
    fail(run, escapeForTerminal((error as Error).message), 2);
    return undefined;
  }
  try {
    return await nats().connect({ ...base, ...(options.reconnect ? RECONNECT : { reconnect: false }) });
  } catch (error) {
    fail(
      run,
      `cannot connect to NATS at ${escapeForTerminal(flags.nats)}: ${escapeForTerminal(explain(error as Error))}`,
      2,
    );
    return undefined;
  }
}
