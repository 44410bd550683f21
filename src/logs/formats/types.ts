/**
 * A log format: a detector over a file's first lines and a parser of one line
 * into a LogEvent. One module per format; the pipeline picks one per source.
 */
import type { LogEvent } from '../../core/event';
import type { SourceLine } from '../line';
import { SyslogYear } from '../time';

/** Per-source parsing state and options handed to every parser. */
export class ParseContext {
  private yearState: SyslogYear | undefined;

  /**
   * @param timezone zone for stamps without offset (see TimeOptions)
   * @param referenceDate anchor (epoch ms) for year-less syslog dates
   */
  constructor(
    readonly timezone: string | undefined,
    readonly referenceDate: number,
  ) {}

  /** The year inference of this source (created on first use). */
  get year(): SyslogYear {
    return (this.yearState ??= new SyslogYear(this.referenceDate, this.timezone));
  }
}

/** One log format. */
export interface LogFormat {
  /** Stable name, reported as `event.format` and accepted by `--format`. */
  readonly name: string;
  /**
   * The event for one line, or undefined when the line is not in this format.
   * Never throws on any text (the pipeline still guards it).
   */
  parse(line: SourceLine, ctx: ParseContext): LogEvent | undefined;
  /**
   * A quick test used by detection and the per-line fallback: true when the
   * line may be in this format (`parse` decides).
   */
  accepts(text: string): boolean;
  /**
   * For multi-line records (tracebacks, stack traces, statements): whether a
   * line no format header reads continues this format's previous event.
   */
  continues?(text: string): boolean;
}

/** Share (0..1) of non-empty sample lines `format` parses. */
export function detectionScore(format: LogFormat, sample: readonly string[], ctx: ParseContext): number {
  let tried = 0;
  let parsed = 0;
  for (let i = 0; i < sample.length; i++) {
    const text = sample[i]!;
    if (text.trim() === '') continue;
    tried++;
    if (format.accepts(text) && format.parse({ source: '', line: i + 1, text }, ctx)) parsed++;
  }
  return tried === 0 ? 0 : parsed / tried;
}

/** Level names as logs write them, mapped to syslog levels. */
export const LEVEL_NAMES: Readonly<Record<string, LogEvent['level']>> = {
  emerg: 'emerg',
  emergency: 'emerg',
  panic: 'emerg',
  alert: 'alert',
  crit: 'crit',
  critical: 'crit',
  fatal: 'crit',
  err: 'error',
  error: 'error',
  severe: 'error',
  exception: 'error',
  warn: 'warning',
  warning: 'warning',
  notice: 'notice',
  note: 'info', // MySQL's informational level
  log: 'info',
  info: 'info',
  information: 'info',
  statement: 'info',
  detail: 'info',
  hint: 'info',
  context: 'info',
  debug: 'debug',
  debug1: 'debug',
  debug2: 'debug',
  debug3: 'debug',
  debug4: 'debug',
  debug5: 'debug',
  trace: 'debug',
  fine: 'debug',
};

/** Syslog level of a level word (any case), or undefined. */
export function levelOf(word: string | undefined): LogEvent['level'] {
  return word === undefined ? undefined : LEVEL_NAMES[word.toLowerCase()];
}

/** A decimal pid, or undefined. */
export function pidOf(text: string | undefined): number | undefined {
  if (text === undefined || text === '' || text.length > 10) return undefined;
  const n = Number(text);
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}
