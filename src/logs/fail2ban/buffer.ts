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

/**
 * The last `size` lines of one source, in a ring: adding a line writes three
 * slots and allocates nothing (every line of every source comes here).
 */
class LineBuffer {
  private readonly raws: string[];
  /** Each line less its date, cut when a pattern first runs over it. */
  private readonly texts: (string | undefined)[];
  /** Whether each line holds a literal of the pack's gate. */
  private readonly gates: Uint8Array;
  /** The slot of the oldest line. */
  private head = 0;
  length = 0;
  /** Lines held that hold a gate literal: none, and no pattern can match the buffer. */
  gated = 0;

  constructor(private readonly size: number) {
    this.raws = new Array<string>(size);
    this.texts = new Array<string | undefined>(size);
    this.gates = new Uint8Array(size);
  }

  push(raw: string, gated: boolean): void {
    let slot: number;
    if (this.length === this.size) {
      slot = this.head;
      this.gated -= this.gates[slot]!;
      this.head = (this.head + 1) % this.size;
    } else slot = (this.head + this.length++) % this.size;
    this.raws[slot] = raw;
    this.texts[slot] = undefined;
    this.gates[slot] = gated ? 1 : 0;
    if (gated) this.gated++;
  }

  /** The lines held, oldest first, each less its date as `cut` cuts it. */
  dateless(cut: (raw: string) => string): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.length; i++) {
      const slot = (this.head + i) % this.size;
      out.push((this.texts[slot] ??= cut(this.raws[slot]!)));
    }
    return out;
  }

  /** Keeps only the lines at `indices` (oldest first = 0), in that order. */
  keep(indices: readonly number[]): void {
    const kept = indices.map((i) => {
      const slot = (this.head + i) % this.size;
      return [this.raws[slot]!, this.texts[slot], this.gates[slot]!] as const;
    });
    this.head = 0;
    this.length = 0;
    this.gated = 0;
    for (const [raw, text, gate] of kept) {
      this.push(raw, gate === 1);
      this.texts[this.length - 1] = text;
    }
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
  /** The source of the latest line and its buffer (most lines follow one of the same source: no lookup then). */
  private latest: string | undefined;
  private latestBuffer: LineBuffer | undefined;
  /** Buffers dropped to make room for another source's. */
  evicted = 0;
  /** Times the patterns ran over a buffer. */
  runs = 0;

  constructor(readonly pack: Pack) {}

  /** Lines held for `source` (at most the pack's maxlines). */
  held(source: string): number {
    return this.buffers.get(source)?.length ?? 0;
  }

  /** Forgets what `source` held (a line too long to look at breaks every match across it). */
  clear(source: string): void {
    this.buffers.delete(source);
    if (this.latest === source) this.latest = this.latestBuffer = undefined;
  }

  /**
   * Adds a line of `source` (raw, date still in; `lowered` its lowercased form, made when
   * asked) and returns the failregex match the buffer then holds, if any.
   */
  push(source: string, raw: string, lowered: () => string): FailregexMatch | undefined {
    const pack = this.pack;
    const buffer = this.bufferOf(source);
    buffer.push(raw, pack.gate === undefined || holds(pack.gate, raw, lowered));
    if (buffer.gated === 0) return undefined;
    this.runs++;
    const texts = buffer.dateless((line) => withoutDate(line, pack.dates));
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
    if (source === this.latest && this.latestBuffer) return this.latestBuffer;
    let buffer = this.buffers.get(source);
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
    this.latest = source;
    this.latestBuffer = buffer;
    return buffer;
  }
}
