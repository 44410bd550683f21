/**
 * Where the time of an analysis goes, stage by stage, for optimisation work:
 * parsing per file (µs per line: format, service, recognisers) and each
 * tracer's `ingest` on the parsed events (µs per event), then all three.
 * `npx tsx bench/stages.ts [--fail2ban] FILES...` (e.g. the files of `bench/generate-logs.ts`;
 * `--fail2ban` parses with /etc/fail2ban's filters loaded as rule packs, as the CLI does).
 * Each stage runs three times; the best is printed (the first pays for JIT warm-up).
 */
import { readFileSync } from 'node:fs';
import type { LogEvent } from '../src/core/event';
import { Investigation } from '../src/core/investigation';
import type { Tracer } from '../src/core/tracer';
import { loadFail2ban } from '../src/logs/fail2ban';
import { readEvents } from '../src/logs/read-events';
import { ErrorTracer } from '../src/tracers/error';
import { EventTracer } from '../src/tracers/event';
import { IpTracer } from '../src/tracers/ip';

const REFERENCE_DATE = Date.UTC(2025, 11, 31);
const RUNS = 3;
const withPacks = process.argv[2] === '--fail2ban';

function best(runs: number, work: () => number): number {
  let fastest = Infinity;
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    const units = work();
    fastest = Math.min(fastest, Number(process.hrtime.bigint() - started) / 1e3 / units);
  }
  return fastest;
}

function parseAll(file: string): { lines: number; events: LogEvent[]; micros: number } {
  const lines = readFileSync(file, 'utf8')
    .split('\n')
    .slice(0, -1)
    .map((text, i) => ({ source: file, line: i + 1, text }));
  let events: LogEvent[] = [];
  // Loaded before the clock starts, fresh for each run: the packs' buffers and sessions hold state.
  const packs = Array.from({ length: RUNS }, () => (withPacks ? { fail2ban: loadFail2ban() } : {}));
  const micros = best(RUNS, () => {
    events = [...readEvents([], { referenceDate: REFERENCE_DATE, timezone: 'UTC', ...packs.pop() }).readSync(lines)];
    return lines.length;
  });
  return { lines: lines.length, events, micros };
}

const events: LogEvent[][] = [];
for (const file of process.argv.slice(withPacks ? 3 : 2)) {
  const parsed = parseAll(file);
  events.push(parsed.events);
  console.log(`parse ${file}: ${parsed.lines} lines, ${parsed.micros.toFixed(2)} µs/line`);
}
const stages: [string, () => Tracer[]][] = [
  ['ip', () => [new IpTracer()]],
  ['event', () => [new EventTracer()]],
  ['error', () => [new ErrorTracer()]],
  ['ip+event+error', () => [new IpTracer(), new EventTracer(), new ErrorTracer()]],
];
const all = events.flat();
for (const [name, tracers] of stages) {
  // Fresh events per run: tracers may annotate the events they read.
  const micros = best(RUNS, () => {
    const investigation = new Investigation({ tracers: tracers() });
    for (const event of all) investigation.ingest({ ...event });
    return all.length;
  });
  console.log(`ingest ${name}: ${all.length} events, ${micros.toFixed(2)} µs/event`);
}
