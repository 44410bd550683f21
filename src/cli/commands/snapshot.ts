/**
 * `logsleuth snapshot [--json] [--proc-root DIR]`: what is connected and what
 * runs, now; `ss -tuanp` and `ps` together.
 */
import type { Command } from 'commander';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ConnectionData } from '../../core/kinds';
import type { ProcessInfo } from '../../proc';
import { escapeForTerminal } from '../../report/terminal-escape';
import { NetworkTracer } from '../../tracers/network';
import { ProcessTracer } from '../../tracers/process';
import { type CliRun, fail } from '../io';

/** A socket in the `snapshot --json` shape. */
function connectionJson(c: ConnectionData) {
  return {
    protocol: c.protocol,
    local: { address: c.local.address, port: c.local.port },
    remote: { address: c.remote.address, port: c.remote.port },
    state: c.state,
    inode: c.inode,
    uid: c.uid,
    pid: c.pid,
    process: c.process,
  };
}

/** A process in the `snapshot --json` shape: rss and vsize in bytes, cpu in percent over its lifetime. */
function processJson(p: ProcessInfo) {
  return {
    pid: p.pid,
    ppid: p.ppid,
    name: p.name,
    cmdline: p.cmdline,
    state: p.state,
    user: p.user,
    uid: p.uid,
    rss: p.rss,
    vsize: p.vsize,
    cpu: Math.round(p.cpu * 10) / 10,
    threads: p.threads,
    start: p.startTime === null ? null : new Date(p.startTime).toISOString(),
  };
}

function endpoint(address: string, port: number, protocol: string): string {
  const host = address.includes(':') ? `[${address}]` : address;
  return `${host}:${port === 0 && !protocol.startsWith('udp') ? '*' : port}`;
}

/** Left-aligned columns; the last column is not padded. */
function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function megabytes(bytes: number): string {
  return (bytes / 1048576).toFixed(1);
}

export function register(program: Command, run: CliRun): void {
  program
    .command('snapshot')
    .description('Live sockets with their owning processes, and the process table (like ss -tuanp and ps)')
    .option('--json', 'print {connections, processes} as JSON')
    .option('--proc-root <dir>', 'read this directory instead of /proc', '/proc')
    .option('--passwd <file>', 'user names from this passwd file', '/etc/passwd')
    .action((flags: { json?: boolean; procRoot: string; passwd: string }) => {
      const procRoot = resolve(flags.procRoot);
      if (!isDirectory(procRoot)) {
        fail(run, `--proc-root ${escapeForTerminal(flags.procRoot)} is not a directory`);
        return;
      }
      const network = new NetworkTracer({ procRoot });
      // What ps reads: the socket owners scan already covers the fds.
      const processes = new ProcessTracer({ procRoot, passwdPath: flags.passwd, detail: 'basic' });
      const sockets = network.snapshot();
      const table_ = processes.snapshot();
      if (flags.json) {
        run.io.out(
          JSON.stringify(
            { connections: sockets.connections.map(connectionJson), processes: table_.items.map(processJson) },
            null,
            2,
          ) + '\n',
        );
        return;
      }
      const e = escapeForTerminal;
      run.io.out(
        table(
          ['Proto', 'State', 'Local', 'Remote', 'Service', 'Process'],
          sockets.connections.map((c) => [
            c.protocol,
            c.state,
            endpoint(c.local.address, c.local.port, c.protocol),
            endpoint(c.remote.address, c.remote.port, c.protocol),
            c.service ?? '',
            c.pid === null ? '' : `${e(c.process ?? '?')} (${c.pid})`,
          ]),
        ),
      );
      run.io.out('\n');
      run.io.out(
        table(
          ['PID', 'PPID', 'User', 'S', 'RSS(MB)', 'CPU%', 'Name', 'Command'],
          table_.items.map((p) => [
            String(p.pid),
            String(p.ppid),
            e(p.user ?? String(p.uid)),
            p.state,
            megabytes(p.rss),
            p.cpu.toFixed(1),
            e(p.name),
            p.kernelThread ? `[${e(p.name)}]` : e(p.cmdline),
          ]),
        ),
      );
      const skipped = sockets.skipped + table_.skipped;
      if (skipped > 0 || sockets.ownersSkipped > 0) {
        run.io.out(
          `\n${sockets.connections.length} sockets, ${table_.items.length} processes; skipped ${sockets.skipped} malformed socket lines, ${table_.skipped} vanished or unreadable processes, ${sockets.ownersSkipped} processes whose descriptors were unreadable\n`,
        );
      }
    });
}
