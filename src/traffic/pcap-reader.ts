/**
 * A streaming reader for pcap and pcapng captures. Chunks go in as they come
 * (a file, stdin, `tcpdump -w -`); packet records come out. Our own reader:
 * both formats are short, documented and fixed, and the hot loop needs to
 * allocate only the records it returns.
 */

/** One captured packet as the file holds it. */
export interface PacketRecord {
  /** LINKTYPE_* value of the interface it was captured on. */
  linkType: number;
  /** Interface index within its pcapng section (0 for pcap). */
  interfaceId: number;
  /** Capture time: whole seconds since the epoch ... */
  seconds: number;
  /** ... plus nanoseconds. */
  nanos: number;
  /** Bytes kept in the file (may be less than `originalLength`: snap length). */
  capturedLength: number;
  /** Bytes the packet had on the wire. */
  originalLength: number;
  /** The captured bytes (a view into the chunk, not a copy). */
  data: Buffer;
}

type Visitor = (record: PacketRecord) => void;

/** What the reader passed over, counted instead of thrown. */
export interface ReaderStats {
  format: 'pcap' | 'pcapng' | 'unknown';
  packets: number;
  /** Packets whose captured length is below their original length. */
  cutBySnapLength: number;
  /** pcapng blocks read but not packets (statistics, name resolution, custom). */
  otherBlocks: number;
  /** Packets on an interface no IDB declared, or obsolete packet blocks. */
  skippedPackets: number;
  /** Bytes left over when the input ended mid-record. */
  truncatedBytes: number;
}

