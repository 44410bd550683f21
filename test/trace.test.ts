/**
 * `trace()`: splitting strace's output into bounded lines; recognising its ptrace refusal and
 * explaining it from Yama's ptrace_scope; failed calls of a real traced program
 * reaching the error tracer, with its categories and hints; a peer listed in a
 * reputation database or a blacklist becoming a case.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderTraceText } from '../src/report/trace-text';
import { LineSplitter, type TraceOptions, explainPtraceRefusal, ptraceRefusal, ptraceScope, trace } from '../src/trace';
import { CidrSet } from '../src/tracers/ip/whitelist';

const dir = mkdtempSync(join(tmpdir(), 'logsleuth-trace-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('LineSplitter', () => {
  // Lines of at most 10 characters; the chunks are how the FIFO happened to deliver them.
  it.each([
    ['a line whole in one chunk', ['0123456789\nok\n'], ['0123456789', 'ok'], 0],
    ['a line split across chunks', ['01234', '56789\nok\n'], ['0123456789', 'ok'], 0],
    ['an overlong line ending in the chunk that starts it', ['0123456789A\nok\n'], ['ok'], 1],
    ['an overlong line whose end comes in the next chunk', ['01234567', '89A\nok\n'], ['ok'], 1],
    ['an overlong line seen before its end', ['0123456789AB', 'CD\nok\n'], ['ok'], 1],
    ['a last line with no newline', ['ok\nlast'], ['ok', 'last'], 0],
  ])('reads %s', (_name, chunks, lines, overlong) => {
    const seen: string[] = [];
    const splitter = new LineSplitter(10, (line) => seen.push(line));
    for (const chunk of chunks) splitter.push(chunk);
    splitter.end();
    expect(seen).toEqual(lines);
    expect(splitter.overlong).toBe(overlong);
  });
});

describe('ptraceRefusal', () => {
  // strace 6.1's texts (the first as printed here by `strace -p` without CAP_SYS_PTRACE), with `strace: ` cut.
  it.each([
    'attach: ptrace(PTRACE_SEIZE, 13563): Operation not permitted',
    'test_ptrace_get_syscall_info: PTRACE_TRACEME: Operation not permitted',
    'ptrace(PTRACE_TRACEME, ...): Operation not permitted',
  ])('finds %s', (message) => {
    expect(ptraceRefusal(['Process 12 attached', message])).toBe(message);
  });

  it.each([
    "Can't stat '/nope': No such file or directory",
    'attach: ptrace(PTRACE_SEIZE, 99): No such process',
    'open("/root/x"): Operation not permitted',
  ])('passes over %s', (message) => {
    expect(ptraceRefusal([message])).toBeUndefined();
  });
});

describe('explainPtraceRefusal', () => {
  const message = 'attach: ptrace(PTRACE_SEIZE, 1): Operation not permitted';

  it.each([
    [undefined, 'no /proc/sys/kernel/yama/ptrace_scope (no Yama)', 'CAP_SYS_PTRACE'],
    [0, '/proc/sys/kernel/yama/ptrace_scope is 0', 'CAP_SYS_PTRACE'],
    [1, '/proc/sys/kernel/yama/ptrace_scope is 1', 'only a parent may trace its children'],
    [2, '/proc/sys/kernel/yama/ptrace_scope is 2', 'CAP_SYS_PTRACE (root)'],
    [3, '/proc/sys/kernel/yama/ptrace_scope is 3', 'disabled on this host until reboot'],
  ])('with ptrace_scope %s says %s', (scope, setting, advice) => {
    const text = explainPtraceRefusal(message + '\n', scope);
    expect(text.startsWith(`ptrace refused (${message}): `)).toBe(true);
    expect(text).toContain(setting);
    expect(text).toContain(advice);
    expect(text).not.toContain('\n');
  });
});

describe('ptraceScope', () => {
  it.each([
    ['1\n', 1],
    ['3', 3],
    ['garbage', undefined],
  ])('reads %j as %s', (content, scope) => {
    const root = join(dir, `proc-${scope}`);
    mkdirSync(join(root, 'sys', 'kernel', 'yama'), { recursive: true });
    writeFileSync(join(root, 'sys', 'kernel', 'yama', 'ptrace_scope'), content);
    expect(ptraceScope(root)).toBe(scope);
  });

  it('is undefined without Yama', () => {
    expect(ptraceScope(join(dir, 'no-proc'))).toBeUndefined();
  });
});

describe('failed calls of a traced program', () => {
  // A socket bound and not listening refuses connections: a closed port no other test can take.
  // Run as root, so no EACCES to provoke: the missing file and the refused connection stand for the rest.
  const program = `
import socket, sys
try:
    open(${JSON.stringify(join(dir, 'missing.conf'))})
except FileNotFoundError:
    pass
held = socket.socket()
held.bind(("127.0.0.1", 0))
port = held.getsockname()[1]
print(port, file=sys.stderr, flush=True)
try:
    socket.create_connection(("127.0.0.1", port))
except ConnectionRefusedError:
    pass
`;

  it('reach the error tracer as a missing path and a refused connection, with hints and targets', async () => {
    let stderr = '';
    const result = await trace({
      command: ['/usr/bin/python3', '-c', program],
      programOutput: 'ignore',
      onStderr: (chunk) => void (stderr += chunk.toString('utf8')),
    });
    expect(result.exit).toEqual({ code: 0, signal: null });
    // The port as the program saw it, on its stderr (which passes through strace's).
    const target = `127.0.0.1:${Number(stderr)}`;
    const refused = result.errors.find((e) => e.subkind === 'connection-refused');
    expect(refused).toMatchObject({
      category: 'network',
      count: 1,
      template: 'connect <*> Connection refused',
      details: { code: 'ECONNREFUSED', target, process: 'python3', service: 'syscall' },
      targets: [target],
      targetCount: 1,
    });
    expect(refused!.hint).toContain(`connection to ${target}`);

    const missing = result.errors.find((e) => e.subkind === 'missing-path' && e.template.startsWith('openat '));
    expect(missing).toMatchObject({ category: 'permission', details: { code: 'ENOENT' } });
    expect(missing!.hint).toContain('A file the program needs is missing');
    // Every failed open is in the group (the startup's probes too), and the program's own file among the targets.
    const openat = result.syscall.syscalls.find((s) => s.name === 'openat');
    expect(missing!.count).toBe(openat!.errnos['ENOENT']);
    expect(missing!.targets).toContain(join(dir, 'missing.conf'));
    expect(renderTraceText(result)).toContain(join(dir, 'missing.conf'));
  }, 30_000);
});

describe('a listed peer', () => {
  /** Traces a program that connects to a listener of the test's on 127.0.0.1 and sends 5 bytes. */
  async function traceConnect(options: Partial<TraceOptions>) {
    const received: Buffer[] = [];
    const server = createServer((socket) => socket.on('data', (chunk) => received.push(chunk)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      const code = `import socket\ns = socket.create_connection(("127.0.0.1", ${port}))\ns.sendall(b"hello")\ns.close()`;
      const result = await trace({ command: ['/usr/bin/python3', '-c', code], programOutput: 'ignore', ...options });
      return { result, port };
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  }

  // A reputation database like `logsleuth reputation` exports, with 127.0.0.1 blacklisted in it.
  function reputationListing(ip: string): string {
    const db = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'reputation', 'host-a.json'), 'utf8'));
    const entry = { ...db.entries[0], ip, type: 'localhost', range: 'Loopback', subnet: '127.0.0.0/8' };
    entry.reasons = [{ code: 'auth_failures', text: '9 failed logins', points: 45 }];
    const path = join(dir, 'reputation.json');
    writeFileSync(path, JSON.stringify({ ...db, entries: [entry] }));
    return path;
  }

  // Loopback is on the IP tracer's default whitelist: never blacklisted, but a listed address there is still a case.
  it('in the reputation database becomes a case, though loopback is whitelisted', async () => {
    const { result, port } = await traceConnect({ reputation: reputationListing('127.0.0.1') });
    const pid = result.syscall.processes[0]!.pid;
    expect(result.suspects).toHaveLength(1);
    expect(result.suspects[0]).toMatchObject({
      ip: '127.0.0.1',
      blacklisted: false,
      peer: { connects: 1, bytesSent: 5 },
    });
    expect(result.suspects[0]!.summary).toBe(
      `python3 pid ${pid} connected to 127.0.0.1:${port}, suspect (whitelisted here, so never blacklisted): ` +
        'reputation score 72, blacklisted (9 failed logins)',
    );
    expect(result.cases.map((c) => c.ip)).toEqual(['127.0.0.1']);
  }, 30_000);

  it('on the known-bad list becomes a case', async () => {
    const { result, port } = await traceConnect({ knownBad: new CidrSet(['127.0.0.1/32']) });
    expect(result.suspects.map((s) => s.ip)).toEqual(['127.0.0.1']);
    expect(result.suspects[0]!.summary).toContain(`connected to 127.0.0.1:${port}, suspect`);
    expect(result.suspects[0]!.reasons).toContain('listed as known-malicious');
    expect(result.cases.map((c) => c.ip)).toEqual(['127.0.0.1']);
  }, 30_000);

  it('is no case when nothing lists it', async () => {
    const { result } = await traceConnect({});
    expect(result.peers.map((p) => p.ip)).toEqual(['127.0.0.1']);
    expect(result.suspects).toEqual([]);
    expect(result.cases).toEqual([]);
  }, 30_000);
});
