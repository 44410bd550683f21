/**
 * The finding kinds of the syscall tracer, merged into the registry by
 * declaration merging (the core's kinds.ts is left to the core's tracers).
 */

/** A traced process met a network peer: it connected to it, or accepted it. */
export interface SyscallConnectData {
  /** The process (thread group) id and its name (the executable's base name). */
  pid: number;
  process: string;
  /** Its command line, as execve gave it (bounded). */
  cmdline: string;
  ip: string;
  port: number;
  /** `tcp`, `udp`, or the socket's protocol as strace names it. */
  protocol: string;
  /** Our end of the socket, when strace named it. */
  local: { ip: string; port: number } | null;
  /** When the call was made (ISO), null without timestamps. */
  at: string | null;
  /** `failure` with the errno when the call failed (`EINPROGRESS` is a non-blocking connect under way). */
  outcome: 'success' | 'failure';
  errno: string | null;
}

/** What the traced processes did with a suspect address (answering `ip.threat` / `ip.blacklisted`). */
export interface SyscallPeerData {
  ip: string;
  /** One sentence: "curl pid 4242 connected to 203.0.113.9:443". */
  summary: string;
  processes: { pid: number; name: string; cmdline: string }[];
  ports: number[];
  connects: number;
  accepts: number;
  bytesSent: number;
  bytesReceived: number;
}

declare module '../../core/finding' {
  interface FindingKinds {
    /** A traced process connected to a network peer (one finding per process and peer). */
    'syscall.connect': SyscallConnectData;
    /** A traced process accepted a connection from a peer (one finding per process and peer address). */
    'syscall.accept': SyscallConnectData;
    /** What the traced processes did with an address the IP tracer flagged. */
    'syscall.peer': SyscallPeerData;
  }
}
