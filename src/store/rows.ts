/**
 * What each table's writer appends: the column list (in table order) and the
 * row of values for one input object. Pure functions, no SQL.
 */
import type { LogEvent } from '../core/event';
import type { AnyFinding } from '../core/finding';
import type { ErrorRecurringData, EventChainData } from '../core/kinds';
import type { Case } from '../core/case';
import type { ColumnSpec, ColumnType } from './table-writer';

/** Columns from (name, type) pairs. */
export const spec = (list: [string, ColumnType][]): ColumnSpec[] => list.map(([name, type]) => ({ name, type }));
/** The columns every row starts with. */
export const RUN: [string, ColumnType][] = [
  ['run_id', 'varchar'],
  ['host', 'varchar'],
];

/** Which run and host every row belongs to. */
export interface RowContext {
  runId: string;
  host: string;
}

export const BRONZE_LINES = spec([
  ...RUN,
  ['source', 'varchar'],
  ['line', 'bigint'],
  ['byte_offset', 'bigint'],
  ['read_at', 'timestamp'],
  ['raw', 'varchar'],
]);

export const BRONZE_PROC_SAMPLES = spec([
  ...RUN,
  ['sampled_at', 'timestamp'],
  ['path', 'varchar'],
  ['content', 'varchar'],
]);

export const SILVER_EVENTS = spec([
  ...RUN,
  ['ts', 'timestamp'],
  ['source', 'varchar'],
  ['line', 'bigint'],
  ['format', 'varchar'],
  ['event_host', 'varchar'],
  ['program', 'varchar'],
  ['pid', 'integer'],
  ['service', 'varchar'],
  ['level', 'varchar'],
  ['action', 'varchar'],
  ['outcome', 'varchar'],
  ['ip', 'varchar'],
  ['port', 'integer'],
  ['user', 'varchar'],
  ['domain', 'varchar'],
  ['message', 'varchar'],
  ['hostile', 'boolean'],
  ['template_id', 'varchar'],
  ['fields', 'json'],
  ['byte_offset', 'bigint'],
]);

/** One silver_events row. The template id is the error tracer's, else the event's own when a parser gave one. */
export function eventRow(context: RowContext, event: LogEvent, templateId?: string): unknown[] {
  const template = templateId ?? event.fields?.['templateId'];
  return [
    context.runId,
    context.host,
    event.timestamp,
    event.source,
    event.line,
    event.format,
    event.host,
    event.program,
    event.pid,
    event.service,
    event.level,
    event.action,
    event.outcome,
    event.ip,
    event.port,
    event.user,
    event.domain,
    event.message,
    event.hostile,
    typeof template === 'string' ? template : undefined,
    event.fields,
    event.byteOffset,
  ];
}

/** The JetStream message a collector stored: its stream, sequence and how many events it held. */
export const FLEET_MESSAGES = spec([...RUN, ['stream', 'varchar'], ['seq', 'bigint'], ['events', 'bigint']]);

export const SILVER_PROCESS_SAMPLES = spec([
  ...RUN,
  ['sampled_at', 'timestamp'],
  ['pid', 'integer'],
  ['ppid', 'integer'],
  ['start_time', 'timestamp'],
  ['name', 'varchar'],
  ['cmdline', 'varchar'],
  ['uid', 'integer'],
  ['user', 'varchar'],
  ['state', 'varchar'],
  ['cpu_ticks', 'bigint'],
  ['cpu_percent', 'double'],
  ['rss', 'bigint'],
  ['read_bytes', 'bigint'],
  ['write_bytes', 'bigint'],
  ['fds', 'integer'],
  ['threads', 'integer'],
  ['voluntary_ctxt', 'bigint'],
  ['nonvoluntary_ctxt', 'bigint'],
]);

export const SILVER_SOCKET_SAMPLES = spec([
  ...RUN,
  ['sampled_at', 'timestamp'],
  ['proto', 'varchar'],
  ['local_address', 'varchar'],
  ['local_port', 'integer'],
  ['remote_address', 'varchar'],
  ['remote_port', 'integer'],
  ['state', 'varchar'],
  ['inode', 'bigint'],
  ['uid', 'integer'],
  ['pid', 'integer'],
  ['owner_pids', 'json'],
]);

export const SILVER_SYSTEM_SAMPLES = spec([
  ...RUN,
  ['sampled_at', 'timestamp'],
  ['cpu_percent', 'double'],
  ['load1', 'double'],
  ['load5', 'double'],
  ['load15', 'double'],
  ['mem_total', 'bigint'],
  ['mem_available', 'bigint'],
  ['mem_used_percent', 'double'],
  ['swap_total', 'bigint'],
  ['swap_free', 'bigint'],
  ['disks', 'json'],
  ['disk_read_bytes', 'bigint'],
  ['disk_write_bytes', 'bigint'],
  ['net_rx_bytes', 'bigint'],
  ['net_tx_bytes', 'bigint'],
]);

export const GOLD_CASES = spec([
  ...RUN,
  ['ip', 'varchar'],
  ['score', 'double'],
  ['blacklisted', 'boolean'],
  ['classification', 'varchar'],
  ['first_seen', 'timestamp'],
  ['last_seen', 'timestamp'],
  ['services', 'json'],
  ['reasons', 'json'],
  ['counts', 'json'],
  ['fleet', 'json'],
]);

export function caseRow(context: RowContext, suspect: Case): unknown[] {
  return [
    context.runId,
    context.host,
    suspect.ip,
    suspect.score,
    suspect.blacklisted,
    suspect.type,
    suspect.firstSeen,
    suspect.lastSeen,
    suspect.services,
    suspect.reasons,
    suspect.counts,
    suspect.fleet,
  ];
}

export const GOLD_FINDINGS = spec([
  ...RUN,
  ['kind', 'varchar'],
  ['key', 'varchar'],
  ['tracer', 'varchar'],
  ['at', 'timestamp'],
  ['data', 'json'],
  ['caused_by', 'json'],
]);

export function findingRow(context: RowContext, finding: AnyFinding): unknown[] {
  return [
    context.runId,
    context.host,
    finding.kind,
    finding.key,
    finding.tracer,
    finding.at,
    finding.data,
    finding.causedBy,
  ];
}

export const GOLD_CHAINS = spec([
  ...RUN,
  ['kind', 'varchar'],
  ['ip', 'varchar'],
  ['service', 'varchar'],
  ['summary', 'varchar'],
  ['severity', 'double'],
  ['start_at', 'timestamp'],
  ['end_at', 'timestamp'],
  ['steps', 'json'],
  ['details', 'json'],
]);

export function chainRow(context: RowContext, chain: EventChainData): unknown[] {
  return [
    context.runId,
    context.host,
    chain.kind,
    chain.ip,
    chain.service,
    chain.summary,
    chain.severity,
    chain.start,
    chain.end,
    chain.steps,
    chain.details,
  ];
}

export const GOLD_ERRORS = spec([
  ...RUN,
  ['signature', 'varchar'],
  ['template', 'varchar'],
  ['category', 'varchar'],
  ['severity', 'double'],
  ['count', 'bigint'],
  ['first_at', 'timestamp'],
  ['last_at', 'timestamp'],
  ['details', 'json'],
]);

export function errorRow(context: RowContext, error: ErrorRecurringData): unknown[] {
  return [
    context.runId,
    context.host,
    error.signature,
    error.template,
    error.category,
    error.severity,
    error.count,
    error.first,
    error.last,
    { ...error.details, subkind: error.subkind, level: error.level, hint: error.hint, actions: error.actions },
  ];
}
