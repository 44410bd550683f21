/**
 * fail2ban's multi-line filters (`maxlines > 1`) as Filter.findFailure runs
 * them: each line joins a buffer of the last `maxlines` lines (per source, each
 * less its date), the patterns run on the buffer joined with `\n`, and a match
 * takes its lines out of the buffer, except the lines its `<SKIPLINES>` passed
 * over, which stay for later matches.
 */
import { holds } from './literal';
import { withoutDate } from './date';
import { type FailregexMatch, type Pack, ignored, searchFailregex } from './pack';

/** Sources whose buffers a pack keeps at once; the one unused longest goes first (counted). */
export const MAX_BUFFERED_SOURCES = 256;

interface Buffered {
  raw: string;
  /** `raw` less its date, cut when a pattern first runs over it. */
  text?: string;
  /** Whether `raw` holds a literal of the pack's gate. */
  gated: boolean;
}

/** The last `size` lines of one source. */
class LineBuffer {
  lines: Buffered[] = [];
  /** Lines held that hold a gate literal: none, and no pattern can match the buffer. */
  gated = 0;

  constructor(private readonly size: number) {}

  push(line: Buffered): void {
    this.lines.push(line);
    if (line.gated) this.gated++;
    if (this.lines.length > this.size && this.lines.shift()!.gated) this.gated--;
  }

  /** Keeps only the lines at `indices`, in that order. */
  keep(indices: readonly number[]): void {
    this.lines = indices.map((i) => this.lines[i]!);
    this.gated = this.lines.reduce((n, l) => n + (l.gated ? 1 : 0), 0);
  }
}

/**
 * Which lines of `lines` (the buffer's dateless lines) a match covers, and
 * which stay in the buffer: those before and after it, and those its
 * `skiplinesN` groups passed over (failregex.py's Regex.search).
 */
export function splitMatched(
  lines: readonly string[],
  found: FailregexMatch,
): { matched: number[]; unmatched: number[] } {
  const s = found.text;
  const start = s.lastIndexOf('\n', found.index) + 1;
  const endNewline = s.indexOf('\n', Math.max(found.end - 1, 0));
  const end = endNewline < 0 ? s.length : endNewline + 1;
  const first = newlines(s, start);
  const last = Math.min(newlines(s, end), lines.length);
  const matched: number[] = [];
  const unmatched: number[] = [];
  for (let i = 0; i < Math.min(first, lines.length); i++) unmatched.push(i);
  for (let i = first; i < last; i++) matched.push(i);
  let n = 0;
  for (const skipped of skippedLines(found.groups)) {
    const m = matched.slice(n).findIndex((i) => lines[i] === skipped);
    if (m < 0) continue;
    unmatched.push(...matched.splice(n + m, 1));
    n += m;
  }
  for (let i = last; i < lines.length; i++) unmatched.push(i);
  return { matched, unmatched };
}

/** How many `\n` `s` holds before `end`. */
function newlines(s: string, end: number): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0 && i < end; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/** The lines the `<SKIPLINES>` groups (`skiplines0`, `skiplines1`, ...) passed over. */
function skippedLines(groups: Readonly<Record<string, string | undefined>>): string[] {
  let text = '';
  for (let n = 0; `skiplines${n}` in groups; n++) text += groups[`skiplines${n}`] ?? '';
  if (text === '') return [];
  const out = text.split('\n');
  if (out[out.length - 1] === '') out.pop();
  return out;
}

/** A multi-line pack with its buffers, one per source. */
export class BufferedPack {
  private readonly buffers = new Map<string, LineBuffer>();
  /** The source of the latest line (most lines follow one of the same source: no reordering then). */
  private latest: string | undefined;
  /** Buffers dropped to make room for another source's. */
  evicted = 0;
  /** Times the patterns ran over a buffer. */
  runs = 0;

  constructor(readonly pack: Pack) {}

  /** Lines held for `source` (at most the pack's maxlines). */
  held(source: string): number {
    return this.buffers.get(source)?.lines.length ?? 0;
  }

  /** Forgets what `source` held (a line too long to look at breaks every match across it). */
  clear(source: string): void {
    this.buffers.delete(source);
    if (this.latest === source) this.latest = undefined;
  }

  /**
   * Adds a line of `source` (raw, date still in; `lowered` its lowercased form, made when
   * asked) and returns the failregex match the buffer then holds, if any.
   */
  push(source: string, raw: string, lowered: () => string): FailregexMatch | undefined {
    const pack = this.pack;
    const buffer = this.bufferOf(source);
    buffer.push({ raw, gated: pack.gate === undefined || holds(pack.gate, raw, lowered) });
    if (buffer.gated === 0) return undefined;
    this.runs++;
    const texts = buffer.lines.map((l) => (l.text ??= withoutDate(l.raw, pack.dates)));
    const text = texts.join('\n') + '\n';
    let lower: string | undefined;
    const textLowered = (): string => (lower ??= text.toLowerCase());
    const found = searchFailregex(
      pack,
      text,
      (p) => p.prefilter === undefined || holds(p.prefilter, text, textLowered),
    );
    if (!found) return undefined;
    const { matched, unmatched } = splitMatched(texts, found);
    buffer.keep(unmatched);
    // An ignoreregex judges the lines the match took, as fail2ban's _ignoreLine does on a multi-line buffer.
    const taken = matched.map((i) => texts[i]).join('\n') + '\n';
    return ignored(pack, taken) ? undefined : found;
  }

  private bufferOf(source: string): LineBuffer {
    let buffer = this.buffers.get(source);
    if (buffer && source === this.latest) return buffer;
    this.latest = source;
    if (buffer) {
      // Re-inserted: the Map's first key is then the source unused longest.
      this.buffers.delete(source);
    } else {
      buffer = new LineBuffer(this.pack.maxlines);
      if (this.buffers.size >= MAX_BUFFERED_SOURCES) {
        this.buffers.delete(this.buffers.keys().next().value!);
        this.evicted++;
      }
    }
    this.buffers.set(source, buffer);
    return buffer;
  }
}
