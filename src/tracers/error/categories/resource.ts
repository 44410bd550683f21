/**
 * Resource exhaustion: file descriptors (EMFILE, ENFILE), EAGAIN, thread and
 * process limits, a server's worker pool, the kernel's connection-tracking table.
 */
import { defineRows } from './rows';

/** The resource-exhaustion rows. */
export const resourcePatterns = defineRows('resource', [
  {
    id: 'enfile',
    subkind: 'file-table-full',
    prefilter: ['Too many open files in system', 'ENFILE', 'file-max limit'],
    pattern: 'Too many open files in system|\\bENFILE\\b|VFS: file-max limit \\d+ reached',
    severity: 80,
    implies: { code: 'ENFILE', codeKind: 'errno' },
  },
  {
    id: 'emfile',
    subkind: 'too-many-open-files',
    prefilter: ['oo many open files', 'EMFILE'],
    pattern: '(?i)too many open files|\\bEMFILE\\b',
    severity: 70,
    implies: { code: 'EMFILE', codeKind: 'errno' },
  },
  {
    id: 'native-thread',
    subkind: 'thread-limit',
    prefilter: ['native thread', "can't start new thread", 'pthread_create'],
    pattern:
      "unable to create (?:new )?native thread|can't start new thread|pthread_create(?:\\(\\))? failed|pthread_create: Resource temporarily unavailable",
    severity: 75,
  },
  {
    id: 'fork-limit',
    subkind: 'process-limit',
    prefilter: ['fork'],
    pattern:
      '(?i)(?:fork: retry: Resource temporarily unavailable|cannot fork|fork failed|fork: Resource temporarily unavailable|cgroup: fork rejected by pids controller in (?<target>\\S+))',
    severity: 75,
  },
  {
    id: 'eagain',
    subkind: 'temporarily-unavailable',
    prefilter: ['Resource temporarily unavailable', 'EAGAIN'],
    pattern: 'Resource temporarily unavailable|\\bEAGAIN\\b',
    severity: 45,
    implies: { code: 'EAGAIN', codeKind: 'errno' },
  },
  {
    // Every worker busy: new requests wait in the listen queue or are refused.
    id: 'worker-limit',
    subkind: 'worker-limit',
    prefilter: [
      'max_children setting',
      'MaxRequestWorkers setting',
      'MaxClients setting',
      'worker_connections are not enough',
      'listen queue of socket',
    ],
    pattern:
      '\\[pool (?<target>[^\\]]{1,64})\\] server reached (?:pm\\.)?max_children setting|server reached (?:MaxRequestWorkers|MaxClients) setting|\\d+ worker_connections are not enough|uWSGI listen queue of socket "(?<target2>[^"]{1,256})" \\(fd: \\d+\\) full',
    severity: 60,
  },
  {
    id: 'conntrack-full',
    subkind: 'conntrack-full',
    prefilter: ['nf_conntrack: table full'],
    pattern: 'nf_conntrack: (?:nf_conntrack: )?table full, dropping packet',
    severity: 75,
    service: 'kernel',
  },
  {
    id: 'syn-flood',
    subkind: 'syn-backlog',
    prefilter: ['SYN flooding'],
    pattern: '(?i:possible) SYN flooding on port (?<target>[\\w.:\\[\\]]+)\\. (?:Sending cookies|Dropping request)',
    severity: 55,
    service: 'kernel',
  },
  {
    id: 'tcp-mem',
    subkind: 'socket-memory',
    prefilter: ['TCP: out of memory'],
    pattern: 'TCP: out of memory -- consider tuning tcp_mem',
    severity: 65,
    service: 'kernel',
  },
]);
