import {
  appendFileSync,
  statSync,
  closeSync,
  copyFileSync,
  ftruncateSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  renameSync,
  rmSync,
  truncateSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SourceLine, SourceProblem } from '../../../src/logs/line';
import { followFiles, followLines, type FollowOptions } from '../../../src/logs/sources';

/** Follows in the background; `until(n)` waits for n lines (or fails after 10 s with what came). */
function follow(paths: string[], options: Omit<FollowOptions, 'signal'> = {}) {
  const controller = new AbortController();
  const lines: SourceLine[] = [];
  const problems: SourceProblem[] = [];
  const done = (async () => {
    for await (const line of followLines(paths, {
      pollMs: 5,
      ...options,
      signal: controller.signal,
      onProblem: (problem) => problems.push(problem),
    })) {
      lines.push(line);
    }
  })();
  const until = async (count: number) => {
    for (let waited = 0; lines.length < count; waited += 2) {
      if (waited > 10000) {
        controller.abort(); // a failing test must not leave the follower running
        throw new Error(`waited for ${count} lines, got ${lines.length}: ${JSON.stringify(lines.slice(-3))}`);
      }
      await sleep(2);
    }
  };
  const stop = async () => {
    controller.abort();
    await done;
  };
  return { lines, problems, until, stop, texts: () => lines.map((line) => line.text) };
}

/** Lets the follower poll a few times, to show that nothing more comes. */
const settle = () => sleep(60);

