import { recogniserTable } from './table';

recogniserTable(
  'system recognisers',
  [
    {
      line: 'Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)',
      rule: 'system/kernel-panic',
      subkind: 'kernel-panic',
      details: { message: 'VFS: Unable to mount root fs on unknown-block(0,0)', service: 'kernel' },
    },
    {
      line: 'BUG: unable to handle kernel NULL pointer dereference at 0000000000000008',
      rule: 'system/kernel-oops',
      subkind: 'kernel-oops',
      details: { message: 'NULL pointer dereference' },
    },
    { line: 'Oops: 0002 [#1] SMP PTI', rule: 'system/kernel-oops', subkind: 'kernel-oops' },
    {
      line: 'kernel BUG at mm/slub.c:3901!',
      rule: 'system/kernel-oops',
      subkind: 'kernel-oops',
      details: { file: 'mm/slub.c', line: 3901 },
    },
    {
      line: 'general protection fault, probably for non-canonical address 0xdead000000000100: 0000 [#1] SMP NOPTI',
      rule: 'system/kernel-oops',
      subkind: 'kernel-oops',
    },
    {
      line: 'watchdog: BUG: soft lockup - CPU#3 stuck for 23s! [kworker/3:1:1234]',
      rule: 'system/soft-lockup',
      subkind: 'lockup',
      details: { process: 'kworker/3:1', pid: 1234 },
    },
    {
      line: 'INFO: task jbd2/sda1-8:312 blocked for more than 120 seconds.',
      rule: 'system/hung-task',
      subkind: 'hung-task',
      details: { process: 'jbd2/sda1-8', pid: 312 },
    },
    {
      line: 'mce: [Hardware Error]: Machine check events logged',
      rule: 'system/hardware-error',
      subkind: 'hardware-error',
    },
    {
      line: 'php-fpm[12345]: segfault at 0 ip 00007f1c2a3b4c5d sp 00007ffd1e2f3a40 error 4 in libc-2.31.so[7f1c2a300000+1b1000]',
      rule: 'system/kernel-segfault',
      subkind: 'segfault',
      details: { process: 'php-fpm', pid: 12345, target: '0', code: '4', path: 'libc-2.31.so' },
    },
    {
      line: 'traps: node[3131] trap invalid opcode ip:55d0e1 sp:7ffc8 error:0 in node[55d0+12000]',
      rule: 'system/trap',
      subkind: 'crash',
      details: { process: 'node', pid: 3131, message: 'invalid opcode' },
    },
    {
      line: 'Process 4242 (python3) of user 1000 dumped core.',
      rule: 'system/core-dump',
      subkind: 'core-dump',
      details: { pid: 4242, process: 'python3' },
    },
    {
      line: 'app.service: Main process exited, code=dumped, status=11/SEGV',
      rule: 'system/core-dump',
      subkind: 'core-dump',
      details: { process: 'app.service', code: 'SEGV', codeKind: 'signal' },
    },
    {
      line: '/usr/local/bin/run.sh: line 12:  4321 Segmentation fault      (core dumped) ./server --port 8080',
      rule: 'system/core-dump',
      subkind: 'core-dump',
      details: { code: 'Segmentation fault' },
    },
    {
      line: 'Segmentation fault',
      rule: 'system/segmentation-fault',
      subkind: 'segfault',
      details: { code: 'SIGSEGV' },
    },
    {
      line: "server: src/buffer.c:212: buffer_append: Assertion `len <= cap' failed.",
      rule: 'system/assertion',
      subkind: 'assertion',
      details: { file: 'src/buffer.c', line: 212, function: 'buffer_append', message: 'len <= cap' },
    },
    {
      line: "nginx.service: Failed with result 'exit-code'.",
      rule: 'system/unit-failed',
      subkind: 'unit-failed',
      details: { process: 'nginx.service', code: 'exit-code' },
    },
    {
      line: 'Failed to start The PHP 8.2 FastCGI Process Manager.',
      rule: 'system/unit-failed',
      subkind: 'unit-failed',
    },
    {
      line: '203.0.113.5 - - [01/Mar/2024:10:00:00 +0000] "GET /api/orders HTTP/1.1" 502 157 "-" "curl/8.0"',
      rule: 'system/http-5xx',
      subkind: 'http-5xx',
      details: { code: '502', codeKind: 'http' },
    },
  ],
  [
    { line: '203.0.113.5 - - [01/Mar/2024:10:00:00 +0000] "GET /500 HTTP/1.1" 200 157 "-" "curl/8.0"' },
    { line: '203.0.113.5 - - [01/Mar/2024:10:00:00 +0000] "GET / HTTP/1.1" 404 157 "-" "-"' },
    { line: 'Started nginx.service - A high performance web server.' },
    { line: 'systemd-coredump@0.service: Deactivated successfully.' },
    { line: 'panic_on_oom = 0' },
  ],
);
