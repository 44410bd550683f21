/**
 * The pure parts of `trace()`: recognising strace's ptrace refusal in its own
 * messages, and explaining it from Yama's ptrace_scope.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { explainPtraceRefusal, ptraceRefusal, ptraceScope } from '../src/trace';

const dir = mkdtempSync(join(tmpdir(), 'logsleuth-trace-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

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
