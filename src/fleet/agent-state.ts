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
    let state: StateFile;
    try {
      state = await readJsonFile<StateFile>(this.path, 'agent-state');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
      throw error;
    }
    return new Map(state.files.map(({ path, ...position }) => [path, position]));
  }

  /** Replaces the saved positions (temp file + rename: a crash leaves the old or the new file, never half of one). */
  async save(positions: ReadonlyMap<string, FollowPosition>): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const files = [...positions].map(([path, { dev, ino, offset, line }]) => ({ path, dev, ino, offset, line }));
    await writeJsonFile(this.path, 'agent-state', { version: 1, files } satisfies StateFile);
  }
}
