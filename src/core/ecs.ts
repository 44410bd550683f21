/**
 * Elastic Common Schema form of a LogEvent, for NDJSON export. Field names follow
 * ECS 8; what ECS has no field for lives under `logsleuth.*`.
 */
import { type LogEvent, LEVEL_SEVERITY } from './event';

/** ECS `event.category` for an action's prefix (the part before the dot). */
const CATEGORY_BY_PREFIX: Readonly<Record<string, string>> = {
  auth: 'authentication',
  session: 'session',
  sudo: 'iam',
  ip: 'intrusion_detection',
  http: 'web',
  mail: 'email',
  conn: 'network',
  dns: 'network',
  oom: 'host',
  disk: 'host',
  unit: 'process',
  package: 'package',
};

/** One event as an ECS document (dotted names nested as ECS specifies). */
export interface EcsEvent {
  '@timestamp'?: string;
  message: string;
  event: {
    action?: string;
    category?: string[];
    outcome: string;
    severity?: number;
    original: string;
  };
  source?: { ip?: string; port?: number; domain?: string };
  user?: { name: string };
  process?: { name?: string; pid?: number };
  host?: { hostname: string };
  service?: { name: string };
  log: { level?: string; file: { path: string } };
  logsleuth: { line: number; format: string; hostile: boolean; fields?: Record<string, unknown> };
}

/** Maps an event to ECS. Absent values are left out rather than written as null. */
export function toEcs(event: LogEvent): EcsEvent {
  const ecs: EcsEvent = {
    message: event.message,
    event: { outcome: event.outcome, original: event.raw },
    log: { file: { path: event.source } },
    logsleuth: { line: event.line, format: event.format, hostile: event.hostile },
  };
  if (event.timestamp !== undefined && Number.isFinite(event.timestamp)) {
    ecs['@timestamp'] = new Date(event.timestamp).toISOString();
  }
  if (event.action !== undefined) {
    ecs.event.action = event.action;
    const category = CATEGORY_BY_PREFIX[event.action.split('.', 1)[0]!];
    if (category) ecs.event.category = [category];
  }
  if (event.level !== undefined) {
    ecs.event.severity = LEVEL_SEVERITY[event.level];
    ecs.log.level = event.level;
  }
  if (event.ip !== undefined || event.port !== undefined || event.domain !== undefined) {
    ecs.source = {};
    if (event.ip !== undefined) ecs.source.ip = event.ip;
    if (event.port !== undefined) ecs.source.port = event.port;
    if (event.domain !== undefined) ecs.source.domain = event.domain;
  }
  if (event.user !== undefined) ecs.user = { name: event.user };
  if (event.program !== undefined || event.pid !== undefined) {
    ecs.process = {};
    if (event.program !== undefined) ecs.process.name = event.program;
    if (event.pid !== undefined) ecs.process.pid = event.pid;
  }
  if (event.host !== undefined) ecs.host = { hostname: event.host };
  if (event.service !== undefined) ecs.service = { name: event.service };
  if (event.fields !== undefined) ecs.logsleuth.fields = event.fields;
  return ecs;
}