/** A capture the reader cannot go on with (bad magic, absurd length). */
export class CaptureFormatError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} at byte ${offset}`);
    this.name = 'CaptureFormatError';
  }
}

/** Largest record or block accepted; above it the file is corrupt, not big. */
export const MAX_RECORD_BYTES = 16 * 1024 * 1024;

const PCAP_US = 0xa1b2c3d4;
const PCAP_NS = 0xa1b23c4d;
const PCAPNG_SHB = 0x0a0d0d0a;
const PCAPNG_BOM = 0x1a2b3c4d;
const BLOCK_IDB = 1;
const BLOCK_OBSOLETE_PACKET = 2;
const BLOCK_SPB = 3;
const BLOCK_EPB = 6;
const TWO_32 = 4294967296;

interface Interface {
  linkType: number;
  snapLength: number;
  /** Timestamp units per second, and whether they are a power of two. */
  unitsPerSecond: number;
}

/**
 * Push-based parser: `push` returns the records completed by a chunk (`parse`
 * hands them to a callback instead, without an object each), `end` says
 * whether bytes were left over. Throws CaptureFormatError only when the rest
 * of the input cannot be framed.
 */
export class CaptureParser {
  private pending: Buffer = Buffer.alloc(0);
  private offset = 0;
  private littleEndian = true;
  private nanosecond = false;
  private pcapLinkType = 0;
  private interfaces: Interface[] = [];
  readonly stats: ReaderStats = {
    format: 'unknown',
    packets: 0,
    cutBySnapLength: 0,
    otherBlocks: 0,
    skippedPackets: 0,
    truncatedBytes: 0,
  };

  /** The one record `parse` refills for each packet. */
  private readonly record: PacketRecord = {
    linkType: 0,
    interfaceId: 0,
    seconds: 0,
    nanos: 0,
    capturedLength: 0,
    originalLength: 0,
    data: Buffer.alloc(0),
  };
  private visit: Visitor = () => undefined;

  /** Adds a chunk and returns the packets it completed. */
  push(chunk: Buffer): PacketRecord[] {
    const out: PacketRecord[] = [];
    this.parse(chunk, (record) => out.push({ ...record }));
    return out;
  }

  /**
   * Adds a chunk and calls `visit` with each packet it completed. The record is
   * the same object each time, refilled: copy what must outlive the call.
   */
  parse(chunk: Buffer, visit: Visitor): void {
    this.visit = visit;
    if (this.stats.format === 'unknown') {
      this.consume(this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk);
      return;
    }
    // A record split across chunks is completed from the chunk's head: the rest
    // of the chunk is read in place, not copied behind the partial record.
    let rest = chunk;
    while (this.pending.length && rest.length) {
      const take = Math.min(rest.length, Math.max(1, this.pendingNeeds() - this.pending.length));
      const buf = Buffer.concat([this.pending, rest.subarray(0, take)]);
      rest = rest.subarray(take);
      this.consume(buf);
    }
    if (rest.length) this.consume(rest);
  }

  /** Reads the records `buf` holds; what is left of it is the pending partial record. */
  private consume(buf: Buffer): void {
    let pos = 0;
    if (this.stats.format === 'unknown') {
      const used = this.readMagic(buf);
      if (used === 0) {
        this.pending = buf;
        return;
      }
      if (this.isPcap()) pos = used;
    }
    pos = this.isPcap() ? this.readPcap(buf, pos) : this.readPcapng(buf, pos);
    this.offset += pos;
    this.pending = buf.subarray(pos);
  }

  /**
   * Bytes the pending partial record needs in all: its header while that is
   * incomplete, then the whole record. A length the reader refuses needs
   * nothing more, so it is refused with the next chunk.
   */
  private pendingNeeds(): number {
    const pending = this.pending;
    if (this.isPcap()) {
      if (pending.length < 16) return 16;
      const captured = this.u32(pending, 8);
      return captured > MAX_RECORD_BYTES ? pending.length : 16 + captured;
    }
    if (pending.length < 12) return 12;
    const sectionStart = pending.readUInt32LE(0) === PCAPNG_SHB;
    const littleEndian = sectionStart ? pending.readUInt32LE(8) === PCAPNG_BOM : this.littleEndian;
    const length = littleEndian ? pending.readUInt32LE(4) : pending.readUInt32BE(4);
    return length < 12 || length % 4 !== 0 || length > MAX_RECORD_BYTES ? pending.length : length;
  }

  private isPcap(): boolean {
    return this.stats.format === 'pcap';
  }

  /** Ends the input: leftover bytes are a truncated last record. */
  end(): ReaderStats {
    if (this.stats.format === 'unknown' && this.pending.length)
      throw new CaptureFormatError('not a pcap or pcapng capture (file too short)', 0);
    this.stats.truncatedBytes = this.pending.length;
    this.pending = Buffer.alloc(0);
    return this.stats;
  }

  /** Recognises the format; returns bytes consumed (0: need more input). */
  private readMagic(buf: Buffer): number {
    if (buf.length < 4) return 0;
    const le = buf.readUInt32LE(0);
    const be = buf.readUInt32BE(0);
    if (le === PCAPNG_SHB) {
      this.stats.format = 'pcapng';
      return 4;
    }
    const magic = le === PCAP_US || le === PCAP_NS ? le : be === PCAP_US || be === PCAP_NS ? be : 0;
    if (!magic) throw new CaptureFormatError(`not a pcap or pcapng capture (magic 0x${be.toString(16)})`, 0);
    if (buf.length < 24) return 0;
    this.littleEndian = magic === le;
    this.nanosecond = magic === PCAP_NS;
    this.pcapLinkType = (this.u32(buf, 20) & 0x0fffffff) >>> 0;
    this.stats.format = 'pcap';
    return 24;
  }

  private u32(buf: Buffer, at: number): number {
    return this.littleEndian ? buf.readUInt32LE(at) : buf.readUInt32BE(at);
  }

  private readPcap(buf: Buffer, pos: number): number {
    while (buf.length - pos >= 16) {
      const captured = this.u32(buf, pos + 8);
      if (captured > MAX_RECORD_BYTES)
        throw new CaptureFormatError(`pcap record claims ${captured} captured bytes`, this.offset + pos);
      if (buf.length - pos - 16 < captured) break;
      const fraction = this.u32(buf, pos + 4);
      this.emit(
        this.pcapLinkType,
        0,
        this.u32(buf, pos),
        this.nanosecond ? fraction : fraction * 1000,
        this.u32(buf, pos + 12),
        buf.subarray(pos + 16, pos + 16 + captured),
      );
      pos += 16 + captured;
    }
    return pos;
  }

  private readPcapng(buf: Buffer, pos: number): number {
    while (buf.length - pos >= 12) {
      const rawType = buf.readUInt32LE(pos);
      if (rawType === PCAPNG_SHB) {
        const bom = buf.readUInt32LE(pos + 8);
        if (bom !== PCAPNG_BOM && bom !== 0x4d3c2b1a)
          throw new CaptureFormatError('pcapng section header with a bad byte-order magic', this.offset + pos);
        this.littleEndian = bom === PCAPNG_BOM;
        this.interfaces = [];
      }
      const type = this.u32(buf, pos);
      const length = this.u32(buf, pos + 4);
      if (length < 12 || length % 4 !== 0 || length > MAX_RECORD_BYTES)
        throw new CaptureFormatError(`pcapng block of type ${type} claims ${length} bytes`, this.offset + pos);
      if (buf.length - pos < length) break;
      if (this.u32(buf, pos + length - 4) !== length)
        throw new CaptureFormatError(`pcapng block of type ${type}: trailing length differs`, this.offset + pos);
      this.readBlock(type, buf, pos, length);
      pos += length;
    }
    return pos;
  }

  private readBlock(type: number, buf: Buffer, pos: number, length: number): void {
    const end = pos + length - 4;
    if (type === PCAPNG_SHB) return;
    if (type === BLOCK_IDB) {
      if (length < 20) throw new CaptureFormatError('pcapng interface block too short', this.offset + pos);
      const linkType = this.littleEndian ? buf.readUInt16LE(pos + 8) : buf.readUInt16BE(pos + 8);
      const snapLength = this.u32(buf, pos + 12);
      this.interfaces.push({ linkType, snapLength, unitsPerSecond: this.tsResolution(buf, pos + 16, end) });
      return;
    }
    if (type === BLOCK_EPB) {
      const iface = length >= 32 ? this.interfaces[this.u32(buf, pos + 8)] : undefined;
      const captured = length >= 32 ? this.u32(buf, pos + 20) : 0;
      if (!iface || 28 + captured > end - pos) {
        this.stats.skippedPackets++;
        return;
      }
      const units = this.u32(buf, pos + 12) * TWO_32 + this.u32(buf, pos + 16);
      const seconds = Math.floor(units / iface.unitsPerSecond);
      this.emit(
        iface.linkType,
        this.u32(buf, pos + 8),
        seconds,
        Math.round(((units - seconds * iface.unitsPerSecond) * 1e9) / iface.unitsPerSecond),
        this.u32(buf, pos + 24),
        buf.subarray(pos + 28, pos + 28 + captured),
      );
      return;
    }
    if (type === BLOCK_SPB) {
      const iface = this.interfaces[0];
      if (!iface || length < 16) {
        this.stats.skippedPackets++;
        return;
      }
      const original = this.u32(buf, pos + 8);
      const captured = Math.min(original, end - pos - 12, iface.snapLength || Infinity);
      this.emit(iface.linkType, 0, 0, 0, original, buf.subarray(pos + 12, pos + 12 + captured));
      return;
    }
    if (type === BLOCK_OBSOLETE_PACKET) this.stats.skippedPackets++;
    else this.stats.otherBlocks++;
  }

  /** if_tsresol (option 9): 10^-n or 2^-n seconds; microseconds when absent. */
  private tsResolution(buf: Buffer, pos: number, end: number): number {
    while (pos + 4 <= end) {
      const code = this.littleEndian ? buf.readUInt16LE(pos) : buf.readUInt16BE(pos);
      const size = this.littleEndian ? buf.readUInt16LE(pos + 2) : buf.readUInt16BE(pos + 2);
      if (code === 0) break;
      if (code === 9 && size >= 1 && pos + 5 <= end) {
        const value = buf[pos + 4]!;
        const exponent = value & 0x7f;
        if (exponent > 30) return 1e6;
        return value & 0x80 ? 2 ** exponent : 10 ** exponent;
      }
      pos += 4 + size + ((4 - (size % 4)) % 4);
    }
    return 1e6;
  }

  private emit(
    linkType: number,
    interfaceId: number,
    seconds: number,
    nanos: number,
    originalLength: number,
    data: Buffer,
  ): void {
    this.stats.packets++;
    if (data.length < originalLength) this.stats.cutBySnapLength++;
    const record = this.record;
    record.linkType = linkType;
    record.interfaceId = interfaceId;
    record.seconds = seconds;
    record.nanos = nanos;
    record.capturedLength = data.length;
    record.originalLength = originalLength;
    record.data = data;
    this.visit(record);
  }
}

/**
 * Reads a capture stream packet by packet. Resolves `stats` when done; throws
 * CaptureFormatError when the input cannot be framed.
 */
export async function* readPackets(
  input: AsyncIterable<Buffer | string>,
  onEnd?: (stats: ReaderStats) => void,
): AsyncGenerator<PacketRecord> {
  const parser = new CaptureParser();
  for await (const chunk of input) {
    yield* parser.push(typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk);
  }
  const stats = parser.end();
  onEnd?.(stats);
}
