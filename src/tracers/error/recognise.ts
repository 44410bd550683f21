/**
 * Recognising an error in one event: which category and sub-kind, how severe,
 * and the details (type and message, path, file/line/function, code, process
 * and pid, service). Stack traces are parsed first; the category tables then
 * run on the event's message and on each exception line of the trace.
 */
import type { LogEvent } from '../../core/event';
import { NeedleIndex } from '../../core/needle-index';
import { ERROR_PATTERNS, sqlstateSubkind } from './categories';
import { errnoFromNumber, firstAddress, firstPath } from './details';
import { errorSeverity, UNRECOGNISED_SEVERITY } from './severity';
import { type StackTrace, chainWording, parseStackTrace, reportedException } from './stack-trace';
import type { DetailGroup, ErrorDetails, ErrorPattern, RecognisedError } from './types';

const DETAIL_GROUPS = new Set<string>([
  'type',
  'message',
  'path',
  'file',
  'line',
  'function',
  'code',
  'process',
  'pid',
  'target',
  'errno',
]);

/** Longest text a table runs on: a 10 MB line is judged by its first 64 KiB. */
const TEXT_LIMIT = 64 * 1024;

/** Levels at which an event no table explains still counts as an error. */
const ERROR_LEVELS = new Set(['emerg', 'alert', 'crit', 'error']);

/** `target2` -> `target`: re2 forbids a group name twice, so alternatives number theirs. */
function groupName(name: string): string {
  let end = name.length;
  while (end > 0 && name.charCodeAt(end - 1) >= 48 && name.charCodeAt(end - 1) <= 57) end--;
  return name.slice(0, end);
}

function detailsFromGroups(groups: Record<string, string | undefined>): ErrorDetails {
  const details: ErrorDetails = {};
  for (const [name, value] of Object.entries(groups)) {
    if (value === undefined || value === '') continue;
    const key = groupName(name) as DetailGroup;
    if (!DETAIL_GROUPS.has(key) || key === 'errno') continue;
    if (key === 'line' || key === 'pid') {
      details[key] ??= Number(value);
    } else {
      details[key] ??= value;
    }
  }
  return details;
}

/** Each table's prefilters in one automaton, built on first use. */
const indexes = new WeakMap<readonly ErrorPattern[], NeedleIndex>();

/** Marks reused from call to call (`recognise` is synchronous): one per text, as long as the longest table. */
const scratch: Uint8Array[] = [];

/**
 * For each text, which rows of `patterns` have a prefilter substring in it (1)
 * or not (0); undefined when no row has one in any text (most lines).
 */
function candidates(patterns: readonly ErrorPattern[], texts: readonly string[]): Uint8Array[] | undefined {
  let index = indexes.get(patterns);
  if (!index) {
    index = new NeedleIndex(patterns.map((row) => row.prefilter));
    indexes.set(patterns, index);
  }
  let any = false;
  for (let t = 0; t < texts.length; t++) {
    let marks = scratch[t];
    if (!marks || marks.length < patterns.length) scratch[t] = marks = new Uint8Array(patterns.length);
    else marks.fill(0, 0, patterns.length);
    if (index.mark(texts[t]!, marks)) any = true;
  }
  return any ? scratch : undefined;
}

/** The texts the tables run on: the message, then each exception of the trace from the root cause outwards. */
function textsOf(event: LogEvent, trace: StackTrace | undefined): string[] {
  const message = event.message.length > TEXT_LIMIT ? event.message.slice(0, TEXT_LIMIT) : event.message;
  const texts = [message];
  for (const exception of trace?.exceptions ?? []) {
    const line = exception.message ? `${exception.type}: ${exception.message}` : exception.type;
    texts.push(line.length > TEXT_LIMIT ? line.slice(0, TEXT_LIMIT) : line);
  }
  return texts;
}

function traceDetails(trace: StackTrace, raw: string): ErrorDetails {
  const { exception, frame } = reportedException(trace);
  const details: ErrorDetails = { type: exception.type, message: exception.message, language: trace.language };
  if (trace.exceptions.length > 1) {
    details.chain = trace.exceptions.map((e) => e.type);
    const wording = trace.language === 'python' ? chainWording(raw) : undefined;
    if (wording) details.chainKind = wording;
  }
  if (frame) {
    details.file = frame.file;
    if (frame.line !== undefined) details.line = frame.line;
    details.function = frame.function;
  }
  return details;
}

function httpStatus(event: LogEvent): number | undefined {
  const status = event.fields?.status;
  const value = typeof status === 'string' ? Number(status) : status;
  return typeof value === 'number' && value >= 500 && value <= 599 ? value : undefined;
}

