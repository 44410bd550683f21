import { execFileSync, spawn } from 'node:child_process';
import {
  appendFileSync,
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  truncateSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import type { SourceLine, SourceProblem } from '../../../src/logs/line';
import { expandInputs, readLines, type InputStats, type ReadOptions } from '../../../src/logs/sources';

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'sources');

async function readAll(inputs: string[], options: ReadOptions = {}) {
  const problems: SourceProblem[] = [];
  const reader = readLines(inputs, { ...options, onProblem: (problem) => problems.push(problem) });
  const lines: SourceLine[] = [];
  for await (const line of reader) lines.push(line);
  return { lines, problems, inputs: reader.inputs };
}

const numbered = (count: number, prefix = 'line') => Array.from({ length: count }, (_, i) => `${prefix} ${i + 1}`);

describe('readLines', () => {
  const dir = mkdtempSync(join(tmpdir(), 'logsleuth-sources-'));
  const file = (name: string, content: string | Buffer) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };

  it('reads a directory: each rotated set oldest first, gzip found by magic bytes, hidden files left out', async () => {
    const { lines, problems, inputs } = await readAll([join(FIXTURES, 'rotated')]);
    expect(
      lines.map((line) => `${line.source.slice(FIXTURES.length + 1)}:${line.line}: ${line.text.slice(16)}`),
    ).toEqual([
      'rotated/auth.log.3.gz:1: host sshd[1]: rotated 3 (gzip)',
      'rotated/auth.log.2.gz:1: host sshd[1]: rotated 2 (gzip)',
      'rotated/auth.log.1:1: host sshd[1]: rotated 1',
      'rotated/auth.log:1: host sshd[1]: live 1',
      'rotated/auth.log:2: host sshd[1]: live 2',
      'rotated/syslog.1:1: host CRON[2]: syslog rotated',
      'rotated/syslog:1: host CRON[2]: syslog live',
    ]);
    expect(problems).toEqual([]);
    expect(inputs.map((input) => [input.source.slice(FIXTURES.length + 1), input.lines, input.encoding])).toEqual([
      ['rotated/auth.log.3.gz', 1, 'gzip'],
      ['rotated/auth.log.2.gz', 1, 'gzip'],
      ['rotated/auth.log.1', 1, 'plain'],
      ['rotated/auth.log', 2, 'plain'],
      ['rotated/syslog.1', 1, 'gzip'],
      ['rotated/syslog', 1, 'plain'],
    ]);
  });

  it('orders a shell-expanded or globbed rotated set oldest first, dateext included', async () => {
    const shell = ['auth.log', 'auth.log.1', 'auth.log.2.gz', 'auth.log.3.gz'].map((name) =>
      join(FIXTURES, 'rotated', name),
    );
    const fromShell = await readAll(shell);
    const fromGlob = await readAll([join(FIXTURES, 'rotated', 'auth.log*')]);
    const expected = ['auth.log.3.gz', 'auth.log.2.gz', 'auth.log.1', 'auth.log', 'auth.log'];
    expect(fromShell.lines.map((line) => line.source.split('/').pop())).toEqual(expected);
    expect(fromGlob.lines).toEqual(fromShell.lines);
    const dated = await readAll([join(FIXTURES, 'dated', '*')]);
    expect(dated.lines.map((line) => line.text.slice(28))).toEqual(['dated 20250103 (gzip)', 'dated 20250104', 'live']);
  });

  it('reads a path given twice once', async () => {
    const path = join(FIXTURES, 'rotated', 'auth.log');
    expect((await readAll([path, path])).lines).toHaveLength(2);
  });

  it('reads plain text named .gz as plain and concatenated gzip members as one file', async () => {
    const plain = file('plain.gz', 'not compressed\n');
    const members = file('members.log', Buffer.concat([gzipSync('first\n'), gzipSync('second\n')]));
    const { lines, inputs } = await readAll([plain, members]);
    expect(lines.map((line) => [line.line, line.text])).toEqual([
      [1, 'not compressed'],
      [1, 'first'],
      [2, 'second'],
    ]);
    expect(inputs.map((input) => input.encoding)).toEqual(['plain', 'gzip']);
  });

  it('yields every line a truncated .gz decompresses to, then reports it truncated, and reads the next input', async () => {
    const original = numbered(20000, 'Jan  1 00:00:00 host sshd[7]: entry');
    const gz = gzipSync(original.join('\n') + '\n');
    const cut = file('cut.log.1.gz', gz.subarray(0, Math.floor(gz.length / 2)));
    const next = file('next.log', 'still read\n');
    const { lines, problems, inputs } = await readAll([cut, next]);
    const fromCut = lines.filter((line) => line.source === cut).map((line) => line.text);
    expect(fromCut.length).toBeGreaterThan(1000);
    // Every complete line comes out exactly; the line cut in the middle is skipped, not yielded.
    expect(fromCut).toEqual(original.slice(0, fromCut.length));
    expect(problems).toEqual([
      { source: cut, kind: 'truncated', message: 'gzip data ends early (truncated file)' },
      {
        source: cut,
        line: fromCut.length + 1,
        kind: 'truncated',
        message: expect.stringMatching(/^partial line of \d+ bytes skipped: the input ended in the middle of it$/),
      },
    ]);
    expect(inputs[0]!.error).toBe('truncated: gzip data ends early (truncated file)');
    expect(lines.at(-1)).toEqual({ source: next, line: 1, byteOffset: 0, text: 'still read' });
  });

  it('reports corrupt gzip data as unreadable after the lines before the damage', async () => {
    const gz = gzipSync(numbered(5000).join('\n'));
    const damaged = Buffer.from(gz);
    damaged.fill(0xff, Math.floor(gz.length / 2), Math.floor(gz.length / 2) + 64);
    const path = file('damaged.gz', damaged);
    const { lines, problems } = await readAll([path]);
    expect(lines.length).toBeLessThan(5000);
    expect(lines.map((line) => line.text)).toEqual(numbered(lines.length));
    expect(problems.map((problem) => problem.kind)).toEqual(['unreadable', 'truncated']);
    expect(problems[0]!.message).toMatch(/^corrupt gzip data: /);
  });

  const TOOLS = [
    ['xz', 'x.log.xz'],
    ['bzip2', 'x.log.bz2'],
    ['zstd', 'x.log.zst'],
  ] as const;
  /** `text` compressed by the system's own tool, as logrotate's compresscmd would. */
  const compressed = (tool: string, text: string) => execFileSync(tool, ['-c'], { input: text, maxBuffer: 1 << 26 });

  it('reads xz, bzip2 and zstd files through the system tools, found by magic bytes whatever the name', async () => {
    const original = numbered(20_000);
    const paths = TOOLS.map(([tool], i) => file(`rotated-${i}.log.1`, compressed(tool, original.join('\n') + '\n')));
    const { lines, problems, inputs } = await readAll(paths);
    expect(problems).toEqual([]);
    expect(inputs.map((input) => [input.encoding, input.lines])).toEqual([
      ['xz', 20_000],
      ['bzip2', 20_000],
      ['zstd', 20_000],
    ]);
    for (const path of paths)
      expect(lines.filter((line) => line.source === path).map((line) => line.text)).toEqual(original);
  });

  it('reads the complete lines of a cut xz, bzip2 or zstd file and reports it truncated', async () => {
    const original = numbered(50_000);
    for (const [tool, name] of TOOLS) {
      const whole = compressed(tool, original.join('\n') + '\n');
      const cut = file(`cut-${name}`, whole.subarray(0, Math.floor(whole.length / 2)));
      const { lines, problems } = await readAll([cut]);
      const texts = lines.map((line) => line.text);
      expect(texts).toEqual(original.slice(0, texts.length));
      expect(problems.map((problem) => problem.kind)).toEqual(
        texts.length > 0 ? ['truncated', 'truncated'] : ['truncated'],
      );
      expect(problems[0]!.message.startsWith(`truncated ${tool} data: `)).toBe(true);
    }
  });

  it('refuses garbage behind an xz, bzip2 or zstd magic clearly instead of reading it', async () => {
    const xz = file('x.log.xz', Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 1, 2, 3, 4, 5, 6]));
    const bz = file('x.log.bz2', Buffer.from('BZh91AY&SY\x01\x02', 'latin1'));
    const zst = file('x.log.zst', Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0, 0, 0, 0, 0, 0, 0]));
    const text = file('bzh.log', 'BZh9 is not bzip2 here\n');
    const { lines, problems } = await readAll([xz, bz, zst, text]);
    expect(problems.map((problem) => [problem.source, problem.kind])).toEqual([
      [xz, expect.stringMatching(/^(unreadable|truncated)$/)],
      [bz, expect.stringMatching(/^(unreadable|truncated)$/)],
      [zst, expect.stringMatching(/^(unreadable|truncated)$/)],
    ]);
    expect(problems.map((problem) => problem.message.split(':')[0])).toEqual([
      expect.stringMatching(/^(corrupt|truncated) xz data$/),
      expect.stringMatching(/^(corrupt|truncated) bzip2 data$/),
      expect.stringMatching(/^(corrupt|truncated) zstd data$/),
    ]);
    expect(lines.map((line) => line.text)).toEqual(['BZh9 is not bzip2 here']);
  });

  it('says which package to install when the tool for xz, bzip2 or zstd is missing', async () => {
    const paths = TOOLS.map(([tool, name]) => file(`missing-tool-${name}`, compressed(tool, 'line\n')));
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      const { lines, problems } = await readAll(paths);
      expect(lines).toEqual([]);
      expect(problems.map((problem) => [problem.kind, problem.message])).toEqual([
        ['unreadable', 'xz-compressed: xz not found (install xz-utils), or decompress it first'],
        ['unreadable', 'bzip2-compressed: bzip2 not found (install bzip2), or decompress it first'],
        ['unreadable', 'zstd-compressed: zstd not found (install zstd), or decompress it first'],
      ]);
    } finally {
      process.env.PATH = path;
    }
  });

  it('skips a 10 MB line as too-long with its line number and reads the lines around it', async () => {
    const path = file('long.log', `before\n${'A'.repeat(10 * 1024 * 1024)}\nafter\n`);
    const { lines, problems, inputs } = await readAll([path]);
    expect(lines.map((line) => [line.line, line.text])).toEqual([
      [1, 'before'],
      [3, 'after'],
    ]);
    expect(problems).toEqual([
      { source: path, line: 2, kind: 'too-long', message: 'line of 10485760 bytes skipped (longer than 1048576)' },
    ]);
    expect(inputs[0]).toMatchObject({ lines: 2, skipped: 1 });
  });

  it('takes a smaller maxLineBytes', async () => {
    const path = file('limit.log', '12345\n123456\n');
    const { lines, inputs } = await readAll([path], { maxLineBytes: 5 });
    expect(lines.map((line) => line.text)).toEqual(['12345']);
    expect(inputs[0]).toMatchObject({ lines: 1, skipped: 1 });
  });

  it('reads a 256 MB sparse file of NULs as one skipped binary line in bounded memory', async () => {
    const path = join(dir, 'sparse.log');
    writeFileSync(path, '');
    truncateSync(path, 256 * 1024 * 1024);
    appendFileSync(path, 'text after the hole\n');
    const before = process.memoryUsage().rss;
    const { lines, problems } = await readAll([path]);
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * 1024 * 1024);
    expect(lines).toEqual([{ source: path, line: 1, byteOffset: 0, text: 'text after the hole' }]);
    expect(problems).toEqual([
      { source: path, line: 1, kind: 'binary', message: '268435456 NUL bytes before the text skipped' },
    ]);
  });

  it('reads binary garbage without throwing: every line is yielded or counted as skipped', async () => {
    let seed = 42;
    const garbage = Buffer.alloc(1024 * 1024);
    for (let i = 0; i < garbage.length; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      garbage[i] = seed >> 16;
    }
    const path = file('garbage.bin', garbage);
    const { lines, inputs } = await readAll([path]);
    const newlines = garbage.filter((byte) => byte === 10).length;
    const total = newlines + (garbage.at(-1) === 10 ? 0 : 1);
    expect(inputs[0]!.lines + inputs[0]!.skipped).toBe(total);
    expect(lines.length).toBe(inputs[0]!.lines);
    expect(inputs[0]!.bytes).toBe(garbage.length);
  });

  it('decodes invalid UTF-8 with U+FFFD and keeps valid multi-byte text', async () => {
    const path = file(
      'utf8.log',
      Buffer.concat([Buffer.from('user '), Buffer.from([0xc0, 0xaf, 0xed, 0xa0, 0x80]), Buffer.from(' müller ✓\n')]),
    );
    const { lines } = await readAll([path]);
    expect(lines.map((line) => line.text)).toEqual(['user \ufffd\ufffd\ufffd\ufffd\ufffd müller ✓']);
  });

  it('reads an empty file as no lines and no problem', async () => {
    const { lines, problems, inputs } = await readAll([file('empty.log', '')]);
    expect([lines, problems]).toEqual([[], []]);
    expect(inputs).toEqual([{ source: join(dir, 'empty.log'), lines: 0, skipped: 0, bytes: 0 }]);
  });

  it('reads stdin for -, once however often given, gzip included', async () => {
    const stdin = Readable.from([gzipSync('from\nstdin\n')]);
    const { lines, inputs } = await readAll(['-', '-'], { stdin });
    expect(lines).toEqual([
      { source: '-', line: 1, byteOffset: 0, text: 'from' },
      { source: '-', line: 2, byteOffset: 5, text: 'stdin' },
    ]);
    expect(inputs).toEqual([{ source: '-', lines: 2, skipped: 0, bytes: inputs[0]!.bytes, encoding: 'gzip' }]);
  });

  it('reports missing paths, unmatched globs, symlink loops, dangling links, devices and empty directories, and reads the rest', async () => {
    const loop = join(dir, 'loop.log');
    symlinkSync(loop, loop);
    const dangling = join(dir, 'dangling.log');
    symlinkSync(join(dir, 'nowhere'), dangling);
    const empty = join(dir, 'emptydir');
    mkdirSync(empty);
    const good = file('good.log', 'good\n');
    const missing = join(dir, 'missing.log');
    const { lines, problems, inputs } = await readAll([
      missing,
      `${dir}/*.nomatch`,
      loop,
      dangling,
      '/dev/null',
      empty,
      good,
    ]);
    expect(problems).toEqual([
      { source: missing, kind: 'missing', message: 'no such file' },
      { source: `${dir}/*.nomatch`, kind: 'missing', message: 'no file matches this pattern' },
      { source: loop, kind: 'unreadable', message: 'symbolic link loop' },
      { source: dangling, kind: 'missing', message: 'no such file' },
      { source: '/dev/null', kind: 'not-a-file', message: 'a character device, not a log file' },
      { source: empty, kind: 'missing', message: 'empty directory' },
    ]);
    expect(lines).toEqual([{ source: good, line: 1, byteOffset: 0, text: 'good' }]);
    expect(inputs.map((input) => input.error ?? 'ok')).toEqual([
      'missing: no such file',
      'missing: no file matches this pattern',
      'unreadable: symbolic link loop',
      'missing: no such file',
      'not-a-file: a character device, not a log file',
      'missing: empty directory',
      'ok',
    ]);
  });

  it('skips a FIFO found in a directory without blocking, and reads one named explicitly', async () => {
    const fifoDir = join(dir, 'withfifo');
    mkdirSync(fifoDir);
    const fifo = join(fifoDir, 'pipe.log');
    execFileSync('mkfifo', [fifo]);
    writeFileSync(join(fifoDir, 'regular.log'), 'regular\n');
    const fromDir = await readAll([fifoDir]);
    expect(fromDir.problems).toEqual([
      { source: fifo, kind: 'not-a-file', message: 'a FIFO, skipped (name it explicitly to read it)' },
    ]);
    expect(fromDir.lines.map((line) => line.text)).toEqual(['regular']);

    const writer = spawn('sh', ['-c', `printf 'through\\nthe pipe\\n' > '${fifo}'`]);
    const written = new Promise((resolve) => writer.once('close', resolve));
    const explicit = await readAll([fifo]);
    expect(explicit.lines).toEqual([
      { source: fifo, line: 1, byteOffset: 0, text: 'through' },
      { source: fifo, line: 2, byteOffset: 8, text: 'the pipe' },
    ]);
    expect(await written).toBe(0);
  });

  it('reads every line of a file deleted while it is being read', async () => {
    const content = numbered(200000);
    const path = file('deleted.log', content.join('\n') + '\n');
    const texts: string[] = [];
    const problems: SourceProblem[] = [];
    for await (const line of readLines([path], { onProblem: (problem) => problems.push(problem) })) {
      if (texts.length === 0) unlinkSync(path);
      texts.push(line.text);
    }
    expect(texts).toEqual(content);
    expect(problems).toEqual([]);
  });

  it('reports a file removed after it was listed and before it was read, and reads the others', async () => {
    const first = file('first.log', 'first\n');
    const gone = file('gone.log', 'never read\n');
    const texts: string[] = [];
    const { problems } = await (async () => {
      const problems: SourceProblem[] = [];
      for await (const line of readLines([first, gone], { onProblem: (problem) => problems.push(problem) })) {
        unlinkSync(gone);
        texts.push(line.text);
      }
      return { problems };
    })();
    expect(texts).toEqual(['first']);
    expect(problems).toEqual([{ source: gone, kind: 'vanished', message: 'removed before it could be read' }]);
  });

  it('closes the file when the consumer stops early', async () => {
    const path = file('early.log', numbered(100000).join('\n'));
    for await (const line of readLines([path])) {
      expect(line.text).toBe('line 1');
      break;
    }
    const open = readdirSync('/proc/self/fd').map((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`);
      } catch {
        return '';
      }
    });
    expect(open.filter((target) => target === path)).toEqual([]);
  });

  it('reports a file truncated while it is being read, after the lines read before', async () => {
    const content = numbered(400000);
    const path = file('shrunk.log', content.join('\n') + '\n');
    const size = readFileSync(path).length;
    const texts: string[] = [];
    const problems: SourceProblem[] = [];
    const reader = readLines([path], { onProblem: (problem) => problems.push(problem) });
    for await (const line of reader) {
      if (texts.length === 0) truncateSync(path, 0);
      texts.push(line.text);
    }
    expect(texts.length).toBeLessThan(content.length);
    expect(texts).toEqual(content.slice(0, texts.length));
    const read = (reader.inputs[0] as InputStats).bytes;
    expect(problems[0]).toEqual({
      source: path,
      kind: 'truncated',
      message: `file shrank from ${size} to 0 bytes while being read (${read} bytes read)`,
    });
    // Where the read stopped depends on timing: mid-line (that line is skipped) or, rarely, right after a newline.
    expect(problems.slice(1)).toEqual(
      read === Buffer.byteLength(texts.map((text) => `${text}\n`).join(''))
        ? []
        : [
            {
              source: path,
              line: texts.length + 1,
              kind: 'truncated',
              message: expect.stringMatching(
                /^partial line of \d+ bytes skipped: the input ended in the middle of it$/,
              ),
            },
          ],
    );
  });
});

describe('permission denied', () => {
  // Root reads any file, so when run as root the reading happens in a child process as `nobody`.
  const dir = mkdtempSync(join(tmpdir(), 'logsleuth-perm-'));
  chmodSync(dir, 0o755);
  const locked = join(dir, 'locked.log');
  writeFileSync(locked, 'secret\n');
  chmodSync(locked, 0o000);
  const closedDir = join(dir, 'closed');
  mkdirSync(closedDir);
  writeFileSync(join(closedDir, 'inside.log'), 'inside\n');
  chmodSync(closedDir, 0o700);
  const open = join(dir, 'open.log');
  writeFileSync(open, 'open\n');
  chmodSync(open, 0o644);
  const inputs = [locked, join(closedDir, 'inside.log'), closedDir, open];

  it('reports each unreadable input and reads the readable one', async () => {
    let result: { lines: SourceLine[]; inputs: InputStats[] };
    if (process.getuid?.() === 0) {
      const loader = join(__dirname, '..', '..', '..', 'node_modules', 'tsx', 'dist', 'loader.mjs');
      const sources = join(__dirname, '..', '..', '..', 'src', 'logs', 'sources', 'index.ts');
      const script = `const { readLines } = require(${JSON.stringify(sources)});
        (async () => { const reader = readLines(${JSON.stringify(inputs)}); const lines = [];
          for await (const line of reader) lines.push(line);
          process.stdout.write(JSON.stringify({ lines, inputs: reader.inputs })); })();`;
      const output = execFileSync(
        'setpriv',
        ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '--import', loader, '-e', script],
        { encoding: 'utf8' },
      );
      result = JSON.parse(output) as typeof result;
    } else {
      result = await readAll(inputs);
    }
    expect(result.lines).toEqual([{ source: open, line: 1, byteOffset: 0, text: 'open' }]);
    expect(result.inputs.map((input) => [input.source, input.error])).toEqual([
      // Inputs that cannot even be looked at come first (found while expanding), then those that fail to open.
      [join(closedDir, 'inside.log'), 'unreadable: permission denied'],
      [closedDir, 'unreadable: permission denied'],
      [locked, 'unreadable: permission denied'],
      [open, undefined],
    ]);
  });
});

describe('expandInputs', () => {
  it('walks a directory tree as /var/log is laid out, leaving out binary records, READMEs and links back up', async () => {
    const root = mkdtempSync(join(tmpdir(), 'logsleuth-varlog-'));
    const put = (path: string, content = 'x\n') => {
      mkdirSync(join(root, path, '..'), { recursive: true });
      writeFileSync(join(root, path), content);
    };
    for (const path of ['auth.log', 'auth.log.1', 'nginx/access.log', 'nginx/access.log.2.gz', 'apache2/error.log'])
      put(path);
    put('postgresql/14/main/postgresql.log');
    for (const path of [
      'wtmp',
      'btmp.1',
      'lastlog',
      'faillog',
      'journal/0a1b/system.journal',
      'journal/0a1b/user-1000.journal~',
    ])
      put(path, '\0\0\0');
    put('.hidden/secret.log');
    put('README.md', '# what these logs are\n');
    put('nginx/README');
    symlinkSync(root, join(root, 'nginx', 'up'));
    const problems: SourceProblem[] = [];
    const expanded = await expandInputs([root], { onProblem: (problem) => problems.push(problem) });
    expect(expanded.map((input) => input.path.slice(root.length + 1))).toEqual([
      'apache2/error.log',
      'auth.log.1',
      'auth.log',
      'nginx/access.log.2.gz',
      'nginx/access.log',
      'postgresql/14/main/postgresql.log',
    ]);
    expect(problems).toEqual([]);
    rmSync(root, { recursive: true, force: true });
  });

  it('says a directory holding only binary records has no log file', async () => {
    const root = mkdtempSync(join(tmpdir(), 'logsleuth-varlog-'));
    writeFileSync(join(root, 'wtmp'), '\0');
    const problems: SourceProblem[] = [];
    expect(await expandInputs([root], { onProblem: (problem) => problems.push(problem) })).toEqual([]);
    expect(problems).toEqual([{ source: root, kind: 'missing', message: 'no log file in this directory' }]);
    rmSync(root, { recursive: true, force: true });
  });

  it('lists a directory and a glob in reading order without opening anything', async () => {
    const expanded = await expandInputs([join(FIXTURES, 'dated'), '-', join(FIXTURES, 'rotated', 'sys*')]);
    expect(
      expanded.map((input) => [
        input.path.startsWith(FIXTURES) ? input.path.slice(FIXTURES.length + 1) : input.path,
        input.type,
      ]),
    ).toEqual([
      ['dated/error.log-20250103.gz', 'file'],
      ['dated/error.log-20250104', 'file'],
      ['dated/error.log', 'file'],
      ['-', 'stdin'],
      ['rotated/syslog.1', 'file'],
      ['rotated/syslog', 'file'],
    ]);
  });
});
