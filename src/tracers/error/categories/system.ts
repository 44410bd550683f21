/**
 * System: segfaults (the kernel's `segfault at` lines and shells' "Segmentation
 * fault"), core dumps, assertion failures, kernel panics and oopses, hung
 * tasks, hardware errors, failed systemd units, application workers killed
 * for running past their time limit, and HTTP 5xx responses.
 */
import { defineRows } from './rows';

/** The system rows. */
export const systemPatterns = defineRows('system', [
  {
    id: 'kernel-panic',
    subkind: 'kernel-panic',
    prefilter: ['Kernel panic'],
    pattern: 'Kernel panic - not syncing: (?<message>[^\\n]{0,256})',
    severity: 100,
    service: 'kernel',
  },
  {
    id: 'kernel-oops',
    subkind: 'kernel-oops',
    prefilter: ['BUG: unable to handle', 'Oops: ', 'general protection fault', 'kernel BUG at'],
    pattern:
      '(?:BUG: unable to handle (?:kernel )?(?<message>NULL pointer dereference|paging request)|Oops: [0-9a-fx]+ \\[#\\d+\\]|general protection fault(?:,|:)|kernel BUG at (?<file>[\\w./-]{1,128}):(?<line>\\d+)!)',
    severity: 90,
    service: 'kernel',
  },
  {
    id: 'soft-lockup',
    subkind: 'lockup',
    prefilter: ['soft lockup', 'hard LOCKUP', 'rcu_sched detected stall', 'rcu: INFO: rcu_'],
    pattern:
      'BUG: soft lockup - CPU#\\d+ stuck for \\d+s! \\[(?<process>[^\\]]{1,64}):(?<pid>\\d+)\\]|hard LOCKUP|rcu(?:_sched|_preempt)? detected stalls?',
    severity: 80,
    service: 'kernel',
  },
  {
    id: 'hung-task',
    subkind: 'hung-task',
    prefilter: ['blocked for more than'],
    pattern: 'INFO: task (?<process>[^:\\s]{1,64}):(?<pid>\\d+) blocked for more than \\d+ seconds',
    severity: 70,
    service: 'kernel',
  },
  {
    id: 'hardware-error',
    subkind: 'hardware-error',
    prefilter: ['Hardware Error', 'Machine check events logged', 'EDAC '],
    pattern: '\\[Hardware Error\\]|Machine check events logged|EDAC [^\\n]{0,64}(?:CE|UE) ',
    severity: 85,
    service: 'kernel',
  },
  {
    id: 'kernel-segfault',
    subkind: 'segfault',
    prefilter: [': segfault at '],
    pattern:
      '(?<process>[^\\s\\[]{1,64})\\[(?<pid>\\d+)\\]: segfault at (?<target>[0-9a-f]{1,16}) ip [0-9a-f]{1,16} sp [0-9a-f]{1,16} error (?<code>\\d+)(?: in (?<path>[^\\s\\[]{1,256}))?',
    severity: 75,
    service: 'kernel',
    codeKind: 'signal',
  },
  {
    id: 'trap',
    subkind: 'crash',
    prefilter: [' trap '],
    pattern:
      '(?<process>[^\\s\\[]{1,64})\\[(?<pid>\\d+)\\] trap (?<message>invalid opcode|divide error|int3|stack segment)',
    severity: 70,
    service: 'kernel',
  },
  {
    id: 'core-dump',
    subkind: 'core-dump',
    prefilter: ['dumped core', 'code=dumped', '(core dumped)'],
    pattern:
      'Process (?<pid>\\d+) \\((?<process>[^)]{1,64})\\) of user \\d+ dumped core|(?<process2>[\\w@.:-]{1,128}\\.service): Main process exited, code=dumped, status=\\d+/(?<code>SIG\\w+|\\w+)|(?<code2>Segmentation fault|Aborted|Bus error|Illegal instruction|Floating point exception)\\s+\\(core dumped\\)',
    severity: 80,
    codeKind: 'signal',
  },
  {
    id: 'segmentation-fault',
    subkind: 'segfault',
    prefilter: ['Segmentation fault', 'SIGSEGV'],
    pattern: 'Segmentation fault|\\bSIGSEGV\\b',
    severity: 75,
    implies: { code: 'SIGSEGV', codeKind: 'signal' },
  },
  {
    id: 'assertion',
    subkind: 'assertion',
    prefilter: ['Assertion', 'assertion'],
    pattern:
      "(?<file>[\\w./-]{1,256}):(?<line>\\d+): (?<function>[^:\\n]{1,256}): Assertion `(?<message>[^\\n]{1,512})' failed|Assertion failed: (?<message2>[^\\n]{1,512})|(?:^|\\s)assertion failed(?::|\\s)",
    severity: 70,
  },
  {
    id: 'unit-failed',
    subkind: 'unit-failed',
    prefilter: ['Failed with result', 'Failed to start '],
    pattern:
      "(?<process>[\\w@.:-]{1,128}\\.(?:service|socket|mount|timer)): Failed with result '(?<code>[\\w-]{1,32})'|Failed to start (?<message>[^\\n]{1,256})",
    severity: 60,
    service: 'systemd',
  },
  {
    // gunicorn's arbiter (`WORKER TIMEOUT (pid:N)`), uWSGI's harakiri, php-fpm's request_terminate_timeout:
    // a request ran past the server's limit and its worker was killed.
    id: 'gunicorn-worker-timeout',
    subkind: 'worker-timeout',
    prefilter: ['WORKER TIMEOUT (pid:'],
    pattern: 'WORKER TIMEOUT \\(pid:(?<pid>\\d+)\\)',
    severity: 65,
    service: 'gunicorn',
  },
  {
    id: 'uwsgi-harakiri',
    subkind: 'worker-timeout',
    prefilter: ['HARAKIRI ON WORKER'],
    pattern: 'HARAKIRI ON WORKER \\d+ \\(pid: (?<pid>\\d+)',
    severity: 65,
    service: 'uwsgi',
  },
  {
    id: 'php-fpm-timeout',
    subkind: 'worker-timeout',
    prefilter: ['execution timed out'],
    pattern:
      "\\[pool (?<target>[^\\]]{1,64})\\] child (?<pid>\\d+), script '(?<path>[^']{0,512})'(?: \\(request: \"[^\\n]{0,1000}\"\\))? execution timed out",
    severity: 65,
    service: 'php-fpm',
  },
  {
    id: 'mod-jk',
    subkind: 'worker-error',
    prefilter: ['mod_jk child workerEnv in error state', "Can't find child"],
    // Apache's mod_jk/jk2 connector to Tomcat workers.
    pattern:
      "mod_jk child workerEnv in error state (?<code>\\d+)|jk2_init\\(\\) Can't find child (?<pid>\\d+) in scoreboard",
    severity: 50,
    service: 'apache',
  },
  {
    id: 'http-5xx',
    subkind: 'http-5xx',
    // Every match holds `" 5` (the quote closing the request, then the status): far rarer than `HTTP/`.
    prefilter: ['" 5'],
    // The status right after the quoted request line of the combined/common log format.
    pattern: '"[A-Z]{3,10} [^"\\s]+ HTTP/[\\d.]{1,3}" (?<code>5\\d\\d) ',
    severity: 45,
    codeKind: 'http',
  },
]);
