/**
 * The text report of `logsleuth trace`, and its live view. Paths, command
 * lines and names are the traced program's: they go through the terminal
 * escaper. No analysis here: only layout of a TraceResult.
 */
import type { TraceProgress, TraceResult } from '../trace';
import type { ProcessNode, SyscallReport } from '../tracers/syscall';
import { escapeForTerminal as esc } from './terminal-escape';

function seconds(value: number): string {
  if (value >= 1) return `${value.toFixed(3)}s`;
  if (value >= 1e-3) return `${(value * 1e3).toFixed(2)}ms`;
  return `${Math.round(value * 1e6)}µs`;
}

function bytes(value: number): string {
  if (value >= 1 << 30) return `${(value / (1 << 30)).toFixed(1)} GiB`;
  if (value >= 1 << 20) return `${(value / (1 << 20)).toFixed(1)} MiB`;
  if (value >= 1 << 10) return `${(value / (1 << 10)).toFixed(1)} KiB`;
  return `${value} B`;
}

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ');
  return [line(headers), ...rows.map(line)].join('\n') + '\n';
}

function syscallTable(report: SyscallReport, top: number): string {
  const rows = report.syscalls.slice(0, top).map((s) => [
    s.name,
    String(s.count),
    String(s.errors),
    seconds(s.total),
    seconds(s.avg),
    seconds(s.p95),
    seconds(s.max),
    `${(s.share * 100).toFixed(1)}%`,
    Object.entries(s.errnos)
      .slice(0, 3)
      .map(([e, n]) => `${e}×${n}`)
      .join(' '),
  ]);
  return table(['syscall', 'calls', 'errors', 'total', 'avg', 'p95', 'max', 'time', 'errnos'], rows);
}

function pathTable(report: SyscallReport, top: number): string {
  const rows = report.paths
    .slice(0, top)
    .map((p) => [
      String(p.total),
      String(p.open),
      String(p.stat),
      String(p.read),
      String(p.write),
      String(p.unlink),
      String(p.exec),
      bytes(p.bytesRead),
      bytes(p.bytesWritten),
      esc(p.path),
    ]);
  return table(['total', 'open', 'stat', 'read', 'write', 'unlink', 'exec', 'read B', 'written B', 'path'], rows);
}

function peerTable(report: SyscallReport, top: number): string {
  const rows = report.peers
    .slice(0, top)
    .map((p) => [
      p.protocol,
      String(p.connects),
      String(p.accepts),
      bytes(p.bytesSent),
      bytes(p.bytesReceived),
      String(p.failures),
      `${p.ip.includes(':') ? `[${p.ip}]` : p.ip}:${p.port}`,
    ]);
  return table(['proto', 'connects', 'accepts', 'sent', 'received', 'failed', 'peer'], rows);
}

function treeLines(processes: readonly ProcessNode[], max: number): string[] {
  const children = new Map<number | null, ProcessNode[]>();
  const known = new Set(processes.map((p) => p.pid));
  for (const p of processes) {
    if (p.thread) continue;
    const parent = p.ppid !== null && known.has(p.ppid) ? p.ppid : null;
    const list = children.get(parent) ?? [];
    list.push(p);
    children.set(parent, list);
  }
  const threads = new Map<number, number>();
  for (const p of processes) if (p.thread) threads.set(p.tgid, (threads.get(p.tgid) ?? 0) + 1);
  const out: string[] = [];
  const walk = (parent: number | null, depth: number) => {
    const list = children.get(parent) ?? [];
    for (let i = 0; i < list.length; i++) {
      const p = list[i]!;
      if (out.length >= max) {
        out.push(`${'  '.repeat(depth)}... ${list.length - i} more`);
        return;
      }
      const ending = p.signal ? `killed by ${p.signal}` : p.exitCode !== null ? `exit ${p.exitCode}` : 'running';
      const t = threads.get(p.pid);
      const argv = p.argv.length ? p.argv.join(' ') : p.name;
      out.push(
        `${'  '.repeat(depth)}${p.pid} ${esc(argv.length > 120 ? argv.slice(0, 120) + '...' : argv)} (${ending}${t ? `, ${t} thread${t > 1 ? 's' : ''}` : ''}, ${p.calls} calls)`,
      );
      walk(p.pid, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

/** The full report. */
export function renderTraceText(result: TraceResult, top = 20): string {
  const r = result.syscall;
  let out = '';
  const what = result.command ? esc(result.command.join(' ')) : `pid ${result.pid}`;
  const ending = result.exit
    ? result.exit.signal
      ? `, killed by ${result.exit.signal}`
      : `, exit ${result.exit.code}`
    : '';
  out += `Traced ${what}: ${r.lines.calls} calls in ${(result.elapsedMs / 1000).toFixed(2)}s${ending}; ${seconds(r.totalTime)} in syscalls\n`;
  if (r.lines.garbage) out += `(${r.lines.garbage} line(s) of strace output not understood)\n`;
  if (result.overlongLines) out += `(${result.overlongLines} line(s) of strace output over 4 MiB skipped)\n`;
  out += `\nSyscalls (by time)\n${syscallTable(r, top)}`;
  if (r.paths.length) out += `\nPaths (most used)\n${pathTable(r, top)}`;
  if (r.peers.length) out += `\nNetwork peers\n${peerTable(r, top)}`;
  const tree = treeLines(r.processes, 50);
  if (tree.length) out += `\nProcesses\n${tree.join('\n')}\n`;
  const samples = result.resources.samples;
  if (samples.length) {
    out += `\nResources: peak RSS ${bytes(result.resources.peakRss)}, peak CPU ${result.resources.peakCpu}%\n`;
    const step = Math.max(1, Math.ceil(samples.length / 10));
    for (let i = 0; i < samples.length; i += step) {
      const s = samples[i]!;
      out += `  ${(s.t / 1000).toFixed(1).padStart(6)}s  cpu ${String(s.cpu).padStart(5)}%  rss ${bytes(s.rss)}\n`;
    }
  }
  if (result.suspects.length) {
    out += `\nSuspect peers\n`;
    for (const s of result.suspects) out += `  ${esc(s.summary)}\n`;
  }
  if (result.errors.length) {
    out += `\nFailed calls that matter\n`;
    for (const e of result.errors.slice(0, 10)) {
      out += `  [${e.category}/${e.subkind}] ×${e.count} ${esc(e.template)}\n    ${esc(e.hint)}\n`;
      if (e.targetCount > 1) {
        const shown = e.targets.slice(0, 8);
        const rest = e.targetCount - shown.length;
        out += `    on ${e.targetCount}: ${shown.map(esc).join(', ')}${rest ? ` (+${rest} more)` : ''}\n`;
      }
    }
  }
  for (const m of result.straceMessages.slice(0, 5)) out += `strace: ${esc(m)}\n`;
  return out;
}

/** One screen of the live view (the caller clears the screen before it). */
export function renderLiveView(progress: TraceProgress, top = 10): string {
  const r = progress.report;
  const s = progress.sample;
  let out = `logsleuth trace — ${(progress.elapsedMs / 1000).toFixed(0)}s, ${r.lines.calls} calls`;
  if (s) out += `, ${s.processes} process(es), cpu ${s.cpu}%, rss ${bytes(s.rss)}`;
  out += `\n\n${syscallTable(r, top)}`;
  if (r.paths.length) out += `\n${pathTable(r, Math.min(top, 8))}`;
  if (r.peers.length) out += `\n${peerTable(r, 5)}`;
  return out;
}
