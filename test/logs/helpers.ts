/**
 * Running lines through the pipeline in tests: fixture files and single lines.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LogEvent } from '../../src/core/event';
import type { SourceLine } from '../../src/logs/line';
import { type ReadEventsOptions, type SourceStats, readEvents } from '../../src/logs/read-events';

/** Path of a fixture under test/fixtures/logs. */
export function fixture(name: string): string {
  return join(__dirname, '..', 'fixtures', 'logs', name);
}

/** Lines of a text, numbered from 1, as a source would give them. */
export function linesOf(text: string, source = 'test'): SourceLine[] {
  const parts = text.split('\n');
  if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts.map((t, i) => ({ source, line: i + 1, text: t.endsWith('\r') ? t.slice(0, -1) : t }));
}

/** Fixed reference for year-less dates in tests: 2024-03-06T00:00:00Z. */
export const TEST_REFERENCE = Date.UTC(2024, 2, 6);

/** Every event of some lines, and the stats. */
export function parse(text: string, options: ReadEventsOptions = {}): { events: LogEvent[]; stats: SourceStats[] } {
  const reader = readEvents([], { referenceDate: TEST_REFERENCE, timezone: 'UTC', ...options });
  const events = [...reader.readSync(linesOf(text))];
  return { events, stats: reader.stats() };
}

/** Every event of a fixture file. */
export function parseFixture(
  name: string,
  options: ReadEventsOptions = {},
): { events: LogEvent[]; stats: SourceStats[] } {
  return parse(readFileSync(fixture(name), 'utf8'), options);
}

/** The single event of one line (after `context` lines of the same source, whose events are dropped). */
export function eventOf(line: string, options: ReadEventsOptions = {}, context: readonly string[] = []): LogEvent {
  const { events } = parse([...context, line].join('\n') + '\n', options);
  const event = events.find((e) => e.line === context.length + 1);
  if (!event) throw new Error(`no event for ${JSON.stringify(line)}`);
  return event;
}

/** The fields tests compare, without the bulky raw/message. */
export function summary(event: LogEvent): Partial<LogEvent> {
  const out: Partial<LogEvent> = {};
  for (const key of ['format', 'service', 'action', 'outcome', 'hostile', 'ip', 'domain', 'port', 'user'] as const) {
    if (event[key] !== undefined) (out as Record<string, unknown>)[key] = event[key];
  }
  return out;
}
