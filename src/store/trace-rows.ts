/**
 * The gold tables of a traced program (`trace --store`): per system call,
 * per path and per network peer, as the trace report gives them. Pure
 * functions, no SQL; durations in seconds, as strace's `-T` prints them.
 */
import type { PathFigures, PeerFigures, SyscallFigures } from '../tracers/syscall';
import { RUN, type RowContext, spec } from './rows';

export const GOLD_SYSCALLS = spec([
  ...RUN,
  ['name', 'varchar'],
  ['calls', 'bigint'],
  ['errors', 'bigint'],
  ['errnos', 'json'],
  ['total_seconds', 'double'],
  ['avg_seconds', 'double'],
  ['p95_seconds', 'double'],
  ['max_seconds', 'double'],
  ['share', 'double'],
]);

export function syscallRow(context: RowContext, s: SyscallFigures): unknown[] {
  return [context.runId, context.host, s.name, s.count, s.errors, s.errnos, s.total, s.avg, s.p95, s.max, s.share];
}

export const GOLD_TRACE_PATHS = spec([
  ...RUN,
  ['path', 'varchar'],
  ['accesses', 'bigint'],
  ['opens', 'bigint'],
  ['stats', 'bigint'],
  ['reads', 'bigint'],
  ['writes', 'bigint'],
  ['unlinks', 'bigint'],
  ['execs', 'bigint'],
  ['bytes_read', 'bigint'],
  ['bytes_written', 'bigint'],
  ['errors', 'bigint'],
]);

export function tracePathRow(context: RowContext, p: PathFigures): unknown[] {
  return [
    context.runId,
    context.host,
    p.path,
    p.total,
    p.open,
    p.stat,
    p.read,
    p.write,
    p.unlink,
    p.exec,
    p.bytesRead,
    p.bytesWritten,
    p.errors,
  ];
}

export const GOLD_TRACE_PEERS = spec([
  ...RUN,
  ['ip', 'varchar'],
  ['port', 'integer'],
  ['protocol', 'varchar'],
  ['connects', 'bigint'],
  ['accepts', 'bigint'],
  ['sends', 'bigint'],
  ['recvs', 'bigint'],
  ['bytes_sent', 'bigint'],
  ['bytes_received', 'bigint'],
  ['failures', 'bigint'],
  ['pids', 'json'],
]);

export function tracePeerRow(context: RowContext, p: PeerFigures): unknown[] {
  return [
    context.runId,
    context.host,
    p.ip,
    p.port,
    p.protocol,
    p.connects,
    p.accepts,
    p.sends,
    p.recvs,
    p.bytesSent,
    p.bytesReceived,
    p.failures,
    p.pids,
  ];
}
