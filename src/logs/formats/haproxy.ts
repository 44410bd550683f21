/**
 * HAProxy's HTTP log (`option httplog`), as it sends it to syslog:
 * `203.0.113.5:58444 [14/Nov/2015:22:45:25.439] main app/app1 1939/0/1/0/1940
 * 403 5168 - - ---- 3/3/0/0/0 0/0 {captured} "GET / HTTP/1.1"`: the client
 * and its port, frontend, backend and server (`<NOSRV>` when HAProxy answered
 * itself), timers, status, bytes, cookies, termination state, connection
 * counts, queues, captured headers, request. Read into the fields an access
 * log line has, so the access recogniser judges it like one.
 */
import RE2 from 're2';
import { ACCESS_REQUEST } from './access';

const HTTP_LOG = new RE2(
  '^(?P<client>\\S+):(?P<port>\\d+) \\[(?P<accepted>[^\\]]{1,40})\\] (?P<frontend>\\S+) (?P<backend>[^/\\s]+)/(?P<server>\\S+) (?:[-+]?\\d+/){3,4}[-+]?\\d+ (?P<status>-?\\d{1,3}) \\+?(?P<bytes>\\d+) \\S+ \\S+ (?P<termination>\\S{4}) (?:\\S+ ){2}(?:\\{[^}]*\\} ){0,2}"(?P<request>[^"]*)"',
  's',
);

/** The access-log fields of an HAProxy HTTP log message, or undefined when it is not one. */
export function readHaproxyHttp(message: string): Record<string, unknown> | undefined {
  const g = HTTP_LOG.exec(message)?.groups;
  if (!g) return undefined;
  const fields: Record<string, unknown> = {
    client: g.client,
    frontend: g.frontend,
    backend: g.backend,
    server: g.server,
    termination: g.termination,
    bytes: Number(g.bytes),
    request: g.request,
  };
  const status = Number(g.status);
  if (status > 0) fields.status = status;
  const request = ACCESS_REQUEST.exec(g.request!)?.groups;
  if (request) {
    fields.method = request.method;
    fields.path = request.path;
    if (request.protocol) fields.protocol = request.protocol;
  }
  return fields;
}
