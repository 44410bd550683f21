/**
 * What a completed call did, in the terms the report counts: a path accessed
 * (open, stat, read, write, unlink, exec) with its bytes, a network peer
 * (connect, accept, send, receive) with its bytes, a process or thread
 * created. Pure: from the call's name, arguments and result only.
 */
import { posix } from 'node:path';
import { type Endpoint, type FdTarget, parseFdTarget, parseSockAddr, splitFdArg } from './fd';
import type { StraceLine } from './line';
import { skipAnnotation, splitArgs } from './scan';
import { decodeString } from './strings';

/** How a path was used. */
export type PathKind = 'open' | 'stat' | 'read' | 'write' | 'unlink' | 'exec';

/** How a peer was met. */
export type PeerKind = 'connect' | 'accept' | 'send' | 'recv';

export type Effect =
  | { type: 'path'; kind: PathKind; path: string; bytes: number }
  | {
      type: 'peer';
      kind: PeerKind;
      /** `tcp`, `udp` (v4 or v6 alike) or the annotation's protocol in lower case. */
      protocol: string;
      ip: string;
      port: number;
      bytes: number;
      /** Our end, when strace named it. */
      local?: Endpoint;
    }
  | { type: 'spawn'; child: number; thread: boolean }
  | { type: 'exec'; path: string; argv: string[] };

/** Where a path call keeps its path: the argument index, and the dirfd's index for the `*at` calls. */
interface PathCall {
  kind: PathKind;
  path: number;
  dir?: number;
}

const PATH_CALLS: ReadonlyMap<string, PathCall> = new Map<string, PathCall>([
  ['open', { kind: 'open', path: 0 }],
  ['creat', { kind: 'open', path: 0 }],
  ['openat', { kind: 'open', path: 1, dir: 0 }],
  ['openat2', { kind: 'open', path: 1, dir: 0 }],
  ['stat', { kind: 'stat', path: 0 }],
  ['lstat', { kind: 'stat', path: 0 }],
  ['stat64', { kind: 'stat', path: 0 }],
  ['lstat64', { kind: 'stat', path: 0 }],
  ['access', { kind: 'stat', path: 0 }],
  ['readlink', { kind: 'stat', path: 0 }],
  ['statfs', { kind: 'stat', path: 0 }],
  ['getxattr', { kind: 'stat', path: 0 }],
  ['lgetxattr', { kind: 'stat', path: 0 }],
  ['newfstatat', { kind: 'stat', path: 1, dir: 0 }],
  ['fstatat64', { kind: 'stat', path: 1, dir: 0 }],
  ['statx', { kind: 'stat', path: 1, dir: 0 }],
  ['faccessat', { kind: 'stat', path: 1, dir: 0 }],
  ['faccessat2', { kind: 'stat', path: 1, dir: 0 }],
  ['readlinkat', { kind: 'stat', path: 1, dir: 0 }],
  ['unlink', { kind: 'unlink', path: 0 }],
  ['rmdir', { kind: 'unlink', path: 0 }],
  ['unlinkat', { kind: 'unlink', path: 1, dir: 0 }],
  ['execve', { kind: 'exec', path: 0 }],
  ['execveat', { kind: 'exec', path: 1, dir: 0 }],
]);

/** Calls on an fd: what they do to a file, or to a socket's peer. */
const FD_CALLS: ReadonlyMap<string, 'read' | 'write' | 'stat'> = new Map([
  ['read', 'read'],
  ['pread64', 'read'],
  ['readv', 'read'],
  ['preadv', 'read'],
  ['preadv2', 'read'],
  ['recv', 'read'],
  ['recvfrom', 'read'],
  ['recvmsg', 'read'],
  ['write', 'write'],
  ['pwrite64', 'write'],
  ['writev', 'write'],
  ['pwritev', 'write'],
  ['pwritev2', 'write'],
  ['send', 'write'],
  ['sendto', 'write'],
  ['sendmsg', 'write'],
  ['sendfile', 'write'],
  ['sendfile64', 'write'],
  ['fstat', 'stat'],
  ['fstat64', 'stat'],
  ['fstatfs', 'stat'],
]);

const SPAWN_CALLS = new Set(['clone', 'clone3', 'fork', 'vfork']);

/** The names whose effects are read; every other call is only counted. */
export function hasEffect(name: string): boolean {
  return (
    PATH_CALLS.has(name) ||
    FD_CALLS.has(name) ||
    SPAWN_CALLS.has(name) ||
    name === 'connect' ||
    name.startsWith('accept')
  );
}

/** The first argument of a call on an fd, with its annotation, without splitting the rest. */
function firstFdTarget(args: string): FdTarget | undefined {
  const lt = args.indexOf('<');
  if (lt <= 0 || lt > 12) return undefined;
  return parseFdTarget(args.slice(lt + 1, skipAnnotation(args, lt) - 1));
}

function protocolOf(target: FdTarget | undefined): string {
  if (target?.kind !== 'socket') return 'unknown';
  const p = target.protocol.toLowerCase();
  return p.startsWith('tcp') ? 'tcp' : p.startsWith('udp') ? 'udp' : p;
}

