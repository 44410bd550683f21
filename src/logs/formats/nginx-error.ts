/**
 * nginx's error log: `2012/04/09 11:53:29 [error] 2865#0: *66647 message,
 * client: 1.2.3.4, server: x, request: "GET / HTTP/1.1", host: "x"`. The
 * message and the request are the client's text, so the trailing context is
 * read anchored at the end of the line (the last `, client: ..., server: `
 * followed by nginx's own fields), never by the first `client:` seen.
 */
import RE2 from 're2';
import { createEvent } from '../../core/event';
import { scanIso } from '../time';
import { type LogFormat, levelOf, pidOf } from './types';

const HEADER = new RE2(
  '^\\[(?P<level>[a-z]+)\\] (?P<pid>\\d+)#(?P<tid>\\d+): (?:\\*(?P<cid>\\d+) )?(?P<rest>.*)$',
  's',
);
const CONTEXT = new RE2(
  '^(?P<message>.*), client: (?P<client>[^\\s,]+), server: (?P<server>[^,]*?)(?:, request: "(?P<request>[^"]*(?:"[^"]*)*?)")?(?P<tail>(?:, (?:subrequest|upstream|host|referrer): "[^"]*")*)\\s*$',
  's',
);
const TAIL = new RE2('(?:^|, )(?P<key>upstream|host|referrer): "(?P<value>[^"]*)"', 'g');
const REQUEST = new RE2('^(?P<method>[A-Z]{2,20}) (?P<path>\\S+)(?: (?P<protocol>HTTP/[\\d.]+))?$');

/** The parts of an nginx error body (after the date). */
export interface NginxErrorBody {
  level: ReturnType<typeof levelOf>;
  pid: number | undefined;
  message: string;
  fields: Record<string, unknown>;
}

/** Reads `[level] pid#tid: *cid message[, client: ...]` (the text after the date). */
export function readNginxErrorBody(text: string): NginxErrorBody | undefined {
  if (text.charCodeAt(0) !== 91) return undefined;
  const head = HEADER.exec(text)?.groups;
  if (!head) return undefined;
  const fields: Record<string, unknown> = {};
  if (head.cid !== undefined) fields.connection = Number(head.cid);
  let message = head.rest!;
  if (message.includes(', client: ')) {
    const ctx = CONTEXT.exec(message)?.groups;
    if (ctx) {
      message = ctx.message!;
      fields.client = ctx.client;
      if (ctx.server) fields.server = ctx.server;
      if (ctx.request !== undefined) {
        fields.request = ctx.request;
        const req = REQUEST.exec(ctx.request)?.groups;
        if (req) {
          fields.method = req.method;
          fields.path = req.path;
          if (req.protocol) fields.protocol = req.protocol;
        }
      }
      if (ctx.tail) {
        for (const m of ctx.tail.matchAll(TAIL)) fields[m.groups!.key!] = m.groups!.value;
      }
    }
  }
  return { level: levelOf(head.level), pid: pidOf(head.pid), message, fields };
}

/**
 * Finds an nginx error body inside another message (nginx writing to syslog or
 * the journal, sometimes with its own `host nginx: ` and date in front).
 */
export function findNginxErrorBody(message: string): { time?: string; body: NginxErrorBody } | undefined {
  const slash = message.indexOf('/');
  if (slash < 4 || slash > 80) return undefined;
  const start = slash - 4;
  const body = readNginxErrorBody(message.slice(start + 20));
  return body ? { time: message.slice(start, start + 19), body } : undefined;
}

/** nginx error logs. */
export const nginxErrorFormat: LogFormat = {
  name: 'nginx-error',
  accepts: (text) => text.charCodeAt(4) === 47 && text.charCodeAt(20) === 91,
  parse(line, ctx) {
    const text = line.text;
    const iso = scanIso(text, 0, ctx.timezone);
    if (!iso || iso.length !== 19 || text.charCodeAt(19) !== 32) return undefined;
    const body = readNginxErrorBody(text.slice(20));
    if (!body) return undefined;
    return createEvent({
      source: line.source,
      line: line.line,
      raw: text,
      format: 'nginx-error',
      timestamp: iso.time,
      program: 'nginx',
      pid: body.pid,
      level: body.level,
      message: body.message,
      fields: Object.keys(body.fields).length > 0 ? body.fields : undefined,
    });
  },
};
