/**
 * Memory: the kernel's OOM killer (victim pid and name), cgroup OOM kills,
 * systemd units killed by it, MemoryError, Java OutOfMemoryError, Node heap
 * exhaustion, ENOMEM, Redis maxmemory, and hints of leaks.
 */
import { defineRows } from './rows';

/** The memory rows. */
export const memoryPatterns = defineRows('memory', [
  {
    id: 'cgroup-oom-kill',
    subkind: 'cgroup-oom-kill',
    prefilter: ['Memory cgroup out of memory'],
    pattern: 'Memory cgroup out of memory: Kill(?:ed)? process (?<pid>\\d+) \\((?<process>[^)]{1,64})\\)',
    severity: 85,
    service: 'kernel',
  },
  {
    id: 'oom-kill',
    subkind: 'oom-kill',
    prefilter: ['Out of memory: Kill'],
    pattern: 'Out of memory: Kill(?:ed)? process (?<pid>\\d+) \\((?<process>[^)]{1,64})\\)',
    severity: 90,
    service: 'kernel',
  },
  {
    // The process named here asked for memory; the victim is named by the `Killed process` line after it.
    id: 'oom-invoked',
    subkind: 'oom-invoked',
    prefilter: ['invoked oom-killer'],
    pattern: '(?<process>\\S{1,64}) invoked oom-killer: gfp_mask=',
    severity: 70,
    service: 'kernel',
  },
  {
    id: 'oom-summary',
    subkind: 'oom-kill',
    prefilter: ['oom-kill:constraint='],
    pattern: 'oom-kill:constraint=(?<code>CONSTRAINT_\\w{1,32}),[^\\n]*?,task=(?<process>[^,]{1,64}),pid=(?<pid>\\d+)',
    severity: 70,
    service: 'kernel',
  },
  {
    id: 'oom-reaper',
    subkind: 'oom-kill',
    prefilter: ['oom_reaper: reaped process'],
    pattern: 'oom_reaper: reaped process (?<pid>\\d+) \\((?<process>[^)]{1,64})\\)',
    severity: 70,
    service: 'kernel',
  },
  {
    id: 'systemd-oom',
    subkind: 'oom-kill',
    prefilter: ['OOM killer', "'oom-kill'"],
    pattern:
      "(?<process>[\\w@.:-]+\\.(?:service|scope)): (?:A process of this unit has been killed by the OOM killer|Failed with result 'oom-kill')",
    severity: 85,
    service: 'systemd',
  },
  {
    id: 'java-oom',
    subkind: 'java-heap',
    prefilter: ['OutOfMemoryError'],
    pattern: '(?<type>(?:java\\.lang\\.)?OutOfMemoryError)(?::\\s*(?<message>[^\\n]+))?',
    severity: 85,
    classify: (details) => (details.message?.includes('Metaspace') ? 'java-metaspace' : undefined),
  },
  {
    id: 'node-heap',
    subkind: 'js-heap',
    prefilter: ['heap out of memory', 'Reached heap limit'],
    pattern: 'JavaScript heap out of memory|Reached heap limit Allocation failed',
    severity: 85,
    service: 'node',
  },
  {
    id: 'python-memoryerror',
    subkind: 'out-of-memory',
    prefilter: ['MemoryError'],
    pattern: '(?:^|[\\s.])(?<type>MemoryError)(?::\\s*(?<message>[^\\n]*))?$',
    severity: 80,
  },
  {
    id: 'redis-maxmemory',
    subkind: 'redis-maxmemory',
    prefilter: ['OOM command not allowed'],
    pattern: "OOM command not allowed when used memory > 'maxmemory'",
    severity: 70,
    service: 'redis',
  },
  {
    id: 'enomem',
    subkind: 'allocation-failure',
    prefilter: ['Cannot allocate memory', 'ENOMEM', 'bad_alloc', 'out of memory', 'Out of memory'],
    pattern:
      '(?:Cannot allocate memory|\\bENOMEM\\b|std::bad_alloc|(?:^|[:\\s])(?:FATAL|ERROR|fatal|error):\\s+[Oo]ut of memory|^[Oo]ut of memory(?:$|[:;,.]))',
    severity: 75,
    implies: { code: 'ENOMEM', codeKind: 'errno' },
  },
  {
    id: 'leak-hint',
    subkind: 'leak-hint',
    prefilter: ['memory leak', 'LEAK:', 'definitely lost:'],
    pattern:
      '(?:possible EventEmitter memory leak detected|LEAK: (?<type>\\S+)\\.release\\(\\) was not called|definitely lost: [\\d,]+ bytes in [\\d,]+ blocks|(?i:memory leak detected))',
    severity: 40,
  },
]);
