/**
 * What an error probably means and what to do: a root-cause hint, recovery
 * actions and preventive measures per category and sub-kind, written with the
 * details where they are known ("the disk holding /var/lib/postgresql is
 * full" rather than "disk full").
 */
import { errnoText } from './errno';
import type { ErrorCategory, ErrorDetails } from './types';

/** Advice for one error. */
export interface ErrorAdvice {
  /** The probable root cause, one sentence. */
  hint: string;
  /** What to do now to recover. */
  actions: string[];
  /** What prevents it from happening again. */
  prevention: string[];
}

type Text = string | ((d: ErrorDetails) => string);

interface AdviceRow {
  hint: Text;
  actions: readonly Text[];
  prevention: readonly Text[];
}

const where = (d: ErrorDetails): string => (d.path ? ` holding ${d.path}` : d.target ? ` ${d.target}` : '');
const who = (d: ErrorDetails): string =>
  d.process
    ? `${d.process}${d.pid !== undefined ? ` (pid ${d.pid})` : ''}`
    : d.pid !== undefined
      ? `pid ${d.pid}`
      : 'a process';
/** A message without its own final period, so the hint ends with exactly one. */
const sentence = (text: string): string => (text.endsWith('.') ? text.slice(0, -1) : text);
/** Services that are databases: an application that logs a database error is its client, not the database. */
const DATABASES = new Set(['postgresql', 'mysql', 'redis', 'mongodb', 'sqlite', 'memcached']);
const database = (d: ErrorDetails, fallback: string): string =>
  d.service !== undefined && DATABASES.has(d.service) ? d.service : fallback;
const target = (d: ErrorDetails, fallback: string): string => d.target ?? fallback;
const at = (d: ErrorDetails): string =>
  d.file ? ` in ${d.file}${d.line !== undefined ? `:${d.line}` : ''}${d.function ? ` (${d.function})` : ''}` : '';

