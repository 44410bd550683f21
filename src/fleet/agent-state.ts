/**
 * Where a following agent is in each file, kept in a state directory so a
 * restarted agent goes on where it stopped. Saved after every acknowledged
 * publish, atomically and validated (schemas/agent-state.schema.json).
 */
import { mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { readJsonFile, writeJsonFile } from '../core/json-file';
import type { FollowPosition } from '../logs/sources';

/** The positions file inside a state directory. */
export const POSITIONS_FILE = 'positions.json';

interface StateFile {
  version: 1;
  files: (FollowPosition & { path: string })[];
  /** Highest spool sequence number the positions are past (spool.ts); absent when nothing was spooled. */
  spooledThrough?: number;
  /** The journald cursor of the last journal entry acknowledged or spooled (`--journal`). */
  journalCursor?: string;
}

/** What a state directory holds: the positions, and how far into the spool they reach. */
export interface SavedState {
  positions: Map<string, FollowPosition>;
  spooledThrough: number | undefined;
  /** Where in journald to go on (`journalctl --after-cursor`); undefined when no journal entry was sent. */
  journalCursor?: string;
}

/** `$XDG_STATE_HOME/logsleuth/agent`, else `~/.local/state/logsleuth/agent`. */
export function defaultStateDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_STATE_HOME ? env.XDG_STATE_HOME : join(homedir(), '.local', 'state');
  return join(base, 'logsleuth', 'agent');
}

/** The per-file positions of an agent, in `dir/positions.json`. */
export class AgentState {
  private readonly path: string;

  constructor(readonly dir: string) {
    this.path = join(dir, POSITIONS_FILE);
  }

  /** The saved positions by path; none when nothing was saved yet. Throws a clear error on a damaged file. */
  async load(): Promise<Map<string, FollowPosition>> {
    return (await this.loadAll()).positions;
  }

  /** The saved positions and spool reach; nothing when nothing was saved yet. */
  async loadAll(): Promise<SavedState> {
    let state: StateFile;
    try {
      state = await readJsonFile<StateFile>(this.path, 'agent-state');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT')
        return { positions: new Map(), spooledThrough: undefined };
      throw error;
    }
    const positions = new Map(state.files.map(({ path, ...position }) => [path, position]));
    return {
      positions,
      spooledThrough: state.spooledThrough,
      ...(state.journalCursor !== undefined ? { journalCursor: state.journalCursor } : {}),
    };
  }

  /**
   * Replaces the saved positions, the spool sequence number they are past and the
   * journald cursor (temp file + rename: a crash leaves the old or the new file, never half of one).
   */
  async save(
    positions: ReadonlyMap<string, FollowPosition>,
    spooledThrough?: number,
    journalCursor?: string,
  ): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const files = [...positions].map(([path, { dev, ino, offset, line }]) => ({ path, dev, ino, offset, line }));
    const state: StateFile = {
      version: 1,
      files,
      ...(spooledThrough !== undefined ? { spooledThrough } : {}),
      ...(journalCursor !== undefined ? { journalCursor } : {}),
    };
    await writeJsonFile(this.path, 'agent-state', state);
  }
}
