/**
 * Compares our `hostile` flag and address with fail2ban's annotated sample
 * logs (../shared/corpora/fail2ban, extracted by failjson.py), line by line,
 * under each filter mode a line is annotated for.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { LogEvent } from '../../src/core/event';
import type { SourceLine } from '../../src/logs/line';
import { type ReadEventsOptions, readEvents } from '../../src/logs/read-events';
import type { HostileMode } from '../../src/logs/recognisers';
import { corpus } from '../helpers/corpora';

/** One annotated line as failjson.py prints it. */
export interface Annotation {
  lineno: number;
  line: string;
  match: boolean;
  host: string | null;
  annotated: boolean;
  variants: Record<string, string>[];
}

/** One (line, mode) comparison. */
export interface Comparison {
  file: string;
  lineno: number;
  mode: HostileMode;
  line: string;
  expected: { match: boolean; host: string | null };
  got: { hostile: boolean; address: string | undefined };
  agrees: boolean;
}

/** fail2ban's test epoch for year-less dates (failjson README) and its test zone. */
export const REFERENCE_DATE = Date.UTC(2005, 7, 14, 10, 0, 0);
export const TEST_TIMEZONE = 'Europe/Paris';

/**
 * Our mode for a fail2ban filter variant (logtype/logging variants use the
 * default mode), or `narrower` for a jail that watches only part of what the
 * default mode does (postfix's `auth`, `rbl`, `errors`): its matches must
 * still be hostile to us, its non-matches say nothing.
 */
export function modeOf(variant: Record<string, string>): HostileMode | 'narrower' {
  switch (variant.mode) {
    case undefined:
    case 'normal':
    case 'more':
      return 'normal';
    case 'ddos':
      return 'ddos';
    case 'extra':
      return 'extra';
    case 'aggressive':
    case 'fallback':
      return 'aggressive';
    default:
      return 'narrower';
  }
}

function ourMode(variant: HostileMode | 'narrower'): HostileMode {
  return variant === 'narrower' ? 'normal' : variant;
}

/**
 * The annotated lines of a fail2ban sample log (by default one of the shared
 * corpora); `filter` names the filter the file tests when it is not the file's
 * name (`sshd-journal` tests `sshd`).
 */
export function annotations(file: string, path = corpus('fail2ban', file), filter?: string): Annotation[] {
  const key = `${path}\0${filter ?? ''}`;
  const known = annotationCache.get(key);
  if (known) return known;
  const args = filter === undefined ? [path] : ['--name', filter, path];
  const out = execFileSync('python3', [corpus('failjson.py'), ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const notes = out
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Annotation);
  annotationCache.set(key, notes);
  return notes;
}

/** failjson.py's output per (path, filter): one Python run per file however often it is compared. */
const annotationCache = new Map<string, Annotation[]>();

/**
 * Reads a corpus file the way the CLI does (our pipeline, one mode), less its
 * comment and blank lines as fail2ban's samplestestcase.py feeds it: a
 * multi-line filter's buffer holds log lines, not the annotations between them.
 */
export function eventsOf(
  file: string,
  mode: HostileMode,
  path = corpus('fail2ban', file),
  fail2ban?: ReadEventsOptions['fail2ban'],
): Map<number, LogEvent> {
  const text = readFileSync(path, 'utf8');
  const lines: SourceLine[] = text
    .split('\n')
    .map((t, i) => ({ source: file, line: i + 1, text: t.replace(/\r$/, '') }))
    .filter((l) => !l.text.startsWith('#') && l.text.trim() !== '');
  const reader = readEvents([], { mode, referenceDate: REFERENCE_DATE, timezone: TEST_TIMEZONE, fail2ban });
  const byLine = new Map<number, LogEvent>();
  for (const event of reader.readSync(lines)) byLine.set(event.line, event);
  return byLine;
}

/** Every (line, mode) comparison of one sample file (by default one of the shared corpora). */
export function compare(
  file: string,
  path = corpus('fail2ban', file),
  filter?: string,
  fail2ban?: ReadEventsOptions['fail2ban'],
): Comparison[] {
  const notes = annotations(file, path, filter);
  const modes = new Set<HostileMode>();
  for (const a of notes) for (const v of a.variants) modes.add(ourMode(modeOf(v)));
  const events = new Map<HostileMode, Map<number, LogEvent>>();
  for (const mode of modes) events.set(mode, eventsOf(file, mode, path, fail2ban));
  const out: Comparison[] = [];
  for (const a of notes) {
    const seen = new Set<HostileMode>();
    for (const v of a.variants) {
      const variant = modeOf(v);
      if (variant === 'narrower' && !a.match) continue;
      const mode = ourMode(variant);
      if (seen.has(mode)) continue;
      seen.add(mode);
      const event = events.get(mode)!.get(a.lineno);
      const hostile = event?.hostile ?? false;
      const address = event?.ip ?? event?.domain;
      const agrees = a.match ? hostile && (a.host === null || address === a.host) : !hostile;
      out.push({
        file,
        lineno: a.lineno,
        mode,
        line: a.line,
        expected: { match: a.match, host: a.host },
        got: { hostile, address },
        agrees,
      });
    }
  }
  return out;
}