/** Advice by `category/subkind`. */
const ADVICE: Readonly<Record<string, AdviceRow>> = {
  'memory/oom-kill': {
    hint: (d) => `The kernel's OOM killer killed ${who(d)} because the host ran out of memory.`,
    actions: [
      (d) => `Restart ${d.process ?? 'the killed service'} and check it came back (systemctl status, journalctl -u).`,
      'Find what used the memory: the OOM report lists every task with its RSS just before the kill.',
      'Check current memory: free -m, and /proc/meminfo for MemAvailable.',
    ],
    prevention: [
      (d) => `Cap ${d.process ?? 'the service'}'s memory (systemd MemoryMax=, container limits) so it fails alone.`,
      'Add memory or swap, or reduce caches and worker counts; alert on MemAvailable below 10%.',
      'Protect critical daemons with oom_score_adj = -1000.',
    ],
  },
  'memory/oom-invoked': {
    hint: (d) =>
      `${d.process ?? 'A process'} asked for memory the host did not have and set off the OOM killer; the process it killed is named in the \`Killed process\` line that follows.`,
    actions: [
      'Read the OOM report that follows (the task list with each RSS) to see what held the memory and what was killed.',
      'Check current memory: free -m, and /proc/meminfo for MemAvailable.',
    ],
    prevention: ['Add memory or swap, or cap the largest consumers; alert on MemAvailable below 10%.'],
  },
  'memory/cgroup-oom-kill': {
    hint: (d) => `${who(d)} hit its cgroup's memory limit and was killed inside its container or unit.`,
    actions: [
      'Read the cgroup memory.max and memory.peak of the unit or container.',
      'Restart the workload and watch its memory.',
    ],
    prevention: ['Raise the limit to the measured peak plus headroom, or fix the workload that grows.'],
  },
  'memory/java-heap': {
    hint: (d) =>
      `The JVM ran out of heap${d.message ? ` (${d.message})` : ''}: the live data outgrew -Xmx, or objects leak.`,
    actions: [
      'Take a heap dump (-XX:+HeapDumpOnOutOfMemoryError) and open it in a heap analyser.',
      'Restart the JVM: after an OutOfMemoryError its state is unreliable.',
    ],
    prevention: ['Size -Xmx to the measured live set plus headroom; fix the retaining references the dump shows.'],
  },
  'memory/java-metaspace': {
    hint: 'The JVM ran out of Metaspace: too many classes loaded, often a class-loader leak on redeploys.',
    actions: ['Restart the JVM; count loaded classes with jcmd GC.class_stats or a heap dump.'],
    prevention: ['Set -XX:MaxMetaspaceSize deliberately and fix class-loader leaks (redeploys without restart).'],
  },
  'memory/js-heap': {
    hint: "Node's V8 heap reached its limit (--max-old-space-size) and the process aborted.",
    actions: ['Restart the process; capture a heap snapshot (--heapsnapshot-near-heap-limit) next time.'],
    prevention: ['Raise --max-old-space-size to what the host allows, and find the growth in heap snapshots.'],
  },
  'memory/out-of-memory': {
    hint: (d) => `The program could not allocate memory${at(d)}.`,
    actions: ['Check host memory (free -m) and the process size at the time.', 'Process the data in smaller pieces.'],
    prevention: ['Bound input sizes and batch sizes; monitor the process RSS.'],
  },
  'memory/allocation-failure': {
    hint: (d) => `An allocation failed (ENOMEM) in ${who(d)}: memory or overcommit limits were reached.`,
    actions: ['Check free memory, vm.overcommit_memory and the process limits (ulimit -v).'],
    prevention: [
      'Leave headroom for fork-based saves (Redis, PostgreSQL) or set vm.overcommit_memory=1 where documented.',
    ],
  },
  'memory/redis-maxmemory': {
    hint: 'Redis reached maxmemory and its eviction policy refuses writes (noeviction).',
    actions: ['Check INFO memory; delete or expire keys, or raise maxmemory.'],
    prevention: ['Choose an eviction policy (allkeys-lru) for caches and set TTLs on keys.'],
  },
  'memory/leak-hint': {
    hint: 'The program reports a probable leak: memory or listeners that are never released.',
    actions: ['Follow the stack or resource named in the warning and release it.'],
    prevention: ['Track process memory over time; alert on steady growth.'],
  },
  'disk/no-space': {
    hint: (d) => `The disk${where(d)} is full (ENOSPC): writes fail until space is freed.`,
    actions: [
      (d) =>
        `Free space on the filesystem${d.path ? ` holding ${d.path}` : ''}: df -h, then du -xh --max-depth=1 to find what grew.`,
      'Check inodes too (df -i): ENOSPC also means no free inodes.',
      'Remove rotated logs, old backups and caches; restart services that failed to write.',
    ],
    prevention: ['Alert at 80% and 90% usage; rotate and compress logs; keep data and logs on separate filesystems.'],
  },
  'disk/quota': {
    hint: (d) => `A disk quota was exceeded${d.path ? ` writing ${d.path}` : ''}.`,
    actions: ['Check the quota (quota -v, repquota) and clean up or raise it.'],
    prevention: ['Warn users near their quota; size quotas to the workload.'],
  },
  'disk/read-only': {
    hint: (d) => `The filesystem${where(d)} is read-only: the kernel remounted it after errors, or it was mounted so.`,
    actions: [
      'Read the kernel log for the filesystem error before the remount.',
      'Check the disk (smartctl -a) and run fsck from maintenance mode.',
    ],
    prevention: ['Monitor SMART health and kernel I/O errors; replace failing disks early.'],
  },
  'disk/io-error': {
    hint: (d) =>
      `I/O errors on ${d.target ?? d.path ?? 'a disk'}: the device or its path (cable, controller) is failing.`,
    actions: [
      'Check smartctl -a and the kernel log; copy off important data now.',
      'Fail the disk out of its RAID set if it is in one.',
    ],
    prevention: ['Run SMART monitoring (smartd) and regular scrubs; keep tested backups.'],
  },
  'disk/filesystem-error': {
    hint: (d) => `The filesystem on ${d.target ?? 'a device'} reports corruption.`,
    actions: ['Unmount and run fsck (or xfs_repair); restore damaged files from backup.'],
    prevention: ['Use disks with power-loss protection; monitor for I/O errors that precede corruption.'],
  },
  'database/deadlock': {
    hint: (d) =>
      `Two transactions waited on each other's locks and ${database(d, 'the database')} aborted one (deadlock).`,
    actions: ['Retry the aborted transaction; read the deadlock report for the two statements involved.'],
    prevention: ['Take locks in the same order everywhere, keep transactions short, and index foreign keys.'],
  },
  'database/lock-timeout': {
    hint: (d) =>
      `A statement waited too long for a lock held by another transaction in ${database(d, 'the database')}.`,
    actions: ['Find the blocking session (pg_stat_activity / SHOW ENGINE INNODB STATUS) and end it if stuck.'],
    prevention: ['Avoid long transactions and idle-in-transaction sessions; batch large updates.'],
  },
  'database/query-timeout': {
    hint: 'A query ran past its time limit and was cancelled.',
    actions: ['Run EXPLAIN (ANALYZE) on the statement and look for missing indexes.'],
    prevention: ['Index the filtered columns; paginate large reads; set timeouts per workload.'],
  },
  'database/too-many-connections': {
    hint: (d) => `${database(d, 'The database')} refused connections: all its connection slots are in use.`,
    actions: ['List connections by client and state; close idle ones; restart a leaking client.'],
    prevention: ['Put a pooler in front (PgBouncer, ProxySQL) and size application pools below the server limit.'],
  },
  'database/authentication': {
    hint: (d) =>
      `A client failed to authenticate to ${database(d, 'the database')}${d.target ? ` as or from ${d.target}` : ''}.`,
    actions: [
      'Check the credentials the client uses and the server access rules (pg_hba.conf, mysql.user).',
      'If the client is unknown, treat it as an attack and block its address.',
    ],
    prevention: ['Keep credentials in a secret store; restrict database access to known networks.'],
  },
  'database/connection': {
    hint: (d) =>
      `The client could not connect to ${database(d, 'the database')}${d.target ? ` at ${d.target}` : d.path ? ` on ${d.path}` : ''}: it is down, unreachable or refusing.`,
    actions: ['Check the server is running and listening (ss -ltnp), and reachable from the client.'],
    prevention: ['Monitor database liveness; give clients retries with backoff.'],
  },
  'database/connection-lost': {
    hint: 'An established database connection was dropped (server restart, timeout, network or packet size).',
    actions: ['Check the server log at that time for restarts; check wait_timeout and max_allowed_packet.'],
    prevention: ['Validate pooled connections before use; reconnect with backoff.'],
  },
  'database/unique-violation': {
    hint: (d) => `An insert or update would duplicate a unique key${d.target ? ` (${d.target})` : ''}.`,
    actions: ['Find the code path that inserts twice; it is often a retried request or a race.'],
    prevention: ['Use upserts (ON CONFLICT / ON DUPLICATE KEY) or idempotency keys.'],
  },
  'database/foreign-key-violation': {
    hint: (d) =>
      `A row references a missing parent row${d.target ? ` (${d.target})` : ''}, or a parent with children was deleted.`,
    actions: ['Check the order of inserts and deletes in the failing transaction.'],
    prevention: ['Insert parents first; use ON DELETE rules that match the data model.'],
  },
  'database/syntax': {
    hint: (d) =>
      `A statement has a SQL syntax error${d.target ? ` near "${d.target}"` : ''}: a code bug, or injected input.`,
    actions: ['Find the statement in the application; if it holds user input, check for SQL injection.'],
    prevention: ['Use parameterised queries only.'],
  },
  'database/missing-relation': {
    hint: (d) =>
      `A table or relation${d.target ? ` "${d.target}"` : ''} does not exist: a migration did not run, or the wrong schema is used.`,
    actions: ['Run pending migrations; check the search_path / database the client connects to.'],
    prevention: ['Run migrations as part of deployment and check them in CI.'],
  },
  'database/missing-database': {
    hint: (d) => `The database${d.target ? ` "${d.target}"` : ''} does not exist on the server the client reached.`,
    actions: ['Check the connection string; create the database or restore it.'],
    prevention: ['Provision databases with the deployment, not by hand.'],
  },
  'database/unavailable': {
    hint: (d) => `${database(d, 'The database')} is starting, shutting down or recovering and refuses work.`,
    actions: ['Wait for recovery to finish and check why it restarted (crash, OOM kill, failover).'],
    prevention: ['Make clients retry during restarts; investigate unplanned restarts.'],
  },
  'database/persistence': {
    hint: 'Redis cannot write its RDB snapshot and refuses writes (MISCONF): disk full, permissions, or fork failing for memory.',
    actions: ['Check the Redis log for the save error, free disk or memory, then BGSAVE.'],
    prevention: ['Monitor rdb_last_bgsave_status; leave memory for the fork.'],
  },
  'database/readonly-replica': {
    hint: 'A client wrote to a read-only replica: it points at a replica, or a failover demoted its primary.',
    actions: ['Point the client at the current primary (ROLE / sentinel get-master-addr-by-name).'],
    prevention: ['Connect through sentinel or a proxy that follows failovers.'],
  },
  'database/not-null-violation': {
    hint: (d) => `A row was written without a required value${d.target ? ` (${d.target})` : ''}.`,
    actions: ['Find the code path that leaves the column empty.'],
    prevention: ['Validate input before writing; give columns defaults where one makes sense.'],
  },
  'database/serialization-failure': {
    hint: 'A serializable transaction conflicted with a concurrent one and was rolled back.',
    actions: ['Retry the transaction; it is expected under SERIALIZABLE isolation.'],
    prevention: ['Wrap serializable transactions in a retry loop; keep them short.'],
  },
  'database/corruption': {
    hint: 'The database file is corrupt.',
    actions: ['Stop writers, take a copy, run the integrity check and restore from backup.'],
    prevention: ['Keep databases on reliable storage and back them up with verified restores.'],
  },
  'resource/too-many-open-files': {
    hint: (d) => `${who(d)} reached its open-file limit (EMFILE): the limit is too low, or descriptors leak.`,
    actions: [
      (d) => `Count its descriptors (ls /proc/${d.pid ?? '<pid>'}/fd | wc -l) against ulimit -n / LimitNOFILE.`,
    ],
    prevention: ['Raise LimitNOFILE for the service; close sockets and files on every path.'],
  },
  'resource/file-table-full': {
    hint: 'The system-wide file table is full (ENFILE, fs.file-max).',
    actions: ["Find the processes holding most descriptors (lsof | awk '{print $2}' | sort | uniq -c)."],
    prevention: ['Raise fs.file-max and fix the leaking process.'],
  },
  'resource/thread-limit': {
    hint: 'A thread could not be created: the process hit its thread/process limit or address space.',
    actions: ['Count threads (ls /proc/<pid>/task | wc -l) against ulimit -u, TasksMax and kernel.threads-max.'],
    prevention: ['Use bounded thread pools; raise TasksMax where justified.'],
  },
  'resource/process-limit': {
    hint: (d) => `fork failed: the user or cgroup${d.target ? ` ${d.target}` : ''} reached its process limit.`,
    actions: ['Count processes per user (ps -eLf | wc -l) against ulimit -u and pids.max.'],
    prevention: ['Raise the limit deliberately and look for runaway process creation.'],
  },
  'resource/temporarily-unavailable': {
    hint: 'A call returned EAGAIN: a resource was briefly exhausted (often a non-blocking socket or a process limit).',
    actions: ['Check whether it repeats under load; correlate with process and thread counts.'],
    prevention: ['Retry with backoff where EAGAIN is expected.'],
  },
  'resource/worker-limit': {
    hint: (d) =>
      `Every worker${d.target ? ` of ${d.target}` : ''} was busy: new requests queued or were refused (a slow dependency, a traffic spike or too small a pool).`,
    actions: [
      'Check whether requests got slow at the same minutes (upstream timeouts, database locks) before raising the limit.',
    ],
    prevention: [
      'Size the pool (pm.max_children, MaxRequestWorkers, worker_connections) to the memory each worker needs.',
    ],
  },
  'resource/conntrack-full': {
    hint: "The kernel's connection-tracking table is full and new connections are dropped.",
    actions: ['Check nf_conntrack_count against nf_conntrack_max; look for a flood from few sources.'],
    prevention: ['Raise nf_conntrack_max and shorten timeouts; skip tracking for high-volume stateless traffic.'],
  },
  'resource/syn-backlog': {
    hint: (d) => `The listen backlog on port ${d.target ?? '?'} overflowed: a SYN flood or too slow an accept loop.`,
    actions: ['Check the sources of the SYNs (ss -n state syn-recv) and block a flood at the edge.'],
    prevention: ['Keep tcp_syncookies on; raise somaxconn and the service backlog.'],
  },
  'resource/socket-memory': {
    hint: 'The kernel ran out of TCP buffer memory (tcp_mem).',
    actions: ['Check /proc/net/sockstat for orphans and memory; find connections with full buffers.'],
    prevention: ['Tune net.ipv4.tcp_mem for the host memory.'],
  },
  'network/connection-refused': {
    hint: (d) =>
      `Nothing accepted the connection${d.target ? ` to ${d.target}` : ''}: the service is down or not listening there.`,
    actions: [(d) => `Check the service behind ${target(d, 'the address')} is running and listening (ss -ltnp).`],
    prevention: ['Monitor the dependency; add retries with backoff and a circuit breaker.'],
  },
  'network/connection-reset': {
    hint: (d) =>
      `The peer${d.target ? ` ${d.target}` : ''} reset the connection (crash, restart, proxy or idle timeout).`,
    actions: ["Check the peer's logs at the same time for restarts and timeouts."],
    prevention: ['Align keep-alive and idle timeouts between client, proxy and server.'],
  },
  'network/timeout': {
    hint: (d) =>
      `A connection or request${d.target ? ` to ${d.target}` : ''} timed out: the peer is overloaded, slow or unreachable.`,
    actions: ['Check the latency and load of the peer; check packet loss on the path.'],
    prevention: ['Set explicit timeouts per dependency and alert on their rate.'],
  },
  'network/connection-failed': {
    hint: (d) =>
      `A connection to the peer${d.target ? ` ${d.target}` : ''} failed or broke: the peer is down, restarting, or the network between is failing.`,
    actions: ['Check the peer process and the network path; look for restarts at the same time on the peer.'],
    prevention: ['Monitor cluster membership and peer connectivity; alert when a peer stays away.'],
  },
  'network/proxy-failure': {
    hint: (d) =>
      `The client could not get through the proxy${d.target ? ` ${d.target}` : ''}${d.message ? `: ${d.message}` : ''}.`,
    actions: ['Check the proxy is reachable and accepts the client; check the status it returns.'],
    prevention: ['Monitor the proxy and keep a fallback route where the proxy is optional.'],
  },
  'network/host-unreachable': {
    hint: (d) => `No route to ${d.target ?? 'the host'}: it is down, or a firewall rejects the traffic.`,
    actions: ['Ping and traceroute the host; check firewall rules on both sides.'],
    prevention: ['Monitor host reachability.'],
  },
  'network/network-unreachable': {
    hint: 'The network is unreachable: no route (interface down, missing default route, IPv6 without connectivity).',
    actions: ['Check ip addr, ip route and the interface state.'],
    prevention: ['Monitor links and routes.'],
  },
  'network/dns-failure': {
    hint: (d) =>
      `The name ${d.target ? `${d.target} ` : ''}could not be resolved: a DNS server problem or a wrong name.`,
    actions: ['Query the name with dig against the configured resolver (resolvectl status).'],
    prevention: ['Run a local caching resolver; monitor DNS resolution of critical names.'],
  },
  'network/tls-certificate': {
    hint: 'A TLS certificate was refused: expired, self-signed, untrusted CA or a wrong host name.',
    actions: ['Inspect the chain: openssl s_client -connect host:443 -showcerts.'],
    prevention: ['Automate renewal (ACME) and alert on expiry 30 days ahead.'],
  },
  'network/tls-handshake': {
    hint: 'A TLS handshake failed: protocol or cipher mismatch, plain HTTP on a TLS port, or a scanner.',
    actions: ['Compare the client and server TLS versions and ciphers; check who connects.'],
    prevention: ['Keep TLS settings to current recommendations on both sides.'],
  },
  'network/address-in-use': {
    hint: (d) =>
      `The port${d.target ? ` ${d.target}` : ''} is already taken by another process, so the service cannot bind.`,
    actions: ['Find the owner (ss -ltnp) and stop the duplicate instance.'],
    prevention: ['Use systemd socket activation or one instance per port.'],
  },
  'network/broken-pipe': {
    hint: 'The peer closed the connection while data was being written (client gone away).',
    actions: ['Usually harmless in bursts; check for client timeouts shorter than response times.'],
    prevention: ['Keep response times below client timeouts.'],
  },
  'permission/access-denied': {
    hint: (d) =>
      `${who(d)} was denied access${d.path ? ` to ${d.path}` : ''} (EACCES): wrong owner, mode or parent directory permissions.`,
    actions: [(d) => `Check namei -l ${d.path ?? '<path>'} and the user the service runs as.`],
    prevention: ['Set ownership in the deployment (tmpfiles.d, packaging), not by hand.'],
  },
  'permission/forbidden-by-rule': {
    hint: (d) =>
      `The web server refused a request by its access rules${d.path ? ` for ${d.path}` : ''}: usually a scanner probing, sometimes a wrong rule.`,
    actions: ['Look at the clients asking: many distinct paths from one address is a scan.'],
    prevention: ['Keep directory listings off and deny rules explicit; block persistent scanners.'],
  },
  'permission/not-permitted': {
    hint: (d) =>
      `An operation was not permitted (EPERM) for ${who(d)}${d.path ? ` on ${d.path}` : ''}: it needs a capability or root.`,
    actions: ['Check the capabilities and the user of the service; check immutable attributes (lsattr).'],
    prevention: ['Grant the specific capability (AmbientCapabilities=) rather than root.'],
  },
  'permission/missing-path': {
    hint: (d) => `A file the program needs is missing${d.path ? `: ${d.path}` : ''}.`,
    actions: ['Restore the file or fix the configured path; check the working directory of the service.'],
    prevention: ['Ship configuration with the deployment and check required paths at start-up.'],
  },
  'permission/selinux-denied': {
    hint: (d) => `SELinux denied ${who(d)} access${d.path ? ` to ${d.path}` : ''}.`,
    actions: ['Read the denial with ausearch -m avc and fix the file context (restorecon) or a boolean.'],
    prevention: ['Label data directories with semanage fcontext.'],
  },
  'permission/apparmor-denied': {
    hint: (d) => `AppArmor denied ${who(d)} access${d.path ? ` to ${d.path}` : ''}.`,
    actions: ['Add the path to the profile (or its local override) and reload it.'],
    prevention: ['Keep profiles in step with configured data paths.'],
  },
  'system/kernel-panic': {
    hint: (d) => `The kernel panicked${d.message ? `: ${d.message}` : ''}; the host stopped.`,
    actions: ['Recover the console or kdump output; check recent kernel, driver and hardware changes.'],
    prevention: ['Configure kdump and panic=10 for an automatic reboot; keep firmware and kernel updated.'],
  },
  'system/kernel-oops': {
    hint: 'The kernel hit a bug (oops): a driver or kernel fault, sometimes faulty memory.',
    actions: ['Save the full oops with its call trace; check for a fixed kernel; run a memory test.'],
    prevention: ['Keep the kernel updated; report reproducible oopses upstream.'],
  },
  'system/lockup': {
    hint: (d) =>
      `A CPU was stuck in kernel code${d.process ? ` (${d.process})` : ''}: a kernel bug or a hypervisor stall.`,
    actions: ['Check the host or hypervisor for CPU steal; save the trace.'],
    prevention: ['Update the kernel; avoid CPU overcommit on the hypervisor.'],
  },
  'system/hung-task': {
    hint: (d) => `${who(d)} was blocked on I/O for minutes: storage or NFS stopped responding.`,
    actions: ['Check disk latency (iostat -x) and remote filesystems.'],
    prevention: ['Monitor storage latency; mount remote filesystems with timeouts.'],
  },
  'system/hardware-error': {
    hint: 'The CPU or memory reported a hardware error (MCE/EDAC).',
    actions: ['Read the decoded events (rasdaemon, mcelog); plan to replace the part.'],
    prevention: ['Use ECC memory and monitor corrected-error counts.'],
  },
  'system/segfault': {
    hint: (d) =>
      `${who(d)} crashed with a segmentation fault${d.path ? ` in ${d.path}` : ''}: a bug in it or a library, or corrupt memory.`,
    actions: [
      'Get the core dump (coredumpctl) and a backtrace (gdb); check recent upgrades of the program and its libraries.',
    ],
    prevention: ['Keep programs and libraries at matching versions; report reproducible crashes.'],
  },
  'system/crash': {
    hint: (d) =>
      `${who(d)} died on a CPU trap${d.message ? ` (${d.message})` : ''}: a bug or a binary built for another CPU.`,
    actions: ['Get a backtrace from the core dump.'],
    prevention: ['Build for the CPUs you run on; update the program.'],
  },
  'system/core-dump': {
    hint: (d) => `${who(d)} crashed and dumped core${d.code ? ` (${d.code})` : ''}.`,
    actions: ['List and open the dump: coredumpctl list / coredumpctl gdb.'],
    prevention: ['Fix the crash from the backtrace; restart policies only hide it.'],
  },
  'system/assertion': {
    hint: (d) =>
      `An internal check failed${d.message ? ` (${d.message})` : ''}${at(d)}: the program found its own state inconsistent.`,
    actions: ['Report it with the input that triggered it; look for data corruption upstream.'],
    prevention: ['Validate inputs before they reach internal invariants.'],
  },
  'system/unit-failed': {
    hint: (d) =>
      `${d.process ? `The systemd unit ${d.process}` : 'A systemd unit'} failed${d.code ? ` (${d.code})` : ''}.`,
    actions: [(d) => `Read its log: journalctl -u ${d.process ?? '<unit>'} -b, and systemctl status.`],
    prevention: ['Fix the cause in the log rather than raising restart limits.'],
  },
  'system/worker-timeout': {
    hint: (d) =>
      `A request ran past ${d.service ?? 'the application server'}'s time limit and its worker${d.pid !== undefined ? ` (pid ${d.pid})` : ''} was killed${d.path ? ` in ${d.path}` : ''}: a slow query, a hung call to a dependency or a request too big for the limit.`,
    actions: [
      'Find the request in the access and application logs at that minute; check its dependencies (database, upstream APIs) for slowness.',
    ],
    prevention: ['Put timeouts on every call to a dependency below the worker limit; move long jobs to a queue.'],
  },
  'system/worker-error': {
    hint: (d) =>
      `Apache's connector to its backend workers (mod_jk) reports a worker in error state${d.code ? ` ${d.code}` : ''}: the Tomcat backend is down or unreachable.`,
    actions: ['Check the backend (Tomcat) is running and reachable on its AJP port; read workers2.properties.'],
    prevention: ['Monitor the backend; configure worker retries and health checks.'],
  },
  'system/http-5xx': {
    hint: (d) =>
      `The server answered HTTP ${d.code ?? '5xx'}${d.target ? ` (first for ${d.target})` : ''}: the application or its upstream failed.`,
    actions: ['Read the application and proxy error logs at the same minutes; check upstream health.'],
    prevention: ['Alert on the 5xx rate; add health checks and capacity for peaks.'],
  },
};

