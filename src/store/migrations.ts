/**
 * The store's schema as a history of migrations. A store records the
 * versions it has applied in `schema_version`; opening it applies the ones it
 * lacks, in order, each in one transaction, so a store written by an older
 * logsleuth opens with a newer one. A migration, once released, never changes:
 * a new column or table is a new migration appended to the list.
 */

/** One step of the schema: SQL statements run in order, in one transaction. */
export interface Migration {
  version: number;
  description: string;
  statements: readonly string[];
}

/** Columns every row carries: which run wrote it, on which host. */
const RUN = 'run_id VARCHAR NOT NULL, host VARCHAR NOT NULL';

const TABLES_V1: readonly string[] = [
  `CREATE TABLE runs (
    id VARCHAR PRIMARY KEY, host VARCHAR NOT NULL, started TIMESTAMP NOT NULL, finished TIMESTAMP,
    version VARCHAR, command VARCHAR NOT NULL, inputs JSON)`,
  // bronze: as collected
  `CREATE TABLE bronze_lines (${RUN}, source VARCHAR NOT NULL, line BIGINT, byte_offset BIGINT,
    read_at TIMESTAMP NOT NULL, raw VARCHAR NOT NULL)`,
  `CREATE TABLE bronze_proc_samples (${RUN}, sampled_at TIMESTAMP NOT NULL, path VARCHAR NOT NULL,
    content VARCHAR NOT NULL)`,
  // silver: cleaned and typed
  `CREATE TABLE silver_events (${RUN}, ts TIMESTAMP, source VARCHAR NOT NULL, line BIGINT, format VARCHAR,
    event_host VARCHAR, program VARCHAR, pid INTEGER, service VARCHAR, level VARCHAR, action VARCHAR,
    outcome VARCHAR, ip VARCHAR, port INTEGER, "user" VARCHAR, domain VARCHAR, message VARCHAR,
    hostile BOOLEAN NOT NULL, template_id VARCHAR, fields JSON)`,
  `CREATE TABLE silver_process_samples (${RUN}, sampled_at TIMESTAMP NOT NULL, pid INTEGER NOT NULL,
    ppid INTEGER, start_time TIMESTAMP, name VARCHAR, cmdline VARCHAR, uid INTEGER, "user" VARCHAR,
    state VARCHAR, cpu_ticks BIGINT, cpu_percent DOUBLE, rss BIGINT, read_bytes BIGINT, write_bytes BIGINT,
    fds INTEGER, threads INTEGER, voluntary_ctxt BIGINT, nonvoluntary_ctxt BIGINT)`,
  `CREATE TABLE silver_socket_samples (${RUN}, sampled_at TIMESTAMP NOT NULL, proto VARCHAR NOT NULL,
    local_address VARCHAR, local_port INTEGER, remote_address VARCHAR, remote_port INTEGER, state VARCHAR,
    inode BIGINT, uid INTEGER, pid INTEGER, owner_pids JSON)`,
  `CREATE TABLE silver_system_samples (${RUN}, sampled_at TIMESTAMP NOT NULL, cpu_percent DOUBLE,
    load1 DOUBLE, load5 DOUBLE, load15 DOUBLE, mem_total BIGINT, mem_available BIGINT, mem_used_percent DOUBLE,
    swap_total BIGINT, swap_free BIGINT, disks JSON, disk_read_bytes BIGINT, disk_write_bytes BIGINT,
    net_rx_bytes BIGINT, net_tx_bytes BIGINT)`,
  // gold: dimensions and facts for querying
  `CREATE TABLE gold_cases (${RUN}, ip VARCHAR NOT NULL, score DOUBLE NOT NULL, blacklisted BOOLEAN NOT NULL,
    classification VARCHAR, first_seen TIMESTAMP, last_seen TIMESTAMP, services JSON, reasons JSON,
    counts JSON)`,
  `CREATE TABLE gold_findings (${RUN}, kind VARCHAR NOT NULL, key VARCHAR NOT NULL, tracer VARCHAR,
    "at" TIMESTAMP, data JSON, caused_by JSON)`,
  `CREATE TABLE gold_chains (${RUN}, kind VARCHAR NOT NULL, ip VARCHAR, service VARCHAR, summary VARCHAR,
    severity DOUBLE, start_at TIMESTAMP, end_at TIMESTAMP, steps JSON, details JSON)`,
  `CREATE TABLE gold_errors (${RUN}, signature VARCHAR NOT NULL, template VARCHAR, category VARCHAR,
    severity DOUBLE, count BIGINT, first_at TIMESTAMP, last_at TIMESTAMP, details JSON)`,
  `CREATE TABLE gold_dim_process (${RUN}, pid INTEGER NOT NULL, start_time TIMESTAMP, name VARCHAR,
    cmdline VARCHAR, "user" VARCHAR, first_seen TIMESTAMP, last_seen TIMESTAMP)`,
  `CREATE TABLE gold_fact_process (${RUN}, sampled_at TIMESTAMP NOT NULL, pid INTEGER NOT NULL,
    start_time TIMESTAMP, cpu_percent DOUBLE, rss BIGINT)`,
  `CREATE TABLE gold_fact_connection (${RUN}, sampled_at TIMESTAMP NOT NULL, remote_address VARCHAR NOT NULL,
    connections BIGINT, states JSON, owner_pids JSON)`,
];

