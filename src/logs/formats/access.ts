/**
 * nginx and Apache access logs: common, combined, vhost_combined (`%v:%p`
 * first) and the usual extensions after the user agent (X-Forwarded-For,
 * request time). The request line and the agent are the client's text.
 */
import RE2 from 're2';
import { createEvent } from '../../core/event';
import { scanClf, scanIso } from '../time';
import { type AccessGroups, type RequestGroups, scanAccessLine, scanRequest, scannable } from './access-scan';
import { type LogFormat } from './types';

/** The line as re2 reads it: the reference for {@link scanAccessLine}, and the reader of what it does not scan. */
export const ACCESS_LINE = new RE2(
  '^(?:(?P<vhost>\\S+) )??(?P<client>\\S+) (?P<ident>\\S+) (?P<user>\\S+|"[^"]*") \\[(?P<time>[^\\]]*)\\] "(?P<request>(?:[^"\\\\]|\\\\.)*)" (?P<status>\\d{3}|-) (?P<bytes>\\d+|-)(?: "(?P<referrer>(?:[^"\\\\]|\\\\.)*)" "(?P<agent>(?:[^"\\\\]|\\\\.)*)")?(?P<rest>.*)$',
);
/** The request line as re2 reads it (the reference for {@link scanRequest}). */
export const ACCESS_REQUEST = new RE2('^(?P<method>[A-Za-z]{1,20}) (?P<path>\\S+)(?: (?P<protocol>HTTP/[\\d.]+))?$');
const TRAILING_NUMBER = new RE2('(?:^|\\s)(?P<time>\\d+(?:\\.\\d+)?)\\s*$');

function dash(value: string | undefined): string | undefined {
  return value === undefined || value === '-' || value === '' ? undefined : value;
}

/** Access logs in Common / Combined Log Format and their common extensions. */
export const accessFormat: LogFormat = {
  name: 'access',
  accepts: (text) => text.includes(' [') && text.includes('] "'),
  parse(line, ctx) {
    const text = line.text;
    const fast = scannable(text);
    const g = fast ? scanAccessLine(text) : (ACCESS_LINE.exec(text)?.groups as AccessGroups | undefined);
    if (!g) return undefined;
    // The bracketed field is a time (`%t`, `$time_local`, or `$time_iso8601` in a custom format); a line whose
    // brackets hold anything else is another format's (Django's `[stamp] INFO [django.server:187] "GET ..." 200`).
    const stamp = scanClf(g.time, 0, ctx.timezone) ?? scanIso(g.time, 0, ctx.timezone);
    if (stamp?.length !== g.time.length) return undefined;
    const fields: Record<string, unknown> = {};
    const status = g.status === '-' ? undefined : Number(g.status);
    if (status !== undefined) fields.status = status;
    if (g.bytes !== '-') fields.bytes = Number(g.bytes);
    fields.request = g.request;
    const req = fast ? scanRequest(g.request) : (ACCESS_REQUEST.exec(g.request)?.groups as RequestGroups | undefined);
    if (req) {
      fields.method = req.method;
      fields.path = req.path;
      if (req.protocol) fields.protocol = req.protocol;
    }
    const referrer = dash(g.referrer);
    if (referrer) fields.referrer = referrer;
    const agent = dash(g.agent);
    if (agent) fields.userAgent = agent;
    if (g.vhost) fields.vhost = g.vhost;
    const rest = g.rest.trim();
    if (rest) {
      fields.extra = rest;
      const t = TRAILING_NUMBER.exec(rest)?.groups?.time;
      if (t !== undefined) fields.requestTime = Number(t);
    }
    fields.client = g.client;
    let user = dash(g.user);
    if (user?.startsWith('"')) user = dash(user.slice(1, -1));
    return createEvent({
      source: line.source,
      line: line.line,
      raw: text,
      format: 'access',
      timestamp: stamp.time,
      action: 'http.request',
      outcome: status === undefined ? 'unknown' : status < 400 ? 'success' : 'failure',
      user,
      message: g.request,
      fields,
    });
  },
};
