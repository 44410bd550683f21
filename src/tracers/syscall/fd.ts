/**
 * What `-yy` says an fd is: `3</etc/passwd>`, `1</dev/pts/0<char 136:0>>`,
 * `5<TCP:[127.0.0.1:40000->127.0.0.1:8080]>`, `4<UDPv6:[[::]:44676]>`,
 * `6<UNIX-STREAM:[6789->6790]>`, `7<UNIX-STREAM:[6789,"/run/x.sock"]>`,
 * `3<pipe:[67285]>`, `8<anon_inode:[eventpoll]>`; and socket addresses
 * (`{sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("10.0.0.1")}`).
 */
import { skipAnnotation, skipString } from './scan';
import { unescapeStrace } from './strings';

/** One end of an inet socket. */
export interface Endpoint {
  ip: string;
  port: number;
}

/** A decoded fd annotation. */
export type FdTarget =
  | { kind: 'path'; path: string }
  | {
      kind: 'socket';
      /** `TCP`, `TCPv6`, `UDP`, `UDPv6`, `UNIX-STREAM`, `NETLINK`, ... */
      protocol: string;
      local?: Endpoint;
      remote?: Endpoint;
      /** A UNIX socket's path, when bound or connected to one. */
      path?: string;
    }
  | { kind: 'other'; text: string };

/** A decimal integer written with digits only (and a leading minus), else undefined. */
export function integer(text: string): number | undefined {
  if (text.length === 0 || text.length > 16) return undefined;
  for (let i = text.charCodeAt(0) === 0x2d ? 1 : 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return undefined;
  }
  return text === '-' ? undefined : Number(text);
}

/** Parses `ip:port` or `[v6]:port`; undefined when it is not one. */
export function parseEndpoint(text: string): Endpoint | undefined {
  const colon = text.lastIndexOf(':');
  if (colon <= 0) return undefined;
  const port = Number(text.slice(colon + 1));
  if (!Number.isInteger(port) || port < 0 || port > 65535 || colon + 1 === text.length) return undefined;
  let ip = text.slice(0, colon);
  if (ip.startsWith('[') && ip.endsWith(']')) ip = ip.slice(1, -1);
  if (ip.length === 0 || (!ip.includes('.') && !ip.includes(':'))) return undefined;
  return { ip, port };
}

/** Decodes the inside of an annotation (without the outer `<` `>`). */
export function parseFdTarget(inner: string): FdTarget {
  if (inner.charCodeAt(0) === 0x2f) {
    // A path, maybe followed by a nested device annotation.
    const nested = inner.indexOf('<');
    return { kind: 'path', path: unescapeStrace(nested >= 0 ? inner.slice(0, nested) : inner) };
  }
  const open = inner.indexOf(':[');
  if (open > 0 && inner.endsWith(']')) {
    const protocol = inner.slice(0, open);
    if (protocol === 'pipe' || protocol === 'anon_inode' || protocol === 'socket')
      return { kind: 'other', text: inner };
    const body = inner.slice(open + 2, -1);
    const target: FdTarget = { kind: 'socket', protocol };
    if (protocol.startsWith('UNIX')) {
      const quote = body.indexOf(',"');
      if (quote >= 0) target.path = unescapeStrace(body.slice(quote + 2, body.endsWith('"') ? -1 : undefined));
      return target;
    }
    const arrow = body.indexOf('->');
    const local = parseEndpoint(arrow >= 0 ? body.slice(0, arrow) : body);
    const remote = arrow >= 0 ? parseEndpoint(body.slice(arrow + 2)) : undefined;
    if (local) target.local = local;
    if (remote) target.remote = remote;
    return target;
  }
  return { kind: 'other', text: inner };
}

/**
 * The fd and its annotation at the start of an argument (`3</etc/passwd>`,
 * `AT_FDCWD</tmp>`); `fd` is -100 for AT_FDCWD, undefined when not a number.
 */
export function splitFdArg(arg: string): { fd: number | undefined; target: FdTarget | undefined } {
  const lt = arg.indexOf('<');
  const head = lt >= 0 ? arg.slice(0, lt) : arg;
  const fd = head === 'AT_FDCWD' ? -100 : integer(head);
  if (lt < 0) return { fd, target: undefined };
  const end = skipAnnotation(arg, lt);
  return { fd, target: parseFdTarget(arg.slice(lt + 1, end - 1)) };
}

/** A socket address argument. */
export type SockAddr =
  | { family: 'inet' | 'inet6'; ip: string; port: number }
  | { family: 'unix'; path: string }
  | { family: 'other'; name: string };

/** The value after `key=` in a struct's text (up to the next top-level comma or `}`). */
function field(text: string, key: string): string | undefined {
  const at = text.indexOf(key + '=');
  if (at < 0) return undefined;
  let i = at + key.length + 1;
  const start = i;
  let depth = 0;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) i = skipString(text, i) - 1;
    else if (c === 0x28 || c === 0x7b || c === 0x5b) depth++;
    else if ((c === 0x29 || c === 0x7d || c === 0x5d) && depth-- === 0) break;
    else if (c === 0x2c && depth === 0) break;
  }
  return text.slice(start, i);
}

/** The number inside `htons(80)`. */
function wrapped(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const open = text.indexOf('(');
  const value = Number(open >= 0 ? text.slice(open + 1, text.lastIndexOf(')')) : text);
  return Number.isInteger(value) ? value : undefined;
}

/** The first quoted string inside `text`, decoded. */
function quoted(text: string): string | undefined {
  const at = text.indexOf('"');
  if (at < 0) return undefined;
  return unescapeStrace(text.slice(at + 1, skipString(text, at) - 1));
}

/** Parses `{sa_family=..., ...}`; undefined when the argument is not a socket address. */
export function parseSockAddr(arg: string): SockAddr | undefined {
  if (!arg.startsWith('{sa_family=')) return undefined;
  const family = field(arg, 'sa_family') ?? '';
  if (family === 'AF_INET') {
    const port = wrapped(field(arg, 'sin_port'));
    const ip = quoted(field(arg, 'sin_addr') ?? '');
    return port === undefined || ip === undefined ? undefined : { family: 'inet', ip, port };
  }
  if (family === 'AF_INET6') {
    const port = wrapped(field(arg, 'sin6_port'));
    // `inet_pton(AF_INET6, "::1", &sin6_addr)` is not a key=value field.
    const at = arg.indexOf('inet_pton(AF_INET6, ');
    const ip = at >= 0 ? quoted(arg.slice(at)) : undefined;
    return port === undefined || ip === undefined ? undefined : { family: 'inet6', ip, port };
  }
  if (family === 'AF_UNIX') {
    const path = field(arg, 'sun_path');
    if (path === undefined) return { family: 'unix', path: '' };
    const abstract = path.startsWith('@');
    return { family: 'unix', path: (abstract ? '@' : '') + (quoted(path) ?? '') };
  }
  return { family: 'other', name: family };
}
