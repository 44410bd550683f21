/**
 * A small MaxMind DB writer for tests (format 2.0,
 * https://maxmind.github.io/MaxMind-DB/): a binary search tree with 32-bit
 * records, a 16-byte separator, a data section, the metadata marker and the
 * metadata map. It writes non-overlapping networks only, which is all a test
 * fixture needs. IPv4 networks in an IPv6 tree sit under ::/96, where readers
 * look for them.
 */
import { parseCidr } from '../../src/tracers/ip/address';

/** An unsigned integer of an explicit width (the metadata map requires uint16 and uint64 fields). */
export class MmdbUint {
  constructor(
    readonly bits: 16 | 32 | 64,
    readonly value: number,
  ) {}
}

/** A value the data section can hold. Plain integers are written as uint32 (or uint64 when larger). */
export type MmdbValue = string | number | boolean | MmdbUint | MmdbValue[] | { [key: string]: MmdbValue };

const UINT_TYPES = { 16: 5, 32: 6, 64: 9 } as const;

export interface MmdbOptions {
  databaseType: string;
  ipVersion?: 4 | 6;
  description?: string;
  buildEpoch?: number;
}

interface TreeNode {
  children: [TreeNode | number | null, TreeNode | number | null];
}

function controlBytes(type: number, size: number): number[] {
  const head: number[] = [];
  let sizeBits: number;
  const extra: number[] = [];
  if (size < 29) sizeBits = size;
  else if (size < 285) {
    sizeBits = 29;
    extra.push(size - 29);
  } else if (size < 65821) {
    sizeBits = 30;
    extra.push((size - 285) >> 8, (size - 285) & 0xff);
  } else {
    sizeBits = 31;
    const rest = size - 65821;
    extra.push((rest >> 16) & 0xff, (rest >> 8) & 0xff, rest & 0xff);
  }
  if (type <= 7) head.push((type << 5) | sizeBits);
  else head.push(sizeBits, type - 7);
  return [...head, ...extra];
}

function unsignedBytes(value: bigint): number[] {
  const bytes: number[] = [];
  for (let v = value; v > 0n; v >>= 8n) bytes.unshift(Number(v & 0xffn));
  return bytes;
}

/** Encodes one value in the MaxMind DB data format. */
export function encodeValue(value: MmdbValue): number[] {
  if (typeof value === 'string') {
    const bytes = [...Buffer.from(value, 'utf8')];
    return [...controlBytes(2, bytes.length), ...bytes];
  }
  if (typeof value === 'boolean') return controlBytes(14, value ? 1 : 0);
  if (value instanceof MmdbUint) {
    const bytes = unsignedBytes(BigInt(value.value));
    return [...controlBytes(UINT_TYPES[value.bits], bytes.length), ...bytes];
  }
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= 0) {
      const bytes = unsignedBytes(BigInt(value));
      return value < 2 ** 32
        ? [...controlBytes(6, bytes.length), ...bytes]
        : [...controlBytes(9, bytes.length), ...bytes];
    }
    const buffer = Buffer.alloc(8);
    buffer.writeDoubleBE(value);
    return [...controlBytes(3, 8), ...buffer];
  }
  if (Array.isArray(value)) return [...controlBytes(11, value.length), ...value.flatMap(encodeValue)];
  const keys = Object.keys(value);
  return [
    ...controlBytes(7, keys.length),
    ...keys.flatMap((key) => [...encodeValue(key), ...encodeValue(value[key]!)]),
  ];
}

/** Builds a .mmdb file holding `records` (CIDR → data). */
export function writeMmdb(records: Record<string, MmdbValue>, options: MmdbOptions): Buffer {
  const ipVersion = options.ipVersion ?? 6;
  const depthOf = (version: 4 | 6) => (version === 4 && ipVersion === 6 ? 96 : 0);
  const root: TreeNode = { children: [null, null] };
  const data: number[] = [];
  for (const [text, value] of Object.entries(records)) {
    const cidr = parseCidr(text);
    if (typeof cidr === 'string') throw new Error(`bad network ${text}: ${cidr}`);
    if (cidr.version === 6 && ipVersion === 4) throw new Error(`IPv6 network ${text} in an IPv4 database`);
    const offset = data.length;
    data.push(...encodeValue(value));
    const skip = depthOf(cidr.version);
    const length = skip + cidr.length;
    if (length === 0) throw new Error('a network of length 0 is not supported');
    let node = root;
    for (let depth = 0; depth < length; depth++) {
      const bit = (depth < skip ? 0 : (cidr.bytes[(depth - skip) >> 3]! >> (7 - ((depth - skip) & 7))) & 1) as 0 | 1;
      if (depth === length - 1) {
        if (node.children[bit] !== null) throw new Error(`network ${text} overlaps another`);
        node.children[bit] = offset;
        break;
      }
      let next = node.children[bit];
      if (typeof next === 'number') throw new Error(`network ${text} overlaps another`);
      if (next === null) {
        next = { children: [null, null] };
        node.children[bit] = next;
      }
      node = next;
    }
  }
  // Number the nodes breadth first (the root is node 0).
  const nodes: TreeNode[] = [root];
  for (let i = 0; i < nodes.length; i++) {
    for (const child of nodes[i]!.children) if (child !== null && typeof child === 'object') nodes.push(child);
  }
  const index = new Map(nodes.map((node, i) => [node, i]));
  const nodeCount = nodes.length;
  const tree = Buffer.alloc(nodeCount * 8);
  nodes.forEach((node, i) => {
    node.children.forEach((child, side) => {
      const record =
        child === null ? nodeCount : typeof child === 'number' ? nodeCount + 16 + child : index.get(child)!;
      tree.writeUInt32BE(record, i * 8 + side * 4);
    });
  });
  const metadata = encodeValue({
    node_count: new MmdbUint(32, nodeCount),
    record_size: new MmdbUint(16, 32),
    ip_version: new MmdbUint(16, ipVersion),
    database_type: options.databaseType,
    languages: ['en'],
    binary_format_major_version: new MmdbUint(16, 2),
    binary_format_minor_version: new MmdbUint(16, 0),
    build_epoch: new MmdbUint(64, options.buildEpoch ?? 1_700_000_000),
    description: { en: options.description ?? `${options.databaseType} test fixture` },
  });
  return Buffer.concat([
    tree,
    Buffer.alloc(16),
    Buffer.from(data),
    Buffer.from('abcdef4d61784d696e642e636f6d', 'hex'),
    Buffer.from(metadata),
  ]);
}
