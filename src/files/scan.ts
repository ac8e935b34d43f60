import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { FileRejectedError } from '../errors';

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-874';

export interface FileScan {
  sha256: string;
  bytes: number;
  encoding: TextEncoding;
  /** The first line as text, for choosing the delimiter. */
  firstLine: string;
}

/**
 * One streaming pass: the hash, and the encoding. UTF-8 is tried strictly; Excel on Thai Windows
 * saves "CSV" as Windows-874, so that is the fallback. Nothing is ever decoded with U+FFFD.
 */
export async function scanFile(path: string, fileName: string): Promise<FileScan> {
  const hash = createHash('sha256');
  let bytes = 0;
  let head: Buffer | null = null;
  const decoders = { 'utf-8': strict('utf-8'), 'windows-874': strict('windows-874') };
  const failed = new Set<string>();
  let encoding: TextEncoding | null = null;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    if (!head) {
      head = chunk.subarray(0, 64 * 1024);
      encoding = bomEncoding(head);
    }
    bytes += chunk.length;
    if (encoding) continue;
    for (const [name, decoder] of Object.entries(decoders)) {
      if (failed.has(name)) continue;
      try {
        decoder.decode(chunk, { stream: true });
      } catch {
        failed.add(name);
      }
    }
  }
  if (!encoding) {
    for (const [name, decoder] of Object.entries(decoders)) {
      if (failed.has(name)) continue;
      try {
        decoder.decode();
      } catch {
        failed.add(name);
      }
    }
    encoding = !failed.has('utf-8') ? 'utf-8' : !failed.has('windows-874') ? 'windows-874' : null;
  }
  if (!encoding) {
    throw new FileRejectedError('INVALID_ENCODING', `${fileName}: the file is neither UTF-8 nor Windows-874 (Thai) text; save it as CSV UTF-8`);
  }
  const firstLine = new TextDecoder(encoding).decode(head ?? Buffer.alloc(0)).split(/\r\n|\n|\r/)[0] ?? '';
  return { sha256: hash.digest('hex'), bytes, encoding, firstLine };
}

function strict(label: string): TextDecoder {
  return new TextDecoder(label, { fatal: true });
}

function bomEncoding(head: Buffer): TextEncoding | null {
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  return null;
}
