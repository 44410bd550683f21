import { recogniserTable } from './table';

recogniserTable(
  'memory recognisers',
  [
    {
      line: 'Out of memory: Killed process 1234 (postgres) total-vm:8453124kB, anon-rss:6291456kB, file-rss:0kB, shmem-rss:0kB, UID:112 pgtables:12840kB oom_score_adj:0',
      rule: 'memory/oom-kill',
      subkind: 'oom-kill',
      details: { pid: 1234, process: 'postgres', service: 'kernel' },
    },
    {
      line: 'Out of memory: Kill process 2210 (java) score 872 or sacrifice child',
      rule: 'memory/oom-kill',
      subkind: 'oom-kill',
      details: { pid: 2210, process: 'java' },
    },
    {
      line: 'Memory cgroup out of memory: Killed process 4412 (node) total-vm:1200000kB, anon-rss:512000kB, file-rss:0kB, shmem-rss:0kB, UID:1000 pgtables:2000kB oom_score_adj:0',
      rule: 'memory/cgroup-oom-kill',
      subkind: 'cgroup-oom-kill',
      details: { pid: 4412, process: 'node' },
    },
    {
      line: 'mysqld invoked oom-killer: gfp_mask=0x100cca(GFP_HIGHUSER_MOVABLE), order=0, oom_score_adj=0',
      rule: 'memory/oom-invoked',
      subkind: 'oom-invoked',
      details: { process: 'mysqld' },
    },
    {
      line: 'oom_reaper: reaped process 1234 (postgres), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB',
      rule: 'memory/oom-reaper',
      subkind: 'oom-kill',
      details: { pid: 1234, process: 'postgres' },
    },
    {
      line: 'myapp.service: A process of this unit has been killed by the OOM killer.',
      rule: 'memory/systemd-oom',
      subkind: 'oom-kill',
      details: { process: 'myapp.service' },
    },
    {
      line: "worker.service: Failed with result 'oom-kill'.",
      rule: 'memory/systemd-oom',
      subkind: 'oom-kill',
      details: { process: 'worker.service' },
    },
    {
      line: 'Exception in thread "main" java.lang.OutOfMemoryError: Java heap space',
      rule: 'memory/java-oom',
      subkind: 'java-heap',
      details: { type: 'java.lang.OutOfMemoryError', message: 'Java heap space' },
    },
    {
      line: 'java.lang.OutOfMemoryError: Metaspace',
      rule: 'memory/java-oom',
      subkind: 'java-metaspace',
    },
    {
      line: 'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory',
      rule: 'memory/node-heap',
      subkind: 'js-heap',
    },
    {
      line: 'MemoryError',
      rule: 'memory/python-memoryerror',
      subkind: 'out-of-memory',
      details: { type: 'MemoryError' },
    },
    {
      line: 'MemoryError: Unable to allocate 7.45 GiB for an array with shape (1000000000,) and data type float64',
      rule: 'memory/python-memoryerror',
      subkind: 'out-of-memory',
    },
    {
      line: "OOM command not allowed when used memory > 'maxmemory'.",
      rule: 'memory/redis-maxmemory',
      subkind: 'redis-maxmemory',
      details: { service: 'redis' },
    },
    {
      line: "Can't save in background: fork: Cannot allocate memory",
      rule: 'memory/enomem',
      subkind: 'allocation-failure',
      details: { code: 'ENOMEM', codeKind: 'errno' },
    },
    {
      line: "terminate called after throwing an instance of 'std::bad_alloc'",
      rule: 'memory/enomem',
      subkind: 'allocation-failure',
    },
    { line: 'ERROR:  out of memory', rule: 'memory/enomem', subkind: 'allocation-failure' },
    {
      line: '(node:4242) MaxListenersExceededWarning: Possible EventEmitter memory leak detected. 11 exit listeners added to [process].',
      rule: 'memory/leak-hint',
      subkind: 'leak-hint',
    },
    {
      line: "LEAK: ByteBuf.release() was not called before it's garbage-collected.",
      rule: 'memory/leak-hint',
      subkind: 'leak-hint',
    },
    { line: '==1234==    definitely lost: 4,096 bytes in 1 blocks', rule: 'memory/leak-hint', subkind: 'leak-hint' },
  ],
  [
    { line: 'Free memory: 1024 MB of 4096 MB' },
    { line: 'oom_score_adj set to -1000 for pid 12' },
    { line: 'Out of memory handling configured: panic_on_oom=0' },
    { line: 'freed 12 MB of memory', notRule: 'memory/enomem' },
    { line: 'MemoryErrorHandler installed', notRule: 'memory/python-memoryerror' },
  ],
);

recogniserTable(
  'the kernel OOM summary line',
  [
    {
      line: 'oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/system.slice/app.service,task=java,pid=2345,uid=1000',
      rule: 'memory/oom-summary',
      subkind: 'oom-kill',
      details: { code: 'CONSTRAINT_NONE', process: 'java', pid: 2345 },
      event: { program: 'kernel' },
    },
  ],
  [{ line: 'oom-kill:constraint=' }],
);
