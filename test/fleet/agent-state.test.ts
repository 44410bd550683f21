import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { AgentState, POSITIONS_FILE, defaultStateDir } from '../../src/fleet/agent-state';

describe('AgentState', () => {
  const root = mkdtempSync(join(tmpdir(), 'logsleuth-state-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('has no positions before the first save, and reads back what it saved', async () => {
    const state = new AgentState(join(root, 'a', 'agent'));
    expect(await state.load()).toEqual(new Map());
    const positions = new Map([['/var/log/auth.log', { dev: 2049, ino: 131, offset: 4096, line: 57 }]]);
    await state.save(positions);
    expect(await state.load()).toEqual(positions);
    // Written by rename: no temporary file is left next to it.
    expect(readdirSync(state.dir)).toEqual([POSITIONS_FILE]);
  });

  it('refuses a damaged positions file with a message naming it', async () => {
    const state = new AgentState(join(root, 'b'));
    await state.save(new Map());
    writeFileSync(join(state.dir, POSITIONS_FILE), '{"version":1,"files":[{"path":"/x","offset":-1}]}');
    await expect(state.load()).rejects.toThrow(/not a valid agent-state/);
    writeFileSync(join(state.dir, POSITIONS_FILE), '{"version":1,');
    await expect(state.load()).rejects.toThrow(`${join(state.dir, POSITIONS_FILE)}: not JSON`);
  });

  it('never saves what the schema refuses', async () => {
    const state = new AgentState(join(root, 'c'));
    await expect(state.save(new Map([['/x', { dev: 1, ino: 2, offset: 1.5, line: 0 }]]))).rejects.toThrow(
      /not a valid agent-state/,
    );
  });

  it('lives under XDG_STATE_HOME, else ~/.local/state', () => {
    expect(defaultStateDir({ XDG_STATE_HOME: '/srv/state' })).toBe('/srv/state/logsleuth/agent');
    expect(defaultStateDir({})).toBe(join(homedir(), '.local/state/logsleuth/agent'));
  });
});
