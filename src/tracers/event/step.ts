/**
 * Steps: the compact reference to an event that chains and timelines hold
 * (made without formatting anything: the ISO time is written only when a chain
 * or timeline is read), and the time helpers they share.
 */
import type { LogEvent } from '../../core/event';
import type { ChainStep } from '../../core/kinds';

/** Longest message a step keeps: evidence, not a copy of the log. */
export const STEP_MESSAGE_MAX = 300;

/** A reference to one event: its time in ms (undefined when the line had none), meaning and place. */
export interface TimedStep {
  t: number | undefined;
  action: string;
  source: string;
  line: number;
  message: string;
}

/** The event's time in ms, or undefined when it has none usable (missing, NaN, infinite, out of Date's range). */
export function timeOf(event: LogEvent): number | undefined {
  const t = event.timestamp;
  return t !== undefined && Number.isFinite(t) && Math.abs(t) <= 8.64e15 ? t : undefined;
}

/** ISO-8601 form of a time in ms, or null when unknown. */
export function iso(ms: number | undefined): string | null {
  return ms === undefined || !Number.isFinite(ms) || Math.abs(ms) > 8.64e15 ? null : new Date(ms).toISOString();
}

/** The message a step keeps of `event` (bounded). */
export function stepMessage(event: LogEvent): string {
  return event.message.length > STEP_MESSAGE_MAX ? event.message.slice(0, STEP_MESSAGE_MAX) : event.message;
}

/** The step that references `event`; `action` overrides the event's own (a meaning the tracer derived). */
export function toStep(event: LogEvent, action?: string): TimedStep {
  return {
    t: timeOf(event),
    action: action ?? event.action ?? 'event',
    source: event.source,
    line: event.line,
    message: stepMessage(event),
  };
}

/** The published form of a step. */
export function chainStep(step: TimedStep): ChainStep {
  return { at: iso(step.t), action: step.action, source: step.source, line: step.line, message: step.message };
}

/** Orders strings by code unit (ISO times and keys sort right this way, and fast). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Orders steps by time; steps without a time keep their place after the timed ones. */
export function byTime(a: TimedStep, b: TimedStep): number {
  if (a.t === undefined) return b.t === undefined ? 0 : 1;
  if (b.t === undefined) return -1;
  return a.t - b.t || compareText(a.source, b.source) || a.line - b.line;
}

/** A duration for people: `38 s`, `12 min`, `3 h 5 min`, `2 d 4 h`. */
export function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s} s`;
  const min = Math.round(s / 60);
  if (min < 120) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return `${h} h${min % 60 ? ` ${min % 60} min` : ''}`;
  return `${Math.floor(h / 24)} d${h % 24 ? ` ${h % 24} h` : ''}`;
}

/** The time of day of `ms` in UTC (`03:12:23`), for summaries. */
export function clock(ms: number | undefined): string {
  return ms === undefined ? 'an unknown time' : new Date(ms).toISOString().slice(11, 19);
}