/** Fills what the row left out from the text and the event. */
function complete(details: ErrorDetails, row: ErrorPattern | undefined, text: string, event: LogEvent): ErrorDetails {
  // The PostgreSQL parser keeps the SQLSTATE it read (log_error_verbosity = verbose): it beats an implied one.
  const sqlstate = event.fields?.sqlstate;
  if (
    typeof sqlstate === 'string' &&
    (details.code === undefined || details.codeKind === 'sqlstate' || row?.implies?.codeKind === 'sqlstate')
  ) {
    details.code = sqlstate;
    details.codeKind = 'sqlstate';
  }
  if (row?.codeKind && details.code !== undefined) details.codeKind ??= row.codeKind;
  if (row?.implies)
    for (const [key, value] of Object.entries(row.implies)) (details as Record<string, unknown>)[key] ??= value;
  if (details.code === undefined) {
    const errno = errnoFromNumber(text);
    if (errno) {
      details.code = errno;
      details.codeKind = 'errno';
    }
  }
  if (row?.subkind !== 'http-5xx') details.path ??= firstPath(text);
  if (row?.category === 'network' || row?.category === 'database') details.target ??= firstAddress(text);
  // The kernel logs about other processes: its own name is never the process an error is about.
  if (details.process === undefined && event.program !== undefined && event.program !== 'kernel') {
    details.process = event.program;
    if (event.pid !== undefined) details.pid ??= event.pid;
  }
  const service = event.service ?? row?.service;
  if (service !== undefined) details.service = service;
  for (const key of Object.keys(details) as (keyof ErrorDetails)[]) if (details[key] === undefined) delete details[key];
  return details;
}

/** The groups of `row` in `text` (its scanner's when it has one that reads the text), or undefined when it does not match. */
function rowGroups(row: ErrorPattern, text: string): Record<string, string | undefined> | undefined {
  const scanned = row.scan?.(text);
  if (scanned !== undefined) return scanned ?? undefined;
  const match = row.pattern.exec(text);
  return match ? (match.groups ?? {}) : undefined;
}

/** Actions of a remote client failing to log in. */
const AUTH_FAILURES = new Set(['auth.failure', 'auth.invalid_user', 'auth.max_attempts', 'http.auth_failure']);

/**
 * The error in `event`, or undefined when it is not one: no table matches, it
 * holds no stack trace, its level is not error or worse, and its action is
 * neither `oom.kill` nor `disk.full`; or when it is a remote client's failed
 * login (evidence against the client, not a fault of the system).
 */
export function recognise(
  event: LogEvent,
  patterns: readonly ErrorPattern[] = ERROR_PATTERNS,
): RecognisedError | undefined {
  // A client's failed login is the IP tracer's evidence, not the system's error: PAM's
  // `pam_authenticate() failed: Permission denied` is no file permission problem.
  if (event.hostile && event.outcome === 'failure' && event.action !== undefined && AUTH_FAILURES.has(event.action)) {
    return undefined;
  }
  const status = httpStatus(event);
  if (status !== undefined) {
    const details = complete({ code: String(status), codeKind: 'http' }, undefined, '', event);
    const path = event.fields?.path;
    if (typeof path === 'string') details.target = path;
    return {
      category: 'system',
      subkind: 'http-5xx',
      rule: 'system/http-5xx',
      severity: errorSeverity(45, undefined, ''),
      details,
    };
  }
  const trace = event.raw.includes('\n') ? parseStackTrace(event.raw) : undefined;
  const texts = textsOf(event, trace);
  const rowsIn = candidates(patterns, texts);
  for (let r = 0; rowsIn && r < patterns.length; r++) {
    const row = patterns[r]!;
    for (let t = 0; t < texts.length; t++) {
      if (rowsIn[t]![r] === 0) continue;
      const text = texts[t]!;
      const groups = rowGroups(row, text);
      if (!groups) continue;
      const generic = row.category === 'exception';
      let details = detailsFromGroups(groups);
      if (trace) {
        // The catch-all row only found a type the trace knows better; a specific row's groups come first.
        const fromTrace = traceDetails(trace, event.raw);
        details = generic ? { ...details, ...fromTrace } : { ...fromTrace, ...details };
      }
      complete(details, row, text, event);
      const subkind = generic && details.language ? details.language : (row.classify?.(details, groups) ?? row.subkind);
      const found: RecognisedError = {
        category: row.category,
        subkind,
        rule: `${row.category}/${row.id}`,
        severity: errorSeverity(row.severity, event.level, texts[0]!),
        details,
      };
      if (trace) found.trace = trace;
      return found;
    }
  }
  if (trace) {
    const details = complete(traceDetails(trace, event.raw), undefined, texts[0]!, event);
    return {
      category: 'exception',
      subkind: trace.language,
      rule: `exception/${trace.language}-trace`,
      severity: errorSeverity(60, event.level, texts[0]!),
      details,
      trace,
    };
  }
  const sqlstate = event.fields?.sqlstate;
  if (typeof sqlstate === 'string' && event.level !== undefined && ERROR_LEVELS.has(event.level)) {
    const details = complete({}, undefined, texts[0]!, event);
    details.service ??= 'postgresql';
    return {
      category: 'database',
      subkind: sqlstateSubkind(sqlstate) ?? 'error',
      rule: 'database/sqlstate-field',
      severity: errorSeverity(50, event.level, texts[0]!),
      details,
    };
  }
  if (event.action === 'oom.kill' || event.action === 'disk.full') {
    const memory = event.action === 'oom.kill';
    const details = complete({}, undefined, texts[0]!, event);
    return {
      category: memory ? 'memory' : 'disk',
      subkind: memory ? 'oom-kill' : 'no-space',
      rule: `action/${event.action}`,
      severity: errorSeverity(memory ? 90 : 85, event.level, texts[0]!),
      details,
    };
  }
  if (event.level !== undefined && ERROR_LEVELS.has(event.level)) {
    const details = complete({}, undefined, texts[0]!, event);
    return {
      category: 'other',
      subkind: 'unrecognised',
      rule: 'level',
      severity: errorSeverity(UNRECOGNISED_SEVERITY, event.level, texts[0]!),
      details,
    };
  }
  return undefined;
}