describe('followLines', () => {
  const root = mkdtempSync(join(tmpdir(), 'logsleuth-follow-'));
  let n = 0;
  const newDir = () => {
    const dir = join(root, String(++n));
    mkdirSync(dir);
    return dir;
  };

  it('starts at the end of an existing file and yields appended lines with their line numbers', async () => {
    const path = join(newDir(), 'app.log');
    writeFileSync(path, 'old 1\nold 2\n');
    const f = follow([path]);
    await settle();
    appendFileSync(path, 'new 3\nnew 4\n');
    await f.until(2);
    await f.stop();
    expect(f.lines).toEqual([
      { source: path, line: 3, byteOffset: 12, text: 'new 3' },
      { source: path, line: 4, byteOffset: 18, text: 'new 4' },
    ]);
  });

  it('starts after the last complete line, so a line being written at the start is not cut', async () => {
    const path = join(newDir(), 'app.log');
    writeFileSync(path, 'old 1\nhalf of ');
    const f = follow([path]);
    await settle();
    appendFileSync(path, 'line 2\n');
    await f.until(1);
    await f.stop();
    expect(f.lines).toEqual([{ source: path, line: 2, byteOffset: 6, text: 'half of line 2' }]);
  });

  it('reads existing lines first with fromStart', async () => {
    const path = join(newDir(), 'app.log');
    writeFileSync(path, 'a\nb\n');
    const f = follow([path], { fromStart: true });
    await f.until(2);
    appendFileSync(path, 'c\n');
    await f.until(3);
    await f.stop();
    expect(f.texts()).toEqual(['a', 'b', 'c']);
  });

  it('yields a line only once its newline is written', async () => {
    const path = join(newDir(), 'app.log');
    writeFileSync(path, '');
    const f = follow([path]);
    await settle();
    appendFileSync(path, 'part one, ');
    await settle();
    expect(f.lines).toEqual([]);
    appendFileSync(path, 'part two\n');
    await f.until(1);
    await f.stop();
    expect(f.texts()).toEqual(['part one, part two']);
  });

  it('waits for a file that does not exist yet and reads it from its start', async () => {
    const path = join(newDir(), 'later.log');
    const f = follow([path]);
    await settle();
    writeFileSync(path, 'first\nsecond\n');
    await f.until(2);
    await f.stop();
    expect(f.lines).toEqual([
      { source: path, line: 1, byteOffset: 0, text: 'first' },
      { source: path, line: 2, byteOffset: 6, text: 'second' },
    ]);
    expect(f.problems).toEqual([{ source: path, kind: 'missing', message: 'no such file' }]);
  });

  it('follows rename-and-create: the old file to its end (partial line included), then the new one from its start', async () => {
    const path = join(newDir(), 'app.log');
    writeFileSync(path, '');
    const f = follow([path]);
    await settle();
    appendFileSync(path, 'before rotation\nunterminated');
    await f.until(1);
    renameSync(path, `${path}.1`);
    appendFileSync(`${path}.1`, ' tail'); // the writer has not reopened yet
    writeFileSync(path, '');
    await settle();
    appendFileSync(path, 'after rotation\n');
    await f.until(3);
    await f.stop();
    expect(f.lines).toEqual([
      { source: path, line: 1, byteOffset: 0, text: 'before rotation' },
      { source: path, line: 2, byteOffset: 16, text: 'unterminated tail' },
      { source: path, line: 1, byteOffset: 0, text: 'after rotation' },
    ]);
  });

  it('follows copytruncate: a file that shrank is read again from its start', async () => {
    const path = join(newDir(), 'app.log');
    writeFileSync(path, '');
    const f = follow([path]);
    await settle();
    appendFileSync(path, 'one\ntwo\n');
    await f.until(2);
    copyFileSync(path, `${path}.1`);
    truncateSync(path, 0);
    await settle();
    appendFileSync(path, 'three\n');
    await f.until(3);
    await f.stop();
    expect(f.lines.map((line) => [line.line, line.text])).toEqual([
      [1, 'one'],
      [2, 'two'],
      [1, 'three'],
    ]);
  });

  it('notices a copytruncate even when the file grew past the old size before the next poll', async () => {
    const path = join(newDir(), 'app.log');
    writeFileSync(path, '');
    const f = follow([path], { pollMs: 200 });
    await sleep(50);
    appendFileSync(path, 'short\n');
    await f.until(1);
    truncateSync(path, 0);
    appendFileSync(path, 'a longer line, written before the follower looked again\n');
    await f.until(2);
    await f.stop();
    expect(f.texts()).toEqual(['short', 'a longer line, written before the follower looked again']);
  });

  it('reports a removed file once, and reads it again when it is recreated', async () => {
    const path = join(newDir(), 'app.log');
    writeFileSync(path, '');
    const f = follow([path]);
    await settle();
    appendFileSync(path, 'one\n');
    await f.until(1);
    unlinkSync(path);
    await settle();
    writeFileSync(path, 'two\n');
    await f.until(2);
    await f.stop();
    expect(f.texts()).toEqual(['one', 'two']);
    expect(f.problems).toEqual([
      { source: path, kind: 'vanished', message: 'file removed or renamed; waiting for a new one' },
    ]);
  });

  it('reports a directory in place of the file and waits for a file', async () => {
    const path = join(newDir(), 'app.log');
    mkdirSync(path);
    const f = follow([path]);
    await settle();
    rmSync(path, { recursive: true });
    writeFileSync(path, 'now a file\n');
    await f.until(1);
    await f.stop();
    expect(f.texts()).toEqual(['now a file']);
    expect(f.problems).toEqual([
      { source: path, kind: 'not-a-file', message: 'not a regular file; waiting for a file' },
    ]);
  });

  it('follows several files at once', async () => {
    const dir = newDir();
    const a = join(dir, 'a.log');
    const b = join(dir, 'b.log');
    writeFileSync(a, '');
    writeFileSync(b, '');
    const f = follow([a, b]);
    await settle();
    appendFileSync(a, 'from a\n');
    appendFileSync(b, 'from b\n');
    await f.until(2);
    await f.stop();
    expect(f.lines.map((line) => `${line.source === a ? 'a' : 'b'}:${line.text}`).sort()).toEqual([
      'a:from a',
      'b:from b',
    ]);
  });

  it('ends cleanly when aborted, also while waiting', async () => {
    const path = join(newDir(), 'app.log');
    writeFileSync(path, '');
    const f = follow([path], { pollMs: 60000 });
    await settle();
    await f.stop(); // resolves: the sleep is interrupted and the iteration ends
    expect(f.lines).toEqual([]);
  });

  it('resumes a file with the same inode at the saved offset, continuing its line numbers', async () => {
    const path = join(newDir(), 'app.log');
    writeFileSync(path, 'one\ntwo\nthree\n');
    const { dev, ino } = statSync(path);
    const f = follow([path], { resume: new Map([[path, { dev, ino, offset: 4, line: 2 }]]) });
    await f.until(2);
    await settle();
    await f.stop();
    expect(f.lines).toEqual([
      { source: path, line: 2, byteOffset: 4, text: 'two' },
      { source: path, line: 3, byteOffset: 8, text: 'three' },
    ]);
  });

  it('reads from its start a file that was replaced or truncated since the position was saved', async () => {
    const dir = newDir();
    const replaced = join(dir, 'replaced.log');
    const truncated = join(dir, 'truncated.log');
    writeFileSync(replaced, 'new\n');
    writeFileSync(truncated, 'x\n');
    const { dev, ino } = statSync(truncated);
    // The saved position names another inode: the file under that name was replaced meanwhile.
    const other = statSync(replaced).ino + 1;
    const resume = new Map([
      [replaced, { dev, ino: other, offset: 4, line: 2 }],
      [truncated, { dev, ino, offset: 100, line: 9 }],
    ]);
    const f = follow([replaced, truncated], { resume });
    await f.until(2);
    await settle();
    await f.stop();
    expect(f.texts().sort()).toEqual(['new', 'x']);
    expect(f.lines.map((line) => line.line)).toEqual([1, 1]);
  });

  it('tells which file (device and inode) each chunk of lines was read from', async () => {
    const path = join(newDir(), 'app.log');
    writeFileSync(path, 'a\nb\n');
    const first = statSync(path);
    const controller = new AbortController();
    const chunks = [];
    for await (const chunk of followFiles([path], { fromStart: true, pollMs: 5, signal: controller.signal })) {
      chunks.push(chunk);
      if (chunks.length === 1) {
        renameSync(path, `${path}.1`);
        writeFileSync(path, 'c\n');
      } else controller.abort();
    }
    const second = statSync(path);
    expect(chunks.map((chunk) => [chunk.file, chunk.lines.map((line) => line.text)])).toEqual([
      [{ dev: first.dev, ino: first.ino }, ['a', 'b']],
      [{ dev: second.dev, ino: second.ino }, ['c']],
    ]);
  });

  it('reads 100,000 lines exactly once, in order, through rename and copytruncate rotations', async () => {
    const dir = newDir();
    const path = join(dir, 'busy.log');
    writeFileSync(path, '');
    const f = follow([path]);
    await settle();
    const total = 100000;
    const batch = 250;
    let fd = openSync(path, 'a');
    let written = 0;
    let rotations = 0;
    let batches = 0;
    const line = (i: number) => `${String(i).padStart(6, '0')} payload ${'x'.repeat(i % 40)}\n`;
    while (written < total) {
      // Each batch ends with half a line; the next batch writes the rest.
      let text = '';
      for (let i = 0; i < batch && written < total; i++) text += line(++written);
      const cut = written < total ? Math.floor(text.length * 0.7) : text.length;
      writeSync(fd, text.slice(0, cut));
      await sleep(0);
      writeSync(fd, text.slice(cut));
      if (++batches % 40 === 0 && written < total) {
        // Rotate only once the follower has caught up (at most one rotation per poll; see followLines).
        await f.until(written);
        rotations++;
        if (rotations % 2 === 1) {
          // rename-and-create as logrotate does it: rename, create the new empty file, then the writer
          // (told by postrotate) writes a last batch to the old file before it reopens the name.
          renameSync(path, `${path}.${rotations}`);
          await sleep(15); // the follower polls while the name is missing
          closeSync(openSync(path, 'a'));
          await sleep(15); // and while the new file is empty
          let late = '';
          for (let i = 0; i < 50; i++) late += line(++written);
          writeSync(fd, late);
          closeSync(fd);
          fd = openSync(path, 'a');
        } else {
          // copytruncate: copy, then truncate the file the writer keeps appending to
          copyFileSync(path, `${path}.${rotations}`);
          ftruncateSync(fd, 0);
        }
      }
      await sleep(0);
    }
    closeSync(fd);
    await f.until(written);
    await settle();
    await f.stop();
    expect(rotations).toBe(9);
    const numbers = f.texts().map((text) => Number(text.slice(0, 6)));
    const expected = Array.from({ length: written }, (_, i) => i + 1);
    expect(numbers.length).toBe(written);
    expect(numbers).toEqual(expected);
    expect(f.texts()).toEqual(expected.map((i) => line(i).slice(0, -1)));
    expect(f.problems).toEqual(
      Array(5).fill({ source: path, kind: 'vanished', message: 'file removed or renamed; waiting for a new one' }),
    );
  });
});
