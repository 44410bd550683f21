/**
 * Applies the recogniser tables to parsed events: chosen by the event's
 * service, then the tables that hold for any program (PAM, full disks).
 * Holds the only recogniser state, sshd's per-pid session table.
 */
import type { LogEvent } from '../../core/event';
import { findNginxErrorBody, readNginxErrorBody } from '../formats/nginx-error';
import { readSyslogApacheError } from '../formats/apache-error';
import { auditProgram, isKernelAudit, readEmbeddedAudit } from '../formats/audit';
import { readBindPrefix } from '../formats/bind';
import { readSyslogFail2ban } from '../formats/fail2ban';
import { readHaproxyHttp } from '../formats/haproxy';
import { serviceOfName } from '../services';
import { remoteOf, splitHostPort } from './address';
import { recogniseAudit } from './audit';
import { PAM_RULES, SU_RULES, SUDO_RULES } from './local-auth';
import {
  COURIER_RULES,
  CYRUS_RULES,
  DOVECOT_RULES,
  EXIM_RULES,
  POSTFIX_RULES,
  SENDMAIL_FROM,
  SENDMAIL_NO_SUCH_USER,
  SENDMAIL_RULES,
} from './mail';
import {
  DATABASE_RULES,
  DROPBEAR_RULES,
  MONGODB_END_CONNECTION,
  MONGODB_FAILED_UNNAMED,
  MONGODB_RULES,
  NAMED_RULES,
  PROFTPD_RULES,
  PUREFTPD_RULES,
  VSFTPD_RULES,
  WEBMIN_RULES,
  XINETD_RULES,
} from './network-auth';
import { recogniseNetfilter } from './netfilter';
import { SshdRecogniser } from './sshd';
import { DISK_RULES, FAIL2BAN_RULES, KERNEL_RULES } from './system';
import { recogniseUnit } from './systemd';
import { type Groups, type HostileMode, type Recognised, type Rule, firstMatch } from './types';
import {
  LIGHTTPD_RULES,
  isBadRequest,
  isProbe,
  recogniseApacheError,
  recogniseAppLogin,
  recogniseNginxError,
} from './web';

export type { HostileMode } from './types';

/** Options of {@link Recognisers}. */
export interface RecogniserOptions {
  /** Which shapes count as hostile (fail2ban's filter modes); default `aggressive`. */
  mode?: HostileMode;
  /** Most sshd connections remembered at once (per-pid session table); default 10,000. */
  maxSessions?: number;
}

/**
 * Longest message the tables look at: syslog daemons cap a message at a few KiB
 * (rsyslog 8 KiB by default, journald's LineMax 48 KiB).
 */
const MAX_RECOGNISED_CHARS = 64 * 1024;

/** Most sendmail queue ids (mongod connections) remembered while waiting for the line that names their client. */
const MAX_QUEUES = 10_000;

/** Adds `key` to a bounded set, dropping the oldest beyond `max`. */
function remember(set: Set<string>, key: string, max: number): void {
  set.add(key);
  if (set.size > max) set.delete(set.values().next().value!);
}

const TABLES: Readonly<Record<string, readonly Rule[]>> = {
  sudo: SUDO_RULES,
  su: SU_RULES,
  postfix: POSTFIX_RULES,
  dovecot: DOVECOT_RULES,
  dropbear: DROPBEAR_RULES,
  exim: EXIM_RULES,
  cyrus: CYRUS_RULES,
  courier: COURIER_RULES,
  imap: [...CYRUS_RULES, ...COURIER_RULES],
  xinetd: XINETD_RULES,
  'pure-ftpd': PUREFTPD_RULES,
  webmin: WEBMIN_RULES,
  lighttpd: LIGHTTPD_RULES,
  vsftpd: VSFTPD_RULES,
  proftpd: PROFTPD_RULES,
  postgresql: DATABASE_RULES,
  mysql: DATABASE_RULES,
  fail2ban: FAIL2BAN_RULES,
};

