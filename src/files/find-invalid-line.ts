import { createReadStream } from 'node:fs';
import { isUtf16, type TextEncoding } from './text-encoding';
import { CrLfJoiner } from './crlf-joiner';
import { StrictDecoder } from './strict-decoder';

/**
 * The 1-based line holding the first bytes that do not decode in `encoding`, or null when the whole
 * file decodes. Lines are counted as the CSV reader counts them (CR LF, lone CR and LF each end one),
 * so the number matches the line numbers of the error report.
 *
 * Only the error path calls this: it feeds the decoder one line at a time, so the line whose bytes
 * make it throw is the bad one. No line is buffered whole: a huge line costs no memory.
 */
export async function findInvalidLine(path: string, encoding: TextEncoding): Promise<number | null> {
  const decoder = new StrictDecoder(encoding);
  const unit = isUtf16(encoding) ? 2 : 1;
  const breaks = new BreakCounter();
  let carry: Buffer = Buffer.alloc(0);
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    const bytes = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    // UTF-16 is fed whole code units, so a line end is always found at an even offset.
    const usable = bytes.length - (bytes.length % unit);
    carry = bytes.subarray(usable);
    let start = 0;
    for (const end of [...lineEnds(bytes.subarray(0, usable), encoding), usable]) {
      if (end === start) continue;
      try {
        breaks.add(decoder.decode(bytes.subarray(start, end), { stream: true }));
      } catch {
        return breaks.lineOfError();
      }
      start = end;
    }
  }
  try {
    breaks.add(decoder.decode(carry, { stream: true }));
    decoder.decode();
  } catch {
    return breaks.lineOfError();
  }
  return null;
}

const LF = 0x0a;
const CR = 0x0d;

/**
 * Offsets just past each LF and CR: one byte in UTF-8 and Windows-874 (never part of a longer
 * sequence), one aligned unit in UTF-16. CR counts too, or a file with old Mac line ends would be one line.
 */
function lineEnds(bytes: Buffer, encoding: TextEncoding): number[] {
  const ends: number[] = [];
  if (isUtf16(encoding)) {
    const low = encoding === 'utf-16le' ? 0 : 1;
    for (let i = 0; i + 1 < bytes.length; i += 2) {
      if (bytes[i + 1 - low] === 0 && (bytes[i + low] === LF || bytes[i + low] === CR)) ends.push(i + 2);
    }
    return ends;
  }
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === LF || bytes[i] === CR) ends.push(i + 1);
  return ends;
}

/** Counts line ends in decoded text that arrives in pieces; a CR at the end of a piece may pair with an LF in the next. */
class BreakCounter {
  private lines = 1;
  private readonly crlf = new CrLfJoiner();

  add(text: string): void {
    this.lines += this.crlf.next(text).match(/\r\n|\r|\n/g)?.length ?? 0;
  }

  /** A CR waiting for its LF, followed by bytes that do not decode, ended its line on its own. */
  lineOfError(): number {
    return this.lines + (this.crlf.holdsCr ? 1 : 0);
  }
}
