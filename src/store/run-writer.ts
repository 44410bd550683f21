/**
 * The rows of one run: events and raw lines as they are read, /proc samples
 * as they are taken, gold from the investigation's result. Rows go through
 * appenders; `flush` commits them (DuckDB's WAL keeps them across a crash).
 */
import type { LogEvent } from '../core/event';
import type { AnyFinding } from '../core/finding';
import { type InvestigationResult, assembleResult } from '../core/result';
import type { LoadState, MemoryState } from '../proc/host';
import type { ProcSnapshot, ProcessSample, SystemSample } from '../proc/sampler';
import {
  BRONZE_LINES,
  BRONZE_PROC_SAMPLES,
  FLEET_MESSAGES,
  GOLD_CASES,
  GOLD_CHAINS,
  GOLD_ERRORS,
  GOLD_FINDINGS,
  SILVER_EVENTS,
  SILVER_PROCESS_SAMPLES,
  SILVER_SOCKET_SAMPLES,
  SILVER_SYSTEM_SAMPLES,
  type RowContext,
  caseRow,
  chainRow,
  errorRow,
  eventRow,
  findingRow,
} from './rows';
import type { Store } from './store';
import { TableWriter } from './table-writer';
import type { TraceResult } from '../trace';
import type { PcapReport } from '../traffic/pcap-report';
import type { Case } from '../core/case';
import { GOLD_FLOWS, flowRow } from './capture-rows';
import {
  GOLD_SYSCALLS,
  GOLD_TRACE_PATHS,
  GOLD_TRACE_PEERS,
  syscallRow,
  tracePathRow,
  tracePeerRow,
} from './trace-rows';
import type { ColumnSpec } from './table-writer';

const STREAMED = {
  bronze_lines: BRONZE_LINES,
  bronze_proc_samples: BRONZE_PROC_SAMPLES,
  silver_events: SILVER_EVENTS,
  silver_process_samples: SILVER_PROCESS_SAMPLES,
  silver_socket_samples: SILVER_SOCKET_SAMPLES,
  silver_system_samples: SILVER_SYSTEM_SAMPLES,
  fleet_messages: FLEET_MESSAGES,
} satisfies Record<string, ColumnSpec[]>;

type StreamedTable = keyof typeof STREAMED;

/**
 * What `sample` writes: a ProcSnapshot, or a lighter sampler's view of the same
 * instant (`serve`'s), whose processes may lack the figures it does not read (stored as null).
 */
export type SampleRows = Omit<ProcSnapshot, 'processes' | 'system' | 'skipped'> & {
  processes: readonly (Pick<ProcessSample, 'pid' | 'name' | 'cmdline' | 'user' | 'state' | 'cpuPercent' | 'rss'> &
    Partial<ProcessSample>)[];
  system: Omit<SystemSample, 'load' | 'memory'> & {
    load: Pick<LoadState, 'one' | 'five' | 'fifteen'> | null;
    memory: Pick<MemoryState, 'total' | 'available' | 'usedPercent' | 'swapTotal' | 'swapFree'> | null;
  };
};

/** A JetStream message whose events a collector stored (`fleet_messages`). */
export interface FleetMessage {
  /** The agent's host id. */
  host: string;
  stream: string;
  seq: number;
  events: number;
}

/** Counts of what a run has written so far. */
export interface RunCounts {
  events: number;
  lines: number;
  samples: number;
}

/** Writes one run; get one from `store.startRun`. */
export class RunWriter {
  private samples = 0;
  private finished = false;

  private constructor(
    private readonly store: Store,
    private readonly context: RowContext,
    private readonly writers: Record<StreamedTable, TableWriter>,
  ) {}

  /** @internal use `store.startRun`. */
  static async open(store: Store, context: RowContext): Promise<RunWriter> {
    const writers = {} as Record<StreamedTable, TableWriter>;
    for (const [table, columns] of Object.entries(STREAMED)) {
      writers[table as StreamedTable] = await TableWriter.open(store.connection, table, columns);
    }
    return new RunWriter(store, context, writers);
  }

  get runId(): string {
    return this.context.runId;
  }

  get host(): string {
    return this.context.host;
  }

  counts(): RunCounts {
    return { events: this.writers.silver_events.count, lines: this.writers.bronze_lines.count, samples: this.samples };
  }

  /**
   * One event into silver, and its raw record into bronze unless `raw` is
   * false. `templateId`: the error tracer's signature for it, when it is an
   * error. `host`: the host it came from, when not the run's (a collector's agents).
   */
  event(event: LogEvent, raw = true, templateId?: string, readAt = Date.now(), host = this.context.host): void {
    const context = host === this.context.host ? this.context : { runId: this.context.runId, host };
    this.writers.silver_events.append(eventRow(context, event, templateId));
    if (raw) {
      this.writers.bronze_lines.append([
        context.runId,
        context.host,
        event.source,
        event.line,
        event.byteOffset,
        readAt,
        event.raw,
      ]);
    }
  }

  /** A collector's record that it stored the events of `message`; commit it with them. */
  message(message: FleetMessage): void {
    this.writers.fleet_messages.append([this.context.runId, message.host, message.stream, message.seq, message.events]);
  }