function fromRule(rule: Rule, groups: Groups, mode: HostileMode): Recognised {
  const remote = remoteOf(groups.host);
  const user = groups.user || groups.user2 || groups.ruser || undefined;
  return {
    action: rule.action,
    outcome: rule.outcome,
    hostile: rule.hostileIn.includes(mode) && (remote.ip !== undefined || remote.domain !== undefined),
    ...remote,
    port: groups.port === undefined ? undefined : Number(groups.port),
    user,
    level: rule.level,
  };
}

function apply(event: LogEvent, r: Recognised): void {
  event.action = r.action;
  event.outcome = r.outcome;
  event.hostile = r.hostile;
  if (r.ip !== undefined) event.ip = r.ip;
  if (r.domain !== undefined) event.domain = r.domain;
  if (r.port !== undefined && Number.isInteger(r.port) && r.port <= 65535) event.port = r.port;
  if (r.user !== undefined) event.user = r.user;
  if (r.level !== undefined && event.level === undefined) event.level = r.level;
}

/** Sets the client address of a web event from its `client` field. */
function applyClient(event: LogEvent): void {
  const client = event.fields?.client;
  if (typeof client !== 'string') return;
  const { host, port } = splitHostPort(client);
  const remote = remoteOf(host);
  if (remote.ip !== undefined) event.ip = remote.ip;
  else if (remote.domain !== undefined) event.domain = remote.domain;
  if (port !== undefined && port <= 65535 && event.port === undefined) event.port = port;
}

function mergeFields(event: LogEvent, fields: Record<string, unknown>): void {
  event.fields = event.fields ? { ...event.fields, ...fields } : fields;
}

/**
 * Takes a daemon's own line out of the syslog message that carried it
 * (nginx, Apache, BIND, fail2ban): its message, its level when syslog gave
 * none, and its fields.
 */
function adopt(event: LogEvent, message: string, level: LogEvent['level'], fields?: Record<string, unknown>): void {
  event.message = message;
  if (event.level === undefined) event.level = level;
  if (fields !== undefined) mergeFields(event, fields);
}

/** The recognisers of one pipeline (one sshd session table). */
export class Recognisers {
  private readonly mode: HostileMode;
  private readonly sshd: SshdRecogniser;
  /** sendmail queue ids that had an unknown recipient, until their `from=` line (oldest dropped beyond MAX_QUEUES). */
  private readonly unknownRecipientQueues = new Set<string>();
  /** mongod 2.x connections (source and context) whose authentication failed, until their `end connection` line. */
  private readonly failedMongoConnections = new Set<string>();

  constructor(options: RecogniserOptions = {}) {
    this.mode = options.mode ?? 'aggressive';
    this.sshd = new SshdRecogniser(this.mode, options.maxSessions);
  }

  /** Sets action, outcome, hostile, ip/domain, port and user on `event` when a table knows its message. */
  apply(event: LogEvent): void {
    // No daemon we recognise writes such a message; re2 stays linear, but capturing over megabytes is not cheap.
    if (event.message.length > MAX_RECOGNISED_CHARS) return;
    const r = this.recognise(event);
    if (r) {
      apply(event, r);
      return;
    }
    // An access line's message is the client's request: `GET /No%20space left on device` is no full disk.
    if (event.service === 'http') return;
    const generic = firstMatch(PAM_RULES, event.message) ?? firstMatch(DISK_RULES, event.message);
    if (generic) apply(event, fromRule(generic.rule, generic.groups, this.mode));
  }