/** The ready-made questions, as views (documented in docs/store.md). */
const VIEWS_V2: readonly string[] = [
  `CREATE VIEW top_suspects AS
    SELECT ip, count(DISTINCT run_id) AS runs, max(score) AS max_score, bool_or(blacklisted) AS ever_blacklisted,
      min(first_seen) AS first_seen, max(last_seen) AS last_seen, list_distinct(flatten(list(
        CAST(services AS VARCHAR[])))) AS services
    FROM gold_cases GROUP BY ip ORDER BY max_score DESC, runs DESC, ip`,
  `CREATE VIEW address_history AS
    SELECT 'event' AS what, e.run_id, e.host, e.ip, e.ts AS at, e.service, e.action AS detail, e.message
      FROM silver_events e WHERE e.ip IS NOT NULL
    UNION ALL
    SELECT 'case', c.run_id, c.host, c.ip, c.last_seen, NULL, CAST(c.score AS VARCHAR),
      CAST(c.reasons AS VARCHAR) FROM gold_cases c
    UNION ALL
    SELECT 'connection', s.run_id, s.host, s.remote_address, s.sampled_at, s.proto, s.state,
      CAST(s.pid AS VARCHAR) FROM silver_socket_samples s`,
  `CREATE VIEW suspect_processes AS
    SELECT c.ip, s.run_id, s.host, s.pid, p.name, p.cmdline, p."user", min(s.sampled_at) AS first_seen,
      max(s.sampled_at) AS last_seen, count(*) AS samples
    FROM gold_cases c
    JOIN silver_socket_samples s ON s.remote_address = c.ip AND s.host = c.host
    LEFT JOIN silver_process_samples p ON p.run_id = s.run_id AND p.pid = s.pid AND p.sampled_at = s.sampled_at
    WHERE s.pid IS NOT NULL
    GROUP BY ALL`,
  `CREATE VIEW errors_per_hour AS
    SELECT host, date_trunc('hour', ts) AS hour, service, count(*) AS errors
    FROM silver_events WHERE level IN ('emerg', 'alert', 'crit', 'error') AND ts IS NOT NULL
    GROUP BY ALL ORDER BY hour, host, service`,
  `CREATE VIEW process_usage AS
    SELECT f.run_id, f.host, f.pid, d.name, d.cmdline, f.sampled_at, f.cpu_percent, f.rss
    FROM gold_fact_process f
    LEFT JOIN gold_dim_process d ON d.run_id = f.run_id AND d.pid = f.pid
      AND d.start_time IS NOT DISTINCT FROM f.start_time`,
];

const EVENT_OFFSETS_V3: readonly string[] = [`ALTER TABLE silver_events ADD COLUMN byte_offset BIGINT`];

