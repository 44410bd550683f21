/**
 * Interrupted writes of a reputation database: a writer SIGKILLed at any point
 * of a large write, or stopped by a full disk or a file-size limit, never
 * replaces the old file with a partial one. The old file stays valid (read
 * back with readReputation, exactly as it was); a failed write says why and
 * leaves no temporary file behind.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { readReputation, writeReputation, type ReputationDb } from '../../src/tracers/ip/reputation';

const CHILD = join(__dirname, 'children', 'write-reputation.ts');
const OLD = join(__dirname, '..', 'fixtures', 'reputation', 'host-a.json');
/** Entries of the new database: about 30 MB of JSON, most of a second to validate and write. */
const ENTRIES = 20_000;

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'logsleuth-hostile-write-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Starts the writer (optionally under `ulimit -f <blocks>`) and resolves once it says it is writing. */
function startWriter(
  path: string,
  fileSizeBlocks?: number,
): {
  child: ChildProcess;
  writing: Promise<void>;
  done: Promise<{ code: number | null; signal: string | null; stderr: string }>;
} {
  const command = `${fileSizeBlocks === undefined ? '' : `ulimit -f ${fileSizeBlocks}; `}exec "$0" --import tsx "$1" "$2" "$3"`;
  const child = spawn('bash', ['-c', command, process.execPath, CHILD, path, String(ENTRIES)], {
    cwd: join(__dirname, '..', '..'),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const writing = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('writing\n')) resolve();
    });
    child.once('exit', () => reject(new Error(`writer exited before writing: ${stderr}`)));
  });
  const done = new Promise<{ code: number | null; signal: string | null; stderr: string }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, stderr })),
  );
  return { child, writing, done };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const temporaries = (folder: string) => readdirSync(folder).filter((name) => name.endsWith('.tmp'));

describe('a writer killed in the middle of writing a reputation database', () => {
  // Before the temporary file exists (validating, serialising), then 0..40 ms into writing it.
  const kills: ['before' | 'into', number][] = [
    ['before', 100],
    ['before', 300],
    ...[0, 1, 2, 5, 10, 20, 40].map((ms) => ['into', ms] as ['into', number]),
  ];

  it('leaves the old database intact and valid, whenever it is killed', async () => {
    const old = await readReputation(OLD);
    const outcomes: string[] = [];
    for (const [phase, ms] of kills) {
      const folder = join(dir, `kill-${phase}-${ms}`);
      mkdirSync(folder);
      const path = join(folder, 'reputation.json');
      copyFileSync(OLD, path);
      const { child, writing, done } = startWriter(path);
      await writing;
      if (phase === 'into') {
        for (let waited = 0; temporaries(folder).length === 0 && waited < 30_000; waited++) await sleep(1);
      }
      await sleep(ms);
      child.kill('SIGKILL');
      const { signal } = await done;
      const db = await readReputation(path);
      // Either untouched, or (killed after the rename) the complete new database: never a part.
      if (db.entries.length === old.entries.length) {
        expect(readFileSync(path, 'utf8')).toBe(readFileSync(OLD, 'utf8'));
        outcomes.push(
          signal !== 'SIGKILL' ? 'finished?' : temporaries(folder).length > 0 ? 'mid-write' : 'before-write',
        );
      } else {
        expect(db.entries).toHaveLength(ENTRIES);
        outcomes.push('after-rename');
      }
    }
    // The test means something only if kills did land in the middle of writing the temporary file.
    expect(outcomes.filter((outcome) => outcome === 'mid-write').length).toBeGreaterThanOrEqual(3);
    expect(outcomes).not.toContain('finished?');
  }, 120_000);
});

describe('temporary files of killed writers', () => {
  it('are removed by the next successful write, while a live writer’s is kept', async () => {
    const folder = join(dir, 'stale');
    mkdirSync(folder);
    const path = join(folder, 'reputation.json');
    copyFileSync(OLD, path);
    const { child, writing, done } = startWriter(path);
    await writing;
    for (let waited = 0; temporaries(folder).length === 0 && waited < 30_000; waited++) await sleep(1);
    child.kill('SIGKILL');
    await done;
    const left = temporaries(folder);
    expect(left).toHaveLength(1);
    // A live writer's temporary file (this process's pid) and unrelated files stay.
    const live = `.reputation.json.${process.pid}.0badc0de.tmp`;
    writeFileSync(join(folder, live), 'in progress');
    writeFileSync(join(folder, '.other.json.1.0badc0de.tmp'), 'not ours');
    await writeReputation(path, await readReputation(OLD));
    expect(temporaries(folder).sort()).toEqual(['.other.json.1.0badc0de.tmp', live].sort());
  }, 60_000);
});

describe('a write that runs out of space', () => {
  it('fails under a file-size limit (ulimit -f) with EFBIG, keeps the old file and leaves no temporary file', async () => {
    const folder = join(dir, 'ulimit');
    mkdirSync(folder);
    const path = join(folder, 'reputation.json');
    copyFileSync(OLD, path);
    const { writing, done } = startWriter(path, 1024);
    await writing;
    const { code, stderr } = await done;
    expect({ code, stderr: stderr.trim() }).toEqual({ code: 1, stderr: 'EFBIG: file too large, write' });
    expect(readFileSync(path, 'utf8')).toBe(readFileSync(OLD, 'utf8'));
    await expect(readReputation(path)).resolves.toMatchObject({ version: 1 });
    expect(temporaries(folder)).toEqual([]);
  }, 60_000);

  const mount = join(tmpdir(), `logsleuth-tmpfs-${process.pid}`);
  let mounted = false;
  beforeAll(() => {
    mkdirSync(mount, { recursive: true });
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mount], { stdio: 'ignore' });
      mounted = true;
    } catch {
      // Not permitted here (not root, or in a container without CAP_SYS_ADMIN): the ulimit test stands alone.
    }
  });
  afterAll(() => {
    if (mounted) execFileSync('umount', [mount]);
    rmSync(mount, { recursive: true, force: true });
  });

  it('fails on a full 1 MB tmpfs with ENOSPC, keeps the old file and leaves no temporary file (skipped where mount is not permitted)', async () => {
    if (!mounted) {
      console.warn('tmpfs disk-full test skipped: mount -t tmpfs is not permitted here');
      return;
    }
    const path = join(mount, 'reputation.json');
    copyFileSync(OLD, path);
    const old = await readReputation(OLD);
    const big: ReputationDb = {
      ...old,
      entries: Array.from({ length: 5000 }, (_, i) => ({ ...old.entries[0]!, ip: `100.64.${i >> 8}.${i & 255}` })),
    };
    await expect(writeReputation(path, big)).rejects.toThrow('ENOSPC: no space left on device');
    expect(readFileSync(path, 'utf8')).toBe(readFileSync(OLD, 'utf8'));
    expect(temporaries(mount)).toEqual([]);
  });
});
