/**
 * Ground truth: for one run of one program, the tracer's per-call counts and
 * error counts equal what `strace -C` (summary plus regular output) prints in
 * the same file; the program's own paths and peers are found.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseStraceLine, SyscallTracer } from '../../../src/tracers/syscall';

const dir = mkdtempSync(join(tmpdir(), 'logsleuth-syscall-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PROGRAM = `
import socket, threading, os
s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen()
port = s.getsockname()[1]
def serve():
    c, _ = s.accept(); c.recv(100); c.send(b"hi"); c.close()
t = threading.Thread(target=serve); t.start()
c = socket.create_connection(('127.0.0.1', port)); c.send(b"hello"); c.recv(10); c.close(); t.join()
for i in range(20):
    with open(os.path.join(${JSON.stringify(dir)}, 'touched.txt'), 'w') as f: f.write('x' * 100)
try: open('/nonexistent/logsleuth')
except OSError: pass
os.unlink(os.path.join(${JSON.stringify(dir)}, 'touched.txt'))
print(port)
`;

/** Rows of strace's -c table: name -> [calls, errors]. */
function summaryOf(text: string): Map<string, [number, number]> {
  const rows = new Map<string, [number, number]>();
  for (const line of text.split('\n')) {
    if (parseStraceLine(line).kind !== 'summary') continue;
    const f = line.trim().split(' ').filter(Boolean);
    const name = f[f.length - 1]!;
    if (f.length < 5 || name === 'total' || name === 'syscall' || !Number.isFinite(Number(f[3]))) continue;
    rows.set(name, [Number(f[3]), f.length === 6 ? Number(f[4]) : 0]);
  }
  return rows;
}

describe('the syscall tracer against strace -C', () => {
  const script = join(dir, 'program.py');
  const out = join(dir, 'trace.txt');
  writeFileSync(script, PROGRAM);
  const stdout = execFileSync(
    'strace',
    ['-f', '-q', '-ttt', '-T', '-yy', '-C', '-o', out, '/usr/bin/python3', script],
    {
      encoding: 'utf8',
    },
  );
  const port = Number(stdout.trim());
  const text = readFileSync(out, 'utf8');
  const tracer = new SyscallTracer();
  tracer.feed(text);
  const report = tracer.report(200);

  it('counts every call and error as strace -c does', () => {
    const expected = summaryOf(text);
    expect(expected.size).toBeGreaterThan(20);
    const ours = new Map(report.syscalls.map((s) => [s.name, [s.count, s.errors] as [number, number]]));
    expect(ours).toEqual(expected);
  });

  it('finds the file the program wrote among the top paths, with its bytes and unlink', () => {
    const touched = report.paths.find((p) => p.path === join(dir, 'touched.txt'));
    expect(touched).toMatchObject({ open: 20, write: 20, bytesWritten: 2000, unlink: 1 });
    expect(report.paths.slice(0, 3).map((p) => p.path)).toContain(join(dir, 'touched.txt'));
  });

  it('reports the connect to the listener with its address and port', () => {
    const peer = report.peers.find((p) => p.connects > 0);
    expect(peer).toMatchObject({ ip: '127.0.0.1', port, protocol: 'tcp', bytesSent: 5, bytesReceived: 2 });
    expect(tracer.findings().find((f) => f.kind === 'syscall.connect')?.data).toMatchObject({ ip: '127.0.0.1', port });
  });

  it('reads garbage as garbage, never throwing', () => {
    for (const line of ['', '\u0000\u0001', '123 (', '<... x resumed', '9 1.5 open("a', '"'.repeat(10_000)]) {
      expect(() => parseStraceLine(line)).not.toThrow();
    }
  });
});