const TRACES_V4: readonly string[] = [
  `CREATE TABLE gold_syscalls (${RUN}, name VARCHAR NOT NULL, calls BIGINT, errors BIGINT, errnos JSON,
    total_seconds DOUBLE, avg_seconds DOUBLE, p95_seconds DOUBLE, max_seconds DOUBLE, share DOUBLE)`,
  `CREATE TABLE gold_trace_paths (${RUN}, path VARCHAR NOT NULL, accesses BIGINT, opens BIGINT, stats BIGINT,
    reads BIGINT, writes BIGINT, unlinks BIGINT, execs BIGINT, bytes_read BIGINT, bytes_written BIGINT,
    errors BIGINT)`,
  `CREATE TABLE gold_trace_peers (${RUN}, ip VARCHAR NOT NULL, port INTEGER, protocol VARCHAR, connects BIGINT,
    accepts BIGINT, sends BIGINT, recvs BIGINT, bytes_sent BIGINT, bytes_received BIGINT, failures BIGINT,
    pids JSON)`,
];

const FLOWS_V5: readonly string[] = [
  `CREATE TABLE gold_flows (${RUN}, protocol VARCHAR NOT NULL, initiator VARCHAR NOT NULL, initiator_port INTEGER,
    responder VARCHAR NOT NULL, responder_port INTEGER, packets_out BIGINT, bytes_out BIGINT, packets_in BIGINT,
    bytes_in BIGINT, first_at TIMESTAMP, last_at TIMESTAMP, tcp_flags JSON, handshake_completed BOOLEAN,
    reset_by VARCHAR)`,
];

const FLEET_CASES_V6: readonly string[] = [`ALTER TABLE gold_cases ADD COLUMN fleet JSON`];

/**
 * The JetStream messages whose events a collector stored, committed with the
 * events: a message redelivered after a crash is found here and not stored again.
 */
const FLEET_MESSAGES_V7: readonly string[] = [
  `CREATE TABLE fleet_messages (${RUN}, stream VARCHAR NOT NULL, seq BIGINT NOT NULL, events BIGINT NOT NULL,
    PRIMARY KEY (stream, seq))`,
  `CREATE VIEW fleet_events AS
    SELECT e.* FROM silver_events e JOIN runs r ON r.id = e.run_id WHERE r.command = 'collect'`,
];

/**
 * A collector's run holds the samples of many hosts, whose pids overlap: a
 * process is its host's, and a fleet case (on the collector's host) meets the
 * sockets of its own run's agents.
 */
const HOST_VIEWS_V8: readonly string[] = [
  `CREATE OR REPLACE VIEW suspect_processes AS
    SELECT c.ip, s.run_id, s.host, s.pid, p.name, p.cmdline, p."user", min(s.sampled_at) AS first_seen,
      max(s.sampled_at) AS last_seen, count(*) AS samples
    FROM gold_cases c
    JOIN silver_socket_samples s ON s.remote_address = c.ip AND (s.host = c.host OR s.run_id = c.run_id)
    LEFT JOIN silver_process_samples p ON p.run_id = s.run_id AND p.host = s.host AND p.pid = s.pid
      AND p.sampled_at = s.sampled_at
    WHERE s.pid IS NOT NULL
    GROUP BY ALL`,
  `CREATE OR REPLACE VIEW process_usage AS
    SELECT f.run_id, f.host, f.pid, d.name, d.cmdline, f.sampled_at, f.cpu_percent, f.rss
    FROM gold_fact_process f
    LEFT JOIN gold_dim_process d ON d.run_id = f.run_id AND d.host = f.host AND d.pid = f.pid
      AND d.start_time IS NOT DISTINCT FROM f.start_time`,
];

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, description: 'runs, bronze, silver and gold tables', statements: TABLES_V1 },
  { version: 2, description: 'ready-made questions as views', statements: VIEWS_V2 },
  { version: 3, description: 'byte offset of each event', statements: EVENT_OFFSETS_V3 },
  { version: 4, description: "a traced program's system calls, paths and peers", statements: TRACES_V4 },
  { version: 5, description: "a packet capture's flows", statements: FLOWS_V5 },
  { version: 6, description: "a fleet case's evidence per host", statements: FLEET_CASES_V6 },
  {
    version: 7,
    description: "the fleet messages a collector stored, and the fleet's events",
    statements: FLEET_MESSAGES_V7,
  },
  { version: 8, description: "the process views per host (a collector's run has many)", statements: HOST_VIEWS_V8 },
];

/** The schema version this logsleuth writes. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
