/**
 * JSON lines: journald export (`journalctl -o json`), pino, bunyan, ECS,
 * mongod 4.4+, Docker's json-file records (whose container line the pipeline
 * reads again with the other formats) and generic `{time, level, msg}` objects. journald's MESSAGE is syslog content:
 * the program (SYSLOG_IDENTIFIER) and message go to the recognisers like any
 * syslog line's. Unknown keys are kept in `fields` (bounded).
 */
import { type Level, type LogEvent, createEvent } from '../../core/event';
import { nestingDepth } from '../../core/json-depth';
import { fromEpoch, parseTimestamp } from '../time';
import { MONGO_LEVELS } from './mongodb';
import { type LogFormat, levelOf, pidOf } from './types';

const SEVERITIES: readonly Level[] = ['emerg', 'alert', 'crit', 'error', 'warning', 'notice', 'info', 'debug'];
/** pino/bunyan numeric levels. */
const PINO_LEVELS: ReadonlyArray<[number, Level]> = [
  [60, 'crit'],
  [50, 'error'],
  [40, 'warning'],
  [30, 'info'],
  [0, 'debug'],
];
const MAX_EXTRA_FIELDS = 32;
/** Deepest nesting of a line whose object and array fields are kept (deeper: scalars only). */
const MAX_FIELD_DEPTH = 32;

type Json = Record<string, unknown>;

function str(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  // journald writes non-UTF-8 or binary fields as arrays of bytes.
  if (Array.isArray(value) && value.length <= 1 << 20 && value.every((b) => typeof b === 'number')) {
    return Buffer.from(value as number[]).toString('utf8');
  }
  return undefined;
}

function path(obj: Json, dotted: string): unknown {
  if (dotted in obj) return obj[dotted];
  let cur: unknown = obj;
  for (const key of dotted.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Json)[key];
  }
  return cur;
}

function first(obj: Json, keys: readonly string[]): unknown {
  for (const key of keys) {
    const v = path(obj, key);
    if (v !== undefined && v !== null) return v;
  }
  return undefined;
}

function levelFrom(value: unknown, journald: boolean): Level | undefined {
  if (typeof value === 'number') {
    if (!journald && value >= 10) return PINO_LEVELS.find(([min]) => value >= min)![1];
    return SEVERITIES[value];
  }
  const s = str(value);
  if (s === undefined) return undefined;
  if (journald && s.length === 1) return SEVERITIES[Number(s)];
  return levelOf(s);
}

function timeFrom(value: unknown): number | undefined {
  if (typeof value === 'number') return fromEpoch(value);
  const s = str(value);
  if (s === undefined || s.length > 64) return undefined;
  if (s.length >= 10 && s.length <= 20 && Number.isFinite(Number(s))) return fromEpoch(Number(s));
  return parseTimestamp(s);
}

const KNOWN = new Set([
  'MESSAGE',
  '_SYSTEMD_UNIT',
  'SYSLOG_IDENTIFIER',
  '_COMM',
  '_PID',
  'SYSLOG_PID',
  'PRIORITY',
  '__REALTIME_TIMESTAMP',
  '_HOSTNAME',
  'msg',
  'message',
  'level',
  'time',
  'timestamp',
  '@timestamp',
  'ts',
  'hostname',
  'pid',
  'name',
  'v',
  'log',
  'host',
  'process',
  'service',
  'source',
  'client',
  'user',
  'event',
  'ecs',
]);

/**
 * Docker's json-file driver (/var/lib/docker/containers/<id>/<id>-json.log):
 * `{"log":"<the container's line>\n","stream":"stderr","time":"..."}`. The
 * container's own line, or undefined when `obj` is not such a record.
 */
function containerLine(obj: Json): string | undefined {
  const log = obj.log;
  if (typeof log !== 'string' || (obj.stream !== 'stdout' && obj.stream !== 'stderr') || !('time' in obj)) {
    return undefined;
  }
  return log.endsWith('\r\n') ? log.slice(0, -2) : log.endsWith('\n') ? log.slice(0, -1) : log;
}

/** Events of Docker json-file records, whose message is a container's line for the pipeline to read again. */
const CONTAINER_EVENTS = new WeakSet<LogEvent>();

/** The container's own line of a Docker json-file event, or undefined. */
export function containerLineOf(event: LogEvent): string | undefined {
  return CONTAINER_EVENTS.has(event) ? event.message : undefined;
}

/** mongod's structured log (4.4+): its time, severity letter and component keys. */
function isMongoLine(obj: Json): boolean {
  const t = obj.t;
  return t !== null && typeof t === 'object' && '$date' in t && typeof obj.s === 'string' && typeof obj.c === 'string';
}

/** JSON-lines logs. */
export const jsonFormat: LogFormat = {
  name: 'json',
  accepts: (text) => text.charCodeAt(0) === 123,
  parse(line) {
    const text = line.text;
    if (text.charCodeAt(0) !== 123) return undefined;
    let obj: Json;
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
      obj = parsed as Json;
    } catch {
      return undefined;
    }
    const journald = 'MESSAGE' in obj || '__REALTIME_TIMESTAMP' in obj;
    // mongod 4.4+: {"t":{"$date":...},"s":"I","c":"ACCESS","ctx":"conn1","msg":...,"attr":{...}}
    const mongo = isMongoLine(obj);
    const container = containerLine(obj);
    const message = container ?? str(first(obj, journald ? ['MESSAGE'] : ['message', 'msg', 'MESSAGE'])) ?? '';
    const fields: Json = {};
    // Nested values are kept only when shallow: JSON.stringify and ajv recurse on the event later.
    const keepNested = nestingDepth(text) <= MAX_FIELD_DEPTH;
    let extra = 0;
    for (const key of Object.keys(obj)) {
      const dot = key.indexOf('.');
      if (KNOWN.has(dot > 0 ? key.slice(0, dot) : key) || extra >= MAX_EXTRA_FIELDS) continue;
      // Assigned, `__proto__` would become the prototype of the fields (inherited, forged values).
      if (key === '__proto__') continue;
      const value = obj[key];
      if (!keepNested && value !== null && typeof value === 'object') continue;
      fields[key] = value;
      extra++;
    }
    const unit = str(obj._SYSTEMD_UNIT);
    if (unit) fields.unit = unit;
    const ip = str(first(obj, ['source.ip', 'client.ip']));
    const user = str(first(obj, ['user.name']));
    const pidValue = first(obj, ['_PID', 'SYSLOG_PID', 'pid', 'process.pid']);
    const event = createEvent({
      source: line.source,
      line: line.line,
      raw: text,
      format: 'json',
      timestamp: timeFrom(first(obj, ['__REALTIME_TIMESTAMP', '@timestamp', 'timestamp', 'time', 'ts', 't.$date'])),
      host: str(first(obj, ['_HOSTNAME', 'hostname', 'host.name', 'host.hostname', 'host'])),
      program: mongo
        ? 'mongod'
        : str(first(obj, ['SYSLOG_IDENTIFIER', '_COMM', 'process.name', 'name', 'service.name'])),
      pid: pidOf(str(pidValue)),
      level: mongo
        ? MONGO_LEVELS[obj.s as string]
        : levelFrom(first(obj, ['PRIORITY', 'level', 'log.level', 'severity']), journald),
      ip,
      user,
      message,
      fields: Object.keys(fields).length > 0 ? fields : undefined,
    });
    if (container !== undefined) CONTAINER_EVENTS.add(event);
    return event;
  },
};