  private recognise(event: LogEvent): Recognised | undefined {
    if ((event.format === 'logfmt' || event.format === 'json') && event.fields !== undefined) {
      const login = recogniseAppLogin(event.message, event.fields);
      if (login) {
        event.service ??= 'grafana';
        return login;
      }
    }
    if (
      event.format === 'audit' ||
      event.program === 'audit' ||
      (event.service === 'kernel' && isKernelAudit(event.message))
    ) {
      return this.audit(event);
    }
    switch (event.service) {
      case 'ssh':
        return this.sshd.recognise(event.message, event, event.timestamp);
      case 'nginx':
        return this.nginx(event);
      case 'apache':
        return this.apache(event);
      case 'http':
        return this.access(event);
      case 'haproxy': {
        const fields = readHaproxyHttp(event.message);
        if (!fields) return undefined;
        mergeFields(event, fields);
        return this.access(event) ?? { action: 'http.request', outcome: 'unknown', hostile: false };
      }
      case 'sendmail':
        return this.sendmail(event);
      case 'mongodb':
        return this.mongodb(event);
      case 'named': {
        if (event.format !== 'bind') {
          // named to syslog with print-category / print-severity
          const body = readBindPrefix(event.message);
          adopt(event, body.message, body.level, body.category === undefined ? undefined : { category: body.category });
        }
        const found = firstMatch(NAMED_RULES, event.message);
        return found && fromRule(found.rule, found.groups, this.mode);
      }
      case 'fail2ban': {
        if (event.format !== 'fail2ban') {
          const body = readSyslogFail2ban(event.message);
          if (!body) return undefined;
          adopt(event, body.message, body.level, body.jail === undefined ? undefined : { jail: body.jail });
        }
        const found = firstMatch(FAIL2BAN_RULES, event.message);
        return found && fromRule(found.rule, found.groups, this.mode);
      }
      case 'systemd': {
        const change = recogniseUnit(event.message);
        if (!change) return undefined;
        // journald names the unit of a job line (`Started <description>.`) in its UNIT field.
        const unit = event.fields?.UNIT;
        if (change.fields.managedUnit === undefined && typeof unit === 'string' && unit.endsWith('.service'))
          change.fields.managedUnit = unit;
        mergeFields(event, change.fields);
        return change.recognised;
      }
      case 'kernel': {
        const found = firstMatch(KERNEL_RULES, event.message);
        return found ? fromRule(found.rule, found.groups, this.mode) : this.packet(event);
      }
      default: {
        const table = event.service === undefined ? undefined : TABLES[event.service];
        const found = table && firstMatch(table, event.message);
        if (!found) return undefined;
        const r = fromRule(found.rule, found.groups, this.mode);
        if (event.format === 'postgresql' && r.ip === undefined) {
          applyClient(event);
          r.hostile = r.outcome === 'failure' && event.ip !== undefined && found.rule.hostileIn.includes(this.mode);
        }
        return r;
      }
    }
  }

  /** A packet logged by a firewall rule: the event gets its fields (protocol, destination port, rule). */
  private packet(event: LogEvent): Recognised | undefined {
    const packet = recogniseNetfilter(event.message);
    if (!packet) return undefined;
    mergeFields(event, packet.fields);
    return packet.recognised;
  }

  /**
   * sendmail: its rule table, and the probe of unknown recipients, which takes
   * two lines: `QID: <x@y>... No such user here` (no client named), then the
   * queue id's `from=<...>, ..., relay=client`.
   */
  private sendmail(event: LogEvent): Recognised | undefined {
    const message = event.message;
    const found = firstMatch(SENDMAIL_RULES, message);
    if (found) return fromRule(found.rule, found.groups, this.mode);
    if (message.endsWith('No such user here')) {
      const queue = SENDMAIL_NO_SUCH_USER.exec(message)?.groups?.queue;
      if (queue !== undefined) {
        remember(this.unknownRecipientQueues, queue, MAX_QUEUES);
      }
      return undefined;
    }
    if (!message.includes(': from=<')) return undefined;
    const g = SENDMAIL_FROM.exec(message)?.groups;
    if (!g || !this.unknownRecipientQueues.delete(g.queue!)) return undefined;
    return { action: 'mail.rejected', outcome: 'failure', hostile: true, ...remoteOf(g.host) };
  }

