import { recogniserTable } from './table';

recogniserTable(
  'resource-exhaustion recognisers',
  [
    {
      line: '2024/03/01 10:00:00 [crit] 77#77: accept4() failed (24: Too many open files)',
      rule: 'resource/emfile',
      subkind: 'too-many-open-files',
      details: { code: 'EMFILE', codeKind: 'errno' },
    },
    {
      line: "OSError: [Errno 24] Too many open files: '/var/lib/app/data.db'",
      rule: 'resource/emfile',
      subkind: 'too-many-open-files',
      details: { path: '/var/lib/app/data.db' },
    },
    { line: 'Error: EMFILE: too many open files, watch', rule: 'resource/emfile', subkind: 'too-many-open-files' },
    {
      line: 'VFS: file-max limit 65536 reached',
      rule: 'resource/enfile',
      subkind: 'file-table-full',
      details: { code: 'ENFILE' },
    },
    { line: 'socket: Too many open files in system', rule: 'resource/enfile', subkind: 'file-table-full' },
    {
      line: 'java.lang.OutOfMemoryError: unable to create native thread: possibly out of memory or process/resource limits reached',
      rule: 'resource/native-thread',
      subkind: 'thread-limit',
    },
    { line: "RuntimeError: can't start new thread", rule: 'resource/native-thread', subkind: 'thread-limit' },
    {
      line: '-bash: fork: retry: Resource temporarily unavailable',
      rule: 'resource/fork-limit',
      subkind: 'process-limit',
    },
    {
      line: 'cgroup: fork rejected by pids controller in /system.slice/app.service',
      rule: 'resource/fork-limit',
      subkind: 'process-limit',
      details: { target: '/system.slice/app.service' },
    },
    {
      line: 'recvfrom: Resource temporarily unavailable',
      rule: 'resource/eagain',
      subkind: 'temporarily-unavailable',
      details: { code: 'EAGAIN' },
    },
    {
      line: 'nf_conntrack: nf_conntrack: table full, dropping packet',
      rule: 'resource/conntrack-full',
      subkind: 'conntrack-full',
    },
    {
      line: 'TCP: request_sock_TCP: Possible SYN flooding on port 443. Sending cookies.  Check SNMP counters.',
      rule: 'resource/syn-flood',
      subkind: 'syn-backlog',
      details: { target: '443' },
    },
    { line: 'TCP: out of memory -- consider tuning tcp_mem', rule: 'resource/tcp-mem', subkind: 'socket-memory' },
    {
      line: '[22-Nov-2026 06:02:00] WARNING: [pool www] server reached pm.max_children setting (5), consider raising it',
      rule: 'resource/worker-limit',
      subkind: 'worker-limit',
      details: { target: 'www' },
    },
    {
      line: '[Sun Nov 22 06:02:00.123456 2026] [mpm_event:error] [pid 900:tid 901] AH00484: server reached MaxRequestWorkers setting, consider raising the MaxRequestWorkers setting',
      rule: 'resource/worker-limit',
      subkind: 'worker-limit',
    },
    {
      line: '[Sun Nov 22 06:02:00 2026] [error] server reached MaxClients setting, consider raising the MaxClients setting',
      rule: 'resource/worker-limit',
      subkind: 'worker-limit',
    },
    {
      line: '2026/11/22 06:02:00 [alert] 12#12: 1024 worker_connections are not enough',
      rule: 'resource/worker-limit',
      subkind: 'worker-limit',
    },
    {
      line: '*** uWSGI listen queue of socket ":6000" (fd: 6) full !!! (1024/1024) ***',
      rule: 'resource/worker-limit',
      subkind: 'worker-limit',
      details: { target: ':6000' },
    },
  ],
  [
    { line: 'open files limit raised to 65536' },
    { line: 'forked child 1234' },
    { line: 'pm.max_children = 50' },
    { line: 'nf_conntrack: default automatic helper assignment has been turned off' },
  ],
);
