/**
 * Which of many groups of fixed substrings occur in a text, in one pass: an
 * Aho-Corasick automaton compiled to a transition table. It answers exactly
 * what `needles.some((n) => text.includes(n))` answers for every group (the
 * same UTF-16 code units, case-sensitive), for the cost of reading the text
 * once instead of once per needle: a recogniser table with hundreds of
 * prefilter substrings decides which rows may match in about a microsecond.
 */
export class NeedleIndex {
  /** Groups that hold the empty needle: every text contains it. */
  private readonly always: number[] = [];
  /** Code unit -> symbol (0: a code unit no needle holds). */
  private readonly symbols = new Uint16Array(65536);
  private readonly width: number;
  /**
   * A state's row (state * width) + symbol -> the next state's row, bitwise
   * inverted (negative) when a needle ends there: the scan adds instead of
   * multiplying and tests a sign instead of loading `found` on every code unit.
   */
  private readonly next: Int32Array;
  /** The groups whose needle ends at each state (its own and its suffixes'). */
  private readonly found: (number[] | undefined)[];

  /** `groups[i]` lists the needles of group `i`. */
  constructor(groups: readonly (readonly string[])[]) {
    let width = 1;
    for (const needles of groups)
      for (const needle of needles)
        for (let i = 0; i < needle.length; i++) {
          const c = needle.charCodeAt(i);
          if (this.symbols[c] === 0) this.symbols[c] = width++;
        }
    this.width = width;
    // The trie: children by symbol, then suffix links breadth first.
    const children: Map<number, number>[] = [new Map()];
    const found: (number[] | undefined)[] = [undefined];
    groups.forEach((needles, group) => {
      for (const needle of needles) {
        if (needle.length === 0) {
          this.always.push(group);
          continue;
        }
        let state = 0;
        for (let i = 0; i < needle.length; i++) {
          const symbol = this.symbols[needle.charCodeAt(i)]!;
          let child = children[state]!.get(symbol);
          if (child === undefined) {
            child = children.length;
            children.push(new Map());
            found.push(undefined);
            children[state]!.set(symbol, child);
          }
          state = child;
        }
        (found[state] ??= []).push(group);
      }
    });
    const next = new Int32Array(children.length * width);
    const suffix = new Int32Array(children.length);
    const queue: number[] = [];
    for (const [symbol, child] of children[0]!) {
      next[symbol] = child;
      queue.push(child);
    }
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head]!;
      const link = suffix[state]!;
      const inherited = found[link];
      if (inherited) found[state] = [...(found[state] ?? []), ...inherited];
      for (let symbol = 0; symbol < width; symbol++) {
        const child = children[state]!.get(symbol);
        if (child === undefined) {
          next[state * width + symbol] = next[link * width + symbol]!;
        } else {
          next[state * width + symbol] = child;
          suffix[child] = next[link * width + symbol]!;
          queue.push(child);
        }
      }
    }
    for (let i = 0; i < next.length; i++) {
      const target = next[i]!;
      next[i] = found[target] ? ~(target * width) : target * width;
    }
    this.next = next;
    this.found = found;
  }

  /**
   * Sets `marks[group]` to 1 for every group with a needle in `text` (other
   * entries are left as they are); returns whether it found any, so a caller
   * can skip its rows without reading the marks.
   */
  mark(text: string, marks: Uint8Array): boolean {
    let any = this.always.length > 0;
    for (const group of this.always) marks[group] = 1;
    const { next, symbols, width, found } = this;
    let row = 0;
    for (let i = 0; i < text.length; i++) {
      row = next[row + symbols[text.charCodeAt(i)]!]!;
      if (row < 0) {
        row = ~row;
        any = true;
        for (const group of found[row / width]!) marks[group] = 1;
      }
    }
    return any;
  }
}
