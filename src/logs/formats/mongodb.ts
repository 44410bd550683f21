/**
 * mongod's text log, before 4.4 made it JSON (the JSON one is read by the json
 * format): 3.0 to 4.2 write `2019-03-01T10:15:30.120+0000 I ACCESS   [conn12]
 * message` (severity F/E/W/I/D1-5, component, context); 2.x wrote only
 * `2016-11-20T00:04:00.110+0100 [conn1] message`. The context (`conn12`)
 * goes to `fields.ctx`: a 2.x authentication failure names its client only
 * on the connection's later lines.
 */
import RE2 from 're2';
import { type Level, createEvent } from '../../core/event';
import { scanIso } from '../time';
import type { LogFormat } from './types';

/** mongod's severity letters. */
export const MONGO_LEVELS: Readonly<Record<string, Level>> = {
  F: 'crit',
  E: 'error',
  W: 'warning',
  I: 'info',
  D: 'debug',
  D1: 'debug',
  D2: 'debug',
  D3: 'debug',
  D4: 'debug',
  D5: 'debug',
};

const AFTER_TIME = new RE2(
  '^ (?:(?P<severity>[FEWI]|D[1-5]?) (?P<component>[A-Z_]+|-) +)?\\[(?P<ctx>[\\w.-]{1,64})\\] (?P<message>.*)$',
  's',
);

/** `conn1234`: a client connection's thread. */
function isConnection(ctx: string): boolean {
  if (!ctx.startsWith('conn') || ctx.length === 4) return false;
  for (let i = 4; i < ctx.length; i++) if (ctx.charCodeAt(i) < 48 || ctx.charCodeAt(i) > 57) return false;
  return true;
}

/** 2.x wrote no severity or component: only its own thread names tell the line is mongod's. */
function isMongoContext(ctx: string): boolean {
  return (
    isConnection(ctx) ||
    ctx === 'initandlisten' ||
    ctx === 'signalProcessingThread' ||
    ctx === 'TTLMonitor' ||
    ctx === 'clientcursormon' ||
    ctx === 'websvr' ||
    ctx.startsWith('rs')
  );
}

/** mongod's text log. */
export const mongodbFormat: LogFormat = {
  name: 'mongodb',
  accepts: (text) => text.charCodeAt(10) === 84 && text.includes(' ['),
  parse(line, ctx) {
    const text = line.text;
    const stamp = scanIso(text, 0, ctx.timezone);
    if (!stamp) return undefined;
    const g = AFTER_TIME.exec(text.slice(stamp.length))?.groups;
    if (!g || (g.severity === undefined && !isMongoContext(g.ctx!))) return undefined;
    const fields: Record<string, unknown> = { ctx: g.ctx };
    if (g.component !== undefined && g.component !== '-') fields.component = g.component;
    return createEvent({
      source: line.source,
      line: line.line,
      raw: text,
      format: 'mongodb',
      timestamp: stamp.time,
      program: 'mongod',
      level: g.severity === undefined ? undefined : MONGO_LEVELS[g.severity],
      message: g.message!,
      fields,
    });
  },
};
