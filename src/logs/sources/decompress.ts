/**
 * Compression is recognised by magic bytes, never by file name: a rotated
 * `auth.log.2` may be gzip and a `.gz` may be plain text. Gzip is read by
 * zlib; xz (openSUSE's logrotate, apt's eipp.log.xz), bzip2 and zstd through
 * the system's own tool, as Node has no decoder for them.
 */
import { spawn } from 'node:child_process';
import { Readable, pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { SourceFailure } from './source-failure';

/** How a byte stream is encoded. */
export type Encoding = 'plain' | 'gzip' | 'xz' | 'bzip2' | 'zstd';

const SNIFF_BYTES = 10;

function startsWith(head: Buffer, bytes: number[]): boolean {
  return head.length >= bytes.length && bytes.every((byte, i) => head[i] === byte);
}

/** The encoding that the first bytes of a stream announce (at least 10 bytes, or the whole stream if shorter). */
export function sniffEncoding(head: Buffer): Encoding {
  if (startsWith(head, [0x1f, 0x8b])) return 'gzip';
  if (startsWith(head, [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])) return 'xz';
  if (startsWith(head, [0x28, 0xb5, 0x2f, 0xfd])) return 'zstd';
  // "BZh" + block size + the block magic 0x314159265359: a text line starting "BZh9" is not bzip2.
  const blockSize = head[3] ?? 0;
  if (
    startsWith(head, [0x42, 0x5a, 0x68]) &&
    blockSize >= 0x31 &&
    blockSize <= 0x39 &&
    startsWith(head.subarray(4), [0x31, 0x41, 0x59, 0x26, 0x53, 0x59])
  ) {
    return 'bzip2';
  }
  return 'plain';
}

/** What was learnt about a stream while decoding it. */
export interface DecodeInfo {
  encoding: Encoding;
}

async function* prepend(head: Buffer, rest: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  if (head.length > 0) yield head;
  for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
}

async function* gunzip(source: AsyncGenerator<Buffer>): AsyncGenerator<Buffer> {
  const input = Readable.from(source, { objectMode: false });
  const inflate = createGunzip();
  pipeline(input, inflate, () => {}); // errors surface through the iteration below
  try {
    for await (const chunk of inflate) yield chunk as Buffer;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'Z_BUF_ERROR') throw new SourceFailure('truncated', 'gzip data ends early (truncated file)');
    if (code?.startsWith('Z_')) throw new SourceFailure('unreadable', `corrupt gzip data: ${(error as Error).message}`);
    throw error;
  } finally {
    inflate.destroy();
    input.destroy();
  }
}

type ToolEncoding = 'xz' | 'bzip2' | 'zstd';

/** The command decoding each encoding to stdout (`-dc`), and the Debian package that installs it. */
const DECODERS: Readonly<Record<ToolEncoding, { command: string; debianPackage: string }>> = {
  xz: { command: 'xz', debianPackage: 'xz-utils' },
  bzip2: { command: 'bzip2', debianPackage: 'bzip2' },
  zstd: { command: 'zstd', debianPackage: 'zstd' },
};

/** How each tool says its input ended early (xz, bzip2, zstd), in lower case. */
const CUT_SHORT = ['unexpected end of input', 'file ends unexpectedly', 'premature end'];

/** The stream decoded by the encoding's tool; its failure to start or a non-zero exit is a {@link SourceFailure}. */
async function* throughTool(encoding: ToolEncoding, source: AsyncGenerator<Buffer>): AsyncGenerator<Buffer> {
  const { command, debianPackage } = DECODERS[encoding];
  const child = spawn(command, ['-dc'], { stdio: ['pipe', 'pipe', 'pipe'], env: process.env });
  try {
    await new Promise<void>((resolve, reject) => child.once('spawn', resolve).once('error', reject));
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new SourceFailure(
      'unreadable',
      `${encoding}-compressed: ${missing ? `${command} not found (install ${debianPackage})` : (error as Error).message}, or decompress it first`,
    );
  }
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    if (stderr.length < 4096) stderr += text;
  });
  const input = Readable.from(source, { objectMode: false });
  pipeline(input, child.stdin, () => {}); // a tool stopping early breaks the pipe: its exit status says why
  try {
    for await (const chunk of child.stdout) yield chunk as Buffer;
    const status = await exited;
    if (status !== 0) {
      const reason = stderr.trim().split('\n')[0] || `${command} exited with status ${status}`;
      const lower = reason.toLowerCase();
      const cut = CUT_SHORT.some((words) => lower.includes(words));
      throw new SourceFailure(
        cut ? 'truncated' : 'unreadable',
        `${cut ? 'truncated' : 'corrupt'} ${encoding} data: ${reason}`,
      );
    }
  } finally {
    child.kill();
    input.destroy();
  }
}

/**
 * The decoded bytes of `chunks`: gunzipped when they start with the gzip magic
 * (several concatenated members included), decoded by `xz`, `bzip2` or `zstd`
 * when they start with those magics (a clear `unreadable` failure when the
 * tool is missing), as they are when plain. `info.encoding` is set once the
 * head has been seen.
 */
export async function* decompress(chunks: AsyncIterable<Buffer>, info?: DecodeInfo): AsyncGenerator<Buffer> {
  const iterator = chunks[Symbol.asyncIterator]();
  try {
    const parts: Buffer[] = [];
    let size = 0;
    while (size < SNIFF_BYTES) {
      const next = await iterator.next();
      if (next.done) break;
      parts.push(next.value);
      size += next.value.length;
    }
    const head = parts.length === 1 ? parts[0]! : Buffer.concat(parts, size);
    const encoding = sniffEncoding(head);
    if (info) info.encoding = encoding;
    // A finished iterator keeps answering `done`, so a stream shorter than the sniff needs no special case.
    const stream = prepend(head, iterator);
    yield* encoding === 'gzip' ? gunzip(stream) : encoding === 'plain' ? stream : throughTool(encoding, stream);
  } finally {
    await iterator.return?.();
  }
}
