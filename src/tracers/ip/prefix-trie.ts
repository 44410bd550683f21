/**
 * A binary prefix trie for longest-prefix match over one address family. Nodes
 * live in flat typed arrays (two child slots per node), so tens of thousands
 * of prefixes cost a few megabytes and a lookup is at most 32 or 128 array
 * steps with no allocation.
 */

/** The value stored for the longest prefix that covers an address, with that prefix's length. */
export interface PrefixMatch<V> {
  value: V;
  length: number;
}

export class PrefixTrie<V> {
  /** children[2n] / children[2n+1]: the node under bit 0 / bit 1 of node n (0 = none; node 0 is the root). */
  private children = new Int32Array(1024);
  /** values[n]: index into `stored` + 1 (0 = no prefix ends at node n). */
  private valueIndex = new Int32Array(512);
  private readonly stored: V[] = [];
  private nodes = 1;

  /** @param bits 32 for IPv4, 128 for IPv6 */
  constructor(readonly bits: 32 | 128) {}

  /** How many distinct prefixes are stored. */
  get size(): number {
    return this.stored.length;
  }

  /**
   * Stores `value` for the prefix `bytes/length`. When the same prefix is
   * inserted again, `merge` decides the kept value (default: the first stays).
   */
  insert(bytes: Uint8Array, length: number, value: V, merge: (old: V, added: V) => V = (old) => old): void {
    let node = 0;
    for (let bit = 0; bit < length; bit++) {
      const slot = node * 2 + ((bytes[bit >> 3]! >> (7 - (bit & 7))) & 1);
      let next = this.children[slot]!;
      if (next === 0) {
        next = this.allocate();
        this.children[slot] = next;
      }
      node = next;
    }
    const index = this.valueIndex[node]!;
    if (index === 0) {
      this.stored.push(value);
      this.valueIndex[node] = this.stored.length;
    } else {
      this.stored[index - 1] = merge(this.stored[index - 1]!, value);
    }
  }

  /** The value of the longest stored prefix that contains the address, if any. */
  lookup(bytes: Uint8Array): PrefixMatch<V> | undefined {
    let node = 0;
    let best = this.valueIndex[0]!;
    let bestLength = 0;
    for (let bit = 0; bit < this.bits; bit++) {
      node = this.children[node * 2 + ((bytes[bit >> 3]! >> (7 - (bit & 7))) & 1)]!;
      if (node === 0) break;
      const index = this.valueIndex[node]!;
      if (index !== 0) {
        best = index;
        bestLength = bit + 1;
      }
    }
    return best === 0 ? undefined : { value: this.stored[best - 1]!, length: bestLength };
  }

  /** Every stored value, in insertion order. */
  values(): readonly V[] {
    return this.stored;
  }

  private allocate(): number {
    if (this.nodes >= this.valueIndex.length) {
      const children = new Int32Array(this.children.length * 2);
      children.set(this.children);
      this.children = children;
      const valueIndex = new Int32Array(this.valueIndex.length * 2);
      valueIndex.set(this.valueIndex);
      this.valueIndex = valueIndex;
    }
    return this.nodes++;
  }
}
