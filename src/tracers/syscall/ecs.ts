/**
 * One completed syscall as an Elastic Common Schema document, for `--ndjson`
 * and `--es-bulk`: `process.*`, `event.action` (the syscall), `event.duration`
 * (nanoseconds), `event.outcome`, `file.path`, `destination.ip/port`,
 * `error.code`. What ECS has no field for lives under `logsleuth.syscall`.
 * The mappings are in `schemas/syscall-es-template.json`.
 */
import type { Effect } from './effects';
import type { StraceLine } from './line';
import type { ProcessNode } from './index';

/** The ECS document of a call. */
export interface SyscallEcs {
  '@timestamp'?: string;
  message: string;
  ecs: { version: string };
  event: {
    kind: 'event';
    dataset: 'logsleuth.syscall';
    action: string;
    category: string[];
    type: string[];
    outcome: 'success' | 'failure' | 'unknown';
    duration?: number;
  };
  process: { pid: number; name: string; executable?: string; parent?: { pid: number }; thread: { id: number } };
  file?: { path: string };
  destination?: { ip: string; port: number };
  source?: { ip: string; port: number };
  network?: { transport: string; direction: 'egress' | 'ingress' };
  error?: { code: string; message: string };
  logsleuth: { syscall: { args: string; result: string; bytes?: number } };
}

/** Longest argument text kept in a document (strings the program wrote can be 64 KB). */
const MAX_ARGS = 1024;

const PATH_TYPES: Readonly<Record<string, string>> = {
  open: 'access',
  stat: 'info',
  read: 'access',
  write: 'change',
  unlink: 'deletion',
  exec: 'start',
};

/** Builds the document; `epochMs` is the call's time, undefined without timestamps. */
export function syscallToEcs(
  call: StraceLine,
  process: ProcessNode,
  effect: Effect | undefined,
  epochMs: number | undefined,
): SyscallEcs {
  const failed = call.errno !== '';
  const leader = process.tgid;
  const doc: SyscallEcs = {
    message: `${call.name}(${call.args.length > 200 ? call.args.slice(0, 200) + '...' : call.args}) = ${call.ret}`,
    ecs: { version: '8.11.0' },
    event: {
      kind: 'event',
      dataset: 'logsleuth.syscall',
      action: call.name,
      category: ['process'],
      type: ['info'],
      outcome: failed ? 'failure' : Number.isNaN(call.value) ? 'unknown' : 'success',
    },
    process: { pid: leader, name: process.name, thread: { id: call.pid } },
    logsleuth: {
      syscall: { args: call.args.length > MAX_ARGS ? call.args.slice(0, MAX_ARGS) : call.args, result: call.ret },
    },
  };
  if (epochMs !== undefined && Number.isFinite(epochMs)) doc['@timestamp'] = new Date(epochMs).toISOString();
  if (call.duration >= 0) doc.event.duration = Math.round(call.duration * 1e9);
  if (process.exe !== null) doc.process.executable = process.exe;
  if (process.ppid !== null) doc.process.parent = { pid: process.ppid };
  if (failed) doc.error = { code: call.errno, message: call.ret.slice(call.ret.indexOf(call.errno)) };
  if (effect?.type === 'path' || effect?.type === 'exec') {
    doc.file = { path: effect.path };
    doc.event.category = effect.type === 'exec' ? ['process'] : ['file'];
    doc.event.type = [effect.type === 'exec' ? 'start' : (PATH_TYPES[effect.kind] ?? 'info')];
    if (effect.type === 'path' && effect.bytes > 0) doc.logsleuth.syscall.bytes = effect.bytes;
  } else if (effect?.type === 'peer') {
    const inbound = effect.kind === 'accept' || effect.kind === 'recv';
    doc.event.category = ['network'];
    doc.event.type = [effect.kind === 'connect' || effect.kind === 'accept' ? 'connection' : 'info'];
    // The peer is the destination of what we send and connect to, the source of what we accept and receive.
    if (inbound) doc.source = { ip: effect.ip, port: effect.port };
    else doc.destination = { ip: effect.ip, port: effect.port };
    if (inbound && effect.local) doc.destination = { ip: effect.local.ip, port: effect.local.port };
    if (!inbound && effect.local) doc.source = { ip: effect.local.ip, port: effect.local.port };
    doc.network = { transport: effect.protocol, direction: inbound ? 'ingress' : 'egress' };
    if (effect.bytes > 0) doc.logsleuth.syscall.bytes = effect.bytes;
  } else if (effect?.type === 'spawn') {
    doc.event.type = ['start'];
  }
  return doc;
}

/** The Elasticsearch bulk action line that precedes each document. */
export function bulkAction(index: string): string {
  return JSON.stringify({ create: { _index: index } });
}