  /**
   * One /proc sample: the system files into bronze, processes, sockets and
   * system into silver. `host`: the host it was taken on, when not the run's (a collector's agents).
   */
  sample(snapshot: SampleRows, raw = true, host = this.context.host): void {
    const { runId } = this.context;
    const at = snapshot.at;
    if (raw) {
      for (const file of snapshot.raw)
        this.writers.bronze_proc_samples.append([runId, host, at, file.path, file.content]);
    }
    for (const p of snapshot.processes) {
      this.writers.silver_process_samples.append([
        runId,
        host,
        at,
        p.pid,
        p.ppid,
        p.startTime,
        p.name,
        p.cmdline,
        p.uid,
        p.user,
        p.state,
        p.cpuTicks,
        p.cpuPercent,
        p.rss,
        p.readBytes,
        p.writeBytes,
        p.fds,
        p.threads,
        p.voluntaryContextSwitches,
        p.nonvoluntaryContextSwitches,
      ]);
    }
    for (const s of snapshot.sockets) {
      this.writers.silver_socket_samples.append([
        runId,
        host,
        at,
        s.protocol,
        s.localAddress,
        s.localPort,
        s.remoteAddress,
        s.remotePort,
        s.state,
        s.inode,
        s.uid,
        s.pid,
        s.ownerPids,
      ]);
    }
    const { system } = snapshot;
    this.writers.silver_system_samples.append([
      runId,
      host,
      at,
      system.cpuPercent,
      system.load?.one,
      system.load?.five,
      system.load?.fifteen,
      system.memory?.total,
      system.memory?.available,
      system.memory?.usedPercent,
      system.memory?.swapTotal,
      system.memory?.swapFree,
      system.disks,
      system.diskReadBytes,
      system.diskWriteBytes,
      system.netRxBytes,
      system.netTxBytes,
    ]);
    this.samples++;
  }

  /** Commits every row appended so far. */
  flush(): void {
    for (const writer of Object.values(this.writers)) writer.flush();
  }

  /** Replaces the run's cases, findings, chains and errors with those of `result`, and rebuilds the rest of gold. */
  async writeGold(result: InvestigationResult): Promise<void> {
    await this.store.rebuildGold(this.context.runId, () => this.replaceGold(result));
  }

  private async replaceGold(result: InvestigationResult): Promise<void> {
    const connection = this.store.connection;
    for (const table of ['gold_cases', 'gold_findings', 'gold_chains', 'gold_errors']) {
      await connection.run(`DELETE FROM ${table} WHERE run_id = $run`, { run: this.context.runId });
    }
    const write = this.appendAll;
    await write('gold_cases', GOLD_CASES, result.cases, (c) => caseRow(this.context, c));
    await write('gold_findings', GOLD_FINDINGS, result.findings, (f) => findingRow(this.context, f));
    await write('gold_chains', GOLD_CHAINS, result.chains, (c) => chainRow(this.context, c));
    await write('gold_errors', GOLD_ERRORS, result.errors, (e) => errorRow(this.context, e));
  }

  /** Appends `items` to a gold table in one appender. */
  private readonly appendAll = async <T>(
    table: string,
    columns: ColumnSpec[],
    items: readonly T[],
    row: (item: T) => unknown[],
  ): Promise<void> => {
    const writer = await TableWriter.open(this.store.connection, table, columns);
    for (const item of items) writer.append(row(item));
    writer.close();
  };

  /** A traced program's gold: its system calls, paths, peers and cases (`trace --store`). */
  async writeTrace(trace: TraceResult): Promise<void> {
    await this.store.rebuildGold(this.context.runId, async () => {
      const write = this.appendAll;
      await write('gold_syscalls', GOLD_SYSCALLS, trace.syscall.syscalls, (s) => syscallRow(this.context, s));
      await write('gold_trace_paths', GOLD_TRACE_PATHS, trace.syscall.paths, (p) => tracePathRow(this.context, p));
      await write('gold_trace_peers', GOLD_TRACE_PEERS, trace.syscall.peers, (p) => tracePeerRow(this.context, p));
      await write('gold_cases', GOLD_CASES, trace.cases, (c) => caseRow(this.context, c));
    });
  }

  /** A packet capture's gold: its flows, and the cases of `--cases` when given. */
  async writeCapture(report: PcapReport, cases: readonly Case[] = []): Promise<void> {
    await this.store.rebuildGold(this.context.runId, async () => {
      await this.appendAll('gold_flows', GOLD_FLOWS, report.flows.list, (f) => flowRow(this.context, f));
      await this.appendAll('gold_cases', GOLD_CASES, cases, (c) => caseRow(this.context, c));
    });
  }

  /** Gold from the findings seen so far (a recording's scheduled rebuild), then the process and connection facts. */
  async rebuildGold(findings?: readonly AnyFinding[]): Promise<void> {
    this.flush();
    const result = findings && assembleResult(findings, Date.now(), {});
    await this.store.rebuildGold(this.context.runId, result && (() => this.replaceGold(result)));
  }

  /** Flushes, writes gold (from `result` when given), marks the run finished and closes the appenders. */
  async finish(result?: InvestigationResult, finished = Date.now()): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    this.flush();
    for (const writer of Object.values(this.writers)) writer.close();
    await this.store.rebuildGold(this.context.runId, result && (() => this.replaceGold(result)));
    await this.store.connection.run('UPDATE runs SET finished = make_timestamp($at * 1000) WHERE id = $run', {
      at: Math.round(finished),
      run: this.context.runId,
    });
  }
}