  /**
   * mongod: 4.4+'s JSON `Authentication failed` (client in `attr.remote`), the
   * text log's failures that name their client, and 2.x's that do not, joined
   * to the connection's `end connection <client>` line by context.
   */
  private mongodb(event: LogEvent): Recognised | undefined {
    const message = event.message;
    const attr = event.fields?.attr as Record<string, unknown> | undefined;
    if (message === 'Authentication failed' && attr !== null && typeof attr === 'object') {
      const { host, port } = splitHostPort(typeof attr.remote === 'string' ? attr.remote : '');
      const remote = remoteOf(host);
      const user = typeof attr.principalName === 'string' ? attr.principalName : undefined;
      return { action: 'auth.failure', outcome: 'failure', hostile: remote.ip !== undefined, ...remote, port, user };
    }
    const found = firstMatch(MONGODB_RULES, message);
    if (found) return fromRule(found.rule, found.groups, this.mode);
    const ctx = event.fields?.ctx;
    if (typeof ctx !== 'string') return undefined;
    const key = `${event.source}\0${ctx}`;
    const unnamed = message.startsWith('Failed to authenticate ') ? MONGODB_FAILED_UNNAMED.exec(message) : null;
    if (unnamed) {
      remember(this.failedMongoConnections, key, MAX_QUEUES);
      return { action: 'auth.failure', outcome: 'failure', hostile: false, user: unnamed.groups?.user };
    }
    if (!message.startsWith('end connection ') || !this.failedMongoConnections.delete(key)) return undefined;
    const g = MONGODB_END_CONNECTION.exec(message)?.groups;
    return (
      g && { action: 'auth.failure', outcome: 'failure', hostile: true, ...remoteOf(g.host), port: Number(g.port) }
    );
  }

  /** An audit record, from audit.log or embedded in syslog (its fields join the event's). */
  private audit(event: LogEvent): Recognised | undefined {
    if (event.format !== 'audit') {
      const fields = readEmbeddedAudit(event.message);
      if (!fields) return undefined;
      mergeFields(event, fields);
      // The record is about the program that wrote it (sshd), not the syslog tag (`audit`, `kernel`).
      const program = auditProgram(fields);
      const service = program === undefined ? undefined : serviceOfName(program);
      if (service !== undefined) event.service = service;
    }
    const meaning = event.fields && recogniseAudit(event.fields);
    if (!meaning) return undefined;
    if (meaning.managedUnit !== undefined) mergeFields(event, { managedUnit: meaning.managedUnit });
    // A copy in syslog rides along with the program's own line in the same logs (sshd's `Failed password`):
    // it is evidence, but counting it too would count every attempt twice.
    if (event.format !== 'audit') meaning.recognised.hostile = false;
    return meaning.recognised;
  }

  private nginx(event: LogEvent): Recognised | undefined {
    if (event.format !== 'nginx-error') {
      // nginx through syslog or the journal: its own error line is the message.
      const inner =
        event.message.charCodeAt(0) === 91
          ? { body: readNginxErrorBody(event.message) }
          : findNginxErrorBody(event.message);
      if (!inner?.body) return undefined;
      adopt(event, inner.body.message, inner.body.level, inner.body.fields);
    }
    applyClient(event);
    const r = recogniseNginxError(event.message, event.fields ?? {}, this.mode);
    if (r && event.ip === undefined && event.domain === undefined) r.hostile = false;
    return r;
  }

  private apache(event: LogEvent): Recognised | undefined {
    if (event.format !== 'apache-error') {
      const body = readSyslogApacheError(event.message);
      if (!body) return undefined;
      adopt(event, body.message, body.level, body.fields);
    }
    applyClient(event);
    const module = event.fields?.module;
    const r = recogniseApacheError(event.message, typeof module === 'string' ? module : undefined, this.mode);
    if (r && event.ip === undefined && event.domain === undefined) r.hostile = false;
    return r;
  }

  private access(event: LogEvent): Recognised | undefined {
    applyClient(event);
    const f = event.fields ?? {};
    const status = typeof f.status === 'number' ? f.status : undefined;
    const hostile = event.ip !== undefined || event.domain !== undefined;
    if (isBadRequest(f.method as string | undefined, status))
      return { action: 'http.bad_request', outcome: 'failure', hostile };
    // A 401 naming a user is a failed login; a bare one is the challenge every browser meets before it sends
    // credentials (counting those would blacklist an office behind one address).
    if (status === 401 && event.user !== undefined) return { action: 'http.auth_failure', outcome: 'failure', hostile };
    const probe = isProbe(f.method as string | undefined, f.path as string | undefined, status);
    if (!probe) return undefined;
    return { action: 'http.probe', outcome: 'failure', hostile };
  }
}
