/**
 * `--store [path]` for commands that append a run: opens the store (the
 * default path when the flag has no value) and starts the run, or reports a
 * store that cannot be opened in one line.
 */
import { StoreError } from '../store/errors';
import { DEFAULT_STORE_PATH } from '../store/default-path';
import type * as StoreModule from '../store/store';
import type { RunInfo, Store } from '../store/store';
import type { RunWriter } from '../store/run-writer';
import { type RunThread, openRunThread } from '../store/run-thread';
import { escapeForTerminal } from '../report/terminal-escape';
import { type CliRun, fail } from './io';

/** The path `--store` names: its value, or the default for a bare `--store`. */
export function storePath(flag: string | boolean): string {
  return typeof flag === 'string' ? flag : DEFAULT_STORE_PATH;
}

/** Opens a store and reports failure in one line; undefined when the flag is absent, null after failing. */
export async function openCliStore(run: CliRun, path: string, readOnly = false): Promise<Store | null> {
  try {
    // DuckDB loads only for a command that opens a store (~50 ms of start-up otherwise).
    const { openStore } = require('../store/store') as typeof StoreModule;
    return await openStore(path, { readOnly });
  } catch (error) {
    reportStoreError(run, error);
    return null;
  }
}

/**
 * Opens the store of `--store` on a worker thread and starts a run of
 * `command` (its rows are appended there, beside the analysis); undefined
 * without the flag, null after failing.
 */
export async function openRunStore(
  run: CliRun,
  flag: string | boolean | undefined,
  command: string,
  inputs: string[],
): Promise<RunThread | undefined | null> {
  if (flag === undefined || flag === false) return undefined;
  try {
    return await openRunThread(storePath(flag), { command, inputs });
  } catch (error) {
    reportStoreError(run, error);
    return null;
  }
}

/**
 * Appends one run to the store of `--store` once a command's report is
 * printed: opens it, starts the run, lets `write` fill it, finishes and closes
 * it. A failure is reported in one line; the report stands.
 */
export async function appendRun(
  run: CliRun,
  flag: string | boolean,
  info: RunInfo,
  write: (writer: RunWriter) => Promise<void>,
): Promise<void> {
  const store = await openCliStore(run, storePath(flag));
  if (!store) return;
  try {
    const writer = await store.startRun(info);
    await write(writer);
    await writer.finish();
  } catch (error) {
    reportStoreError(run, error);
  } finally {
    store.close();
  }
}

/** A store failure in one line. */
export function reportStoreError(run: CliRun, error: unknown): void {
  fail(run, escapeForTerminal(error instanceof StoreError ? error.message : (error as Error).message.split('\n')[0]!));
}