/** Advice per category when the sub-kind has none of its own. */
const BY_CATEGORY: Readonly<Record<ErrorCategory, AdviceRow>> = {
  exception: {
    hint: (d) =>
      `An unhandled ${d.type ?? 'exception'}${at(d)}${d.chain && d.chain.length > 1 ? ` ${d.chainKind === 'during-handling' ? 'raised while handling' : 'caused by'} ${d.chain[0]}` : ''}${d.message ? `: ${sentence(d.message)}` : ''}.`,
    actions: ['Reproduce with the request or input logged around it; fix or handle the case in the code.'],
    prevention: ['Add a test for the failing case; report exceptions to an error tracker.'],
  },
  database: {
    hint: (d) => `${database(d, 'The database')} returned an error${d.code ? ` (${d.code})` : ''}.`,
    actions: ['Read the server log around this time for the statement and session.'],
    prevention: ['Handle database errors explicitly in the client, with retries where safe.'],
  },
  memory: {
    hint: 'Memory ran short.',
    actions: ['Check free -m and the biggest processes.'],
    prevention: ['Set memory limits and alerts.'],
  },
  disk: {
    hint: 'A storage error occurred.',
    actions: ['Check df -h and the kernel log.'],
    prevention: ['Monitor disks.'],
  },
  network: {
    hint: 'A network error occurred.',
    actions: ['Check connectivity to the peer.'],
    prevention: ['Add retries with backoff.'],
  },
  permission: {
    hint: 'Access was refused.',
    actions: ['Check owners and modes.'],
    prevention: ['Manage permissions in the deployment.'],
  },
  resource: {
    hint: 'A system limit was reached.',
    actions: ['Compare usage with the limits (ulimit -a).'],
    prevention: ['Size limits to the workload.'],
  },
  system: {
    hint: 'A system-level failure occurred.',
    actions: ['Read the kernel and systemd logs around it.'],
    prevention: ['Keep the system updated.'],
  },
  other: {
    hint: (d) =>
      `${d.service ?? d.process ?? 'A program'} logged an error no recogniser explains${
        d.codeKind === 'errno' && d.code && errnoText(d.code) ? ` (${d.code}: ${errnoText(d.code)})` : ''
      }.`,
    actions: ['Read the lines around it in the log.'],
    prevention: ['If it matters, add a recogniser row for it.'],
  },
};

function render(text: Text, details: ErrorDetails): string {
  return typeof text === 'string' ? text : text(details);
}

/** The advice for an error of `category/subkind` with `details`. */
export function adviceFor(category: ErrorCategory, subkind: string, details: ErrorDetails): ErrorAdvice {
  const row = ADVICE[`${category}/${subkind}`] ?? BY_CATEGORY[category];
  return {
    hint: render(row.hint, details),
    actions: row.actions.map((text) => render(text, details)),
    prevention: row.prevention.map((text) => render(text, details)),
  };
}

/** Whether a `category/subkind` has advice of its own (not only its category's). */
export function hasOwnAdvice(category: ErrorCategory, subkind: string): boolean {
  return `${category}/${subkind}` in ADVICE;
}