/** The path a path call names: the result's annotation when it opened one, else the argument resolved against its dirfd. */
function pathOf(call: StraceLine, spec: PathCall, args: string[]): string | undefined {
  if (spec.kind === 'open' && call.retTarget.charCodeAt(0) === 0x2f) {
    const target = parseFdTarget(call.retTarget);
    if (target.kind === 'path') return target.path;
  }
  const text = args[spec.path];
  const decoded = text === undefined ? undefined : decodeString(text);
  if (!decoded) return undefined;
  let path = decoded.value;
  if (spec.dir !== undefined && !path.startsWith('/')) {
    const dir = splitFdArg(args[spec.dir] ?? '').target;
    if (dir?.kind === 'path') path = path === '' ? dir.path : `${dir.path}/${path}`;
  }
  if (path === '') return undefined;
  return path.includes('/.') || path.includes('//') ? posix.normalize(path) : path;
}

/** The string elements of an `execve` argv (`["ls", "-l"]`), at most `max`. */
function argvOf(text: string | undefined, max = 16): string[] {
  if (text === undefined || !text.startsWith('[')) return [];
  const out: string[] = [];
  for (const element of splitArgs(text.slice(1, text.lastIndexOf(']')))) {
    if (out.length >= max) break;
    const s = decodeString(element);
    if (s) out.push(s.value);
  }
  return out;
}

function peerFromAddr(
  kind: PeerKind,
  protocol: string,
  addr: string | undefined,
  bytes: number,
  local?: Endpoint,
): Effect | undefined {
  if (addr === undefined) return undefined;
  const at = addr.indexOf('{sa_family=');
  if (at < 0) return undefined;
  const parsed = parseSockAddr(addr.slice(at));
  if (parsed?.family !== 'inet' && parsed?.family !== 'inet6') return undefined;
  const effect: Effect = { type: 'peer', kind, protocol, ip: parsed.ip, port: parsed.port, bytes };
  if (local) effect.local = local;
  return effect;
}

/** What `call` (a completed call) did; undefined when it did nothing the report counts. */
export function effectOf(call: StraceLine): Effect | undefined {
  const name = call.name;
  const ok = call.value >= 0;
  const fdKind = FD_CALLS.get(name);
  if (fdKind !== undefined) {
    const target = firstFdTarget(call.args);
    if (!target) return undefined;
    const bytes = fdKind !== 'stat' && call.value > 0 ? call.value : 0;
    if (target.kind === 'path')
      return ok || fdKind === 'stat' ? { type: 'path', kind: fdKind, path: target.path, bytes } : undefined;
    if (target.kind !== 'socket' || fdKind === 'stat') return undefined;
    const kind: PeerKind = fdKind === 'read' ? 'recv' : 'send';
    if (target.remote) {
      const effect: Effect = {
        type: 'peer',
        kind,
        protocol: protocolOf(target),
        ip: target.remote.ip,
        port: target.remote.port,
        bytes,
      };
      if (target.local) effect.local = target.local;
      return effect;
    }
    // An unconnected datagram socket names its peer in the call (sendto's 5th, recvfrom's 5th, msghdr's msg_name).
    if (name === 'sendto' || name === 'recvfrom' || name === 'sendmsg' || name === 'recvmsg') {
      return peerFromAddr(
        kind,
        protocolOf(target),
        name.endsWith('msg') ? call.args : splitArgs(call.args)[4],
        bytes,
        target.local,
      );
    }
    return undefined;
  }
  const pathSpec = PATH_CALLS.get(name);
  if (pathSpec !== undefined) {
    const args = splitArgs(call.args);
    const path = pathOf(call, pathSpec, args);
    if (path === undefined) return undefined;
    if (pathSpec.kind === 'exec' && call.value === 0)
      return { type: 'exec', path, argv: argvOf(args[pathSpec.path + 1]) };
    return { type: 'path', kind: pathSpec.kind, path, bytes: 0 };
  }
  if (SPAWN_CALLS.has(name)) {
    if (!(call.value > 0)) return undefined;
    return { type: 'spawn', child: call.value, thread: call.args.includes('CLONE_THREAD') };
  }
  if (name === 'connect') {
    const args = splitArgs(call.args);
    const target = splitFdArg(args[0] ?? '').target;
    return peerFromAddr(
      'connect',
      protocolOf(target),
      args[1],
      0,
      target?.kind === 'socket' ? target.local : undefined,
    );
  }
  if (name === 'accept' || name === 'accept4') {
    if (!ok) return undefined;
    const returned = call.retTarget ? parseFdTarget(call.retTarget) : undefined;
    const protocol = protocolOf(returned ?? firstFdTarget(call.args));
    const local = returned?.kind === 'socket' ? returned.local : undefined;
    const fromAddr = peerFromAddr('accept', protocol, splitArgs(call.args)[1], 0, local);
    if (fromAddr) return fromAddr;
    if (returned?.kind === 'socket' && returned.remote) {
      const effect: Effect = {
        type: 'peer',
        kind: 'accept',
        protocol,
        ip: returned.remote.ip,
        port: returned.remote.port,
        bytes: 0,
      };
      if (local) effect.local = local;
      return effect;
    }
  }
  return undefined;
}
