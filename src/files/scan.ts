import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { FileRejectedError } from '../errors';
import { findInvalidLine } from './find-invalid-line';
import { StrictDecoder } from './strict-decoder';
import { isUtf16, type TextEncoding } from './text-encoding';

export interface FileScan {
  sha256: string;
  bytes: number;
  encoding: TextEncoding;
  /** The first line as text, for choosing the delimiter. */
  firstLine: string;
}

const HEAD_BYTES = 64 * 1024;

/** How the encodings are named to an admin. */
export const ENCODING_NAMES: Record<TextEncoding, string> = {
  'utf-8': 'UTF-8',
  'utf-16le': 'UTF-16LE',
  'utf-16be': 'UTF-16BE',
  'windows-874': 'Windows-874 (TIS-620)',
};

/**
 * One streaming pass: the hash, and the encoding. Declared, the whole file must decode in it;
 * otherwise UTF-8 is tried strictly and, since Excel on Thai Windows saves "CSV" as Windows-874,
 * that is the fallback. Nothing is ever decoded with U+FFFD.
 */
export async function scanFile(path: string, fileName: string, declared?: TextEncoding): Promise<FileScan> {
  return declared ? scanDeclared(path, fileName, declared) : scanDetected(path, fileName);
}

async function scanDetected(path: string, fileName: string): Promise<FileScan> {
  const hash = createHash('sha256');
  let bytes = 0;
  let head: Buffer | null = null;
  const decoders = { 'utf-8': strict('utf-8'), 'windows-874': strict('windows-874') };
  const failed = new Set<string>();
  let encoding: TextEncoding | null = null;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    if (!head) {
      head = chunk.subarray(0, HEAD_BYTES);
      // A UTF-16 mark decides; a UTF-8 one still goes through the strict UTF-8 check below.
      const bom = byteOrderMark(head);
      encoding = isUtf16(bom) ? bom : null;
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
    throw new FileRejectedError(
      'INVALID_ENCODING',
      `${fileName}: the file is neither UTF-8 nor Windows-874 (Thai) text; save it as CSV UTF-8`,
    );
  }
  return { sha256: hash.digest('hex'), bytes, encoding, firstLine: firstLineOf(head, encoding) };
}

/**
 * The declared encoding is taken at its word, but checked over every byte: a wrong declaration is
 * refused naming the first line that does not decode, rather than stored as replacement characters.
 */
async function scanDeclared(path: string, fileName: string, encoding: TextEncoding): Promise<FileScan> {
  const hash = createHash('sha256');
  let bytes = 0;
  let head: Buffer | null = null;
  const decoder = strict(encoding);
  let valid = true;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    if (!head) {
      head = chunk.subarray(0, HEAD_BYTES);
      assertBomAgrees(head, encoding, fileName);
    }
    hash.update(chunk);
    bytes += chunk.length;
    try {
      decoder.decode(chunk, { stream: true });
    } catch {
      valid = false;
      break;
    }
  }
  if (valid) {
    try {
      decoder.decode();
    } catch {
      valid = false;
    }
  }
  if (!valid) {
    const line = (await findInvalidLine(path, encoding)) ?? 1;
    throw new FileRejectedError(
      'INVALID_ENCODING',
      `${fileName}: line ${line} is not valid ${ENCODING_NAMES[encoding]} text, the encoding declared for the file; declare its real encoding, or auto to detect it`,
      422,
      { line, encoding },
    );
  }
  return { sha256: hash.digest('hex'), bytes, encoding, firstLine: firstLineOf(head, encoding) };
}

const BOMS: { bytes: number[]; encoding: TextEncoding }[] = [
  { bytes: [0xef, 0xbb, 0xbf], encoding: 'utf-8' },
  { bytes: [0xff, 0xfe], encoding: 'utf-16le' },
  { bytes: [0xfe, 0xff], encoding: 'utf-16be' },
];

/** A byte order mark says what the file is: one that contradicts the declaration would decode as letters of the header. */
function assertBomAgrees(head: Buffer, declared: TextEncoding, fileName: string): void {
  const bom = byteOrderMark(head);
  if (!bom || bom === declared) return;
  throw new FileRejectedError(
    'ENCODING_MISMATCH',
    `${fileName}: line 1 starts with a ${ENCODING_NAMES[bom]} byte order mark, but ${ENCODING_NAMES[declared]} was declared; declare ${bom}, or auto`,
    422,
    { line: 1, encoding: declared, byteOrderMark: bom },
  );
}

function firstLineOf(head: Buffer | null, encoding: TextEncoding): string {
  return new TextDecoder(encoding).decode(head ?? Buffer.alloc(0)).split(/\r\n|\n|\r/)[0] ?? '';
}

function strict(encoding: TextEncoding): StrictDecoder {
  return new StrictDecoder(encoding);
}

/** The encoding a byte order mark at the start of the file names, if it has one. */
export function byteOrderMark(head: Uint8Array): TextEncoding | null {
  return BOMS.find((b) => b.bytes.every((byte, i) => head[i] === byte))?.encoding ?? null;
}
