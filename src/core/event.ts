/**
 * The LogEvent: one parsed log record, the unit every log-reading tracer consumes.
 *
 * Events are flat and cheap: parsers create millions of them, so every event has
 * the same shape (all keys present, `undefined` where unknown) and no nested
 * objects except the optional `fields` bag for format-specific extras.
 */

/** Syslog severities (RFC 5424 names), the level vocabulary of every event. */
export type Level = 'emerg' | 'alert' | 'crit' | 'error' | 'warning' | 'notice' | 'info' | 'debug';

/** Numeric syslog severity of each level (0 = emerg ... 7 = debug). */
export const LEVEL_SEVERITY: Readonly<Record<Level, number>> = {
  emerg: 0,
  alert: 1,
  crit: 2,
  error: 3,
  warning: 4,
  notice: 5,
  info: 6,
  debug: 7,
};

/** Whether an action succeeded, failed, or the log does not say. */
export type Outcome = 'success' | 'failure' | 'unknown';

/**
 * The stable action vocabulary. Recognisers yield one of these; code outside the
 * core may use its own dotted names too (the `string & {}` keeps autocompletion).
 */
export type Action =
  | 'auth.failure'
  | 'auth.success'
  | 'auth.invalid_user'
  | 'auth.max_attempts'
  | 'auth.preauth_disconnect'
  | 'auth.no_identification'
  | 'auth.negotiation_failure'
  | 'auth.protocol_error'
  | 'session.open'
  | 'session.close'
  | 'sudo.command'
  | 'sudo.failure'
  | 'ip.found'
  | 'ip.ban'
  | 'ip.unban'
  | 'ip.restore_ban'
  | 'ip.already_banned'
  | 'http.request'
  | 'http.probe'
  | 'http.auth_failure'
  | 'http.bad_request'
  | 'http.rate_limited'
  | 'http.waf_block'
  | 'http.exploit'
  | 'mail.rejected'
  | 'mail.relay_denied'
  | 'mail.protocol_violation'
  | 'dns.denied'
  | 'package.install'
  | 'package.upgrade'
  | 'package.remove'
  | 'package.purge'
  | 'conn.refused'
  | 'conn.timeout'
  | 'conn.reset'
  | 'conn.blocked'
  | 'conn.allowed'
  | 'conn.logged'
  | 'unit.failed'
  | 'unit.started'
  | 'unit.stopped'
  | 'unit.restart'
  | 'oom.kill'
  | 'disk.full'
  | 'error'
  | (string & {});

/** One parsed log record. */
export interface LogEvent {
  /** Milliseconds since the Unix epoch, or undefined when the line carries no usable time. */
  timestamp: number | undefined;
  /** Where the line came from: a file path, `-` for stdin, or `journald`. */
  source: string;
  /** 1-based line number within `source` (the first line of a multi-line record). */
  line: number;
  /** Offset of the record's first byte within `source`, when the source reports offsets. */
  byteOffset: number | undefined;
  /** Name of the format that parsed the line (`syslog`, `nginx-access`, ..., `raw`). */
  format: string;
  host: string | undefined;
  /** Program name as the log writes it (`sshd`, `postfix/smtpd`, `nginx`). */
  program: string | undefined;
  pid: number | undefined;
  /** Normalised service (`ssh`, `nginx`, `postgresql`, `fail2ban`, `kernel`, ...). */
  service: string | undefined;
  level: Level | undefined;
  action: Action | undefined;
  outcome: Outcome;
  /** The remote address the event is about (never an address found inside a user name or path). */
  ip: string | undefined;
  port: number | undefined;
  user: string | undefined;
  /** A host name the log gives instead of an address (sshd with `UseDNS`). */
  domain: string | undefined;
  /** True when the line counts against the remote address (what a fail2ban filter would match). */
  hostile: boolean;
  /** The message part of the line, after the format's header. */
  message: string;
  /** The raw record (for multi-line records, all lines joined with `\n`). */
  raw: string;
  /** Format-specific extras: HTTP status, path, method, bytes, user agent, SQLSTATE, ... */
  fields: Record<string, unknown> | undefined;
}

/** The fields a parser must provide; everything else defaults to unknown. */
export type LogEventInit = Pick<LogEvent, 'source' | 'line' | 'raw'> & Partial<LogEvent>;

/**
 * Builds a LogEvent with every key present, so all events share one hidden class.
 * `message` defaults to the raw line and `format` to `raw`.
 */
export function createEvent(init: LogEventInit): LogEvent {
  return {
    timestamp: init.timestamp,
    source: init.source,
    line: init.line,
    byteOffset: init.byteOffset,
    format: init.format ?? 'raw',
    host: init.host,
    program: init.program,
    pid: init.pid,
    service: init.service,
    level: init.level,
    action: init.action,
    outcome: init.outcome ?? 'unknown',
    ip: init.ip,
    port: init.port,
    user: init.user,
    domain: init.domain,
    hostile: init.hostile ?? false,
    message: init.message ?? init.raw,
    raw: init.raw,
    fields: init.fields,
  };
}
