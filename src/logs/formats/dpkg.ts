/**
 * dpkg's log (/var/log/dpkg.log): `2024-03-05 10:15:30 install nmap:amd64
 * <none> 7.80+dfsg1-2`, one line per action and status change. Who installed
 * what and when is part of a host's timeline: a scanner or a tunnel appearing
 * after a break-in, a tool removed to hide it. Actions: `package.install`,
 * `package.upgrade`, `package.remove`, `package.purge`; `status`, `configure`,
 * `trigproc`, `startup` and `conffile` lines are kept without one.
 */
import { type Action, createEvent } from '../../core/event';
import { scanIso } from '../time';
import type { LogFormat } from './types';

/** dpkg's actions (dpkg/src/main/... `log_action`), and what they mean here. */
const ACTIONS: Readonly<Record<string, Action | null>> = {
  install: 'package.install',
  upgrade: 'package.upgrade',
  remove: 'package.remove',
  purge: 'package.purge',
  configure: null,
  trigproc: null,
  status: null,
  startup: null,
  conffile: null,
};

/** dpkg.log. */
export const dpkgFormat: LogFormat = {
  name: 'dpkg',
  accepts: (text) => text.charCodeAt(4) === 45 && text.charCodeAt(10) === 32 && text.charCodeAt(19) === 32,
  parse(line, ctx) {
    const text = line.text;
    const stamp = scanIso(text, 0, ctx.timezone);
    if (!stamp || stamp.length !== 19 || text.charCodeAt(19) !== 32) return undefined;
    const words = text.slice(20).split(' ');
    const verb = words[0]!;
    const action = ACTIONS[verb];
    if (action === undefined) return undefined;
    // `install nmap:amd64 <none> 7.80`, `upgrade pkg:arch old new`, `status installed pkg:arch version`
    const target = verb === 'status' ? words[2] : verb === 'startup' || verb === 'conffile' ? undefined : words[1];
    const fields: Record<string, unknown> = {};
    if (target !== undefined) {
      const colon = target.indexOf(':');
      fields.package = colon < 0 ? target : target.slice(0, colon);
      if (colon >= 0) fields.arch = target.slice(colon + 1);
    }
    if (action !== null) {
      if (words[2] !== undefined && words[2] !== '<none>') fields.previousVersion = words[2];
      if (words[3] !== undefined && words[3] !== '<none>') fields.version = words[3];
    } else if (verb === 'status') {
      fields.status = words[1];
      if (words[3] !== undefined) fields.version = words[3];
    }
    return createEvent({
      source: line.source,
      line: line.line,
      raw: text,
      format: 'dpkg',
      timestamp: stamp.time,
      program: 'dpkg',
      level: action === null ? 'debug' : 'notice',
      action: action ?? undefined,
      outcome: action === null ? 'unknown' : 'success',
      message: text.slice(20),
      fields: Object.keys(fields).length > 0 ? fields : undefined,
    });
  },
};
