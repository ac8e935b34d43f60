import { parseXmlPart } from './xml-part';
import { xlsxRefusal, type XlsxLimits } from './xlsx-limits';
import type { ZipParts } from './zip-parts';

/**
 * The workbook's shared strings, held as UTF-8 in one buffer with their offsets rather than as a
 * million JavaScript strings: the sheet refers to them by index while it is read, in any order.
 */
export class SharedStrings {
  constructor(
    private readonly bytes: Buffer,
    private readonly ends: Uint32Array,
    readonly count: number,
  ) {}

  at(index: number): string | undefined {
    if (!Number.isInteger(index) || index < 0 || index >= this.count) return undefined;
    return this.bytes.toString('utf8', index === 0 ? 0 : this.ends[index - 1], this.ends[index]);
  }
}

/** Reads `<si>` items: plain `<t>` or rich-text runs joined; phonetic guides (`<rPh>`) are not the cell's text. */
export async function readSharedStrings(
  zip: ZipParts,
  part: string | undefined,
  fileName: string,
  limits: XlsxLimits,
): Promise<SharedStrings> {
  if (!part) return new SharedStrings(Buffer.alloc(0), new Uint32Array(0), 0);
  let bytes: Buffer = Buffer.alloc(64 * 1024);
  let ends: Uint32Array = new Uint32Array(1024);
  let used = 0;
  let count = 0;
  let depthInT = 0;
  let inPhonetic = false;
  let current = '';
  const handlers = {
    open(name: string) {
      if (name === 'si') current = '';
      else if (name === 't') depthInT += 1;
      else if (name === 'rPh') inPhonetic = true;
    },
    close(name: string) {
      if (name === 't') depthInT -= 1;
      else if (name === 'rPh') inPhonetic = false;
      else if (name === 'si') {
        if (count >= limits.maxSharedStrings)
          throw refusal(fileName, `more than ${limits.maxSharedStrings} shared strings`);
        const size = Buffer.byteLength(current);
        if (used + size > limits.maxSharedStringBytes)
          throw refusal(fileName, `shared strings of more than ${limits.maxSharedStringBytes} bytes`);
        if (used + size > bytes.length) bytes = grown(bytes, used + size, limits.maxSharedStringBytes);
        if (count >= ends.length) ends = grownEnds(ends);
        used += bytes.write(current, used);
        ends[count++] = used;
        current = '';
      }
    },
    text(text: string) {
      if (depthInT > 0 && !inPhonetic) current += text;
    },
  };
  for await (const _ of parseXmlPart(await zip.stream(part), fileName, part, limits, handlers)) void _;
  return new SharedStrings(bytes, ends, count);
}

function grown(bytes: Buffer, needed: number, limit: number): Buffer {
  const next = Buffer.alloc(Math.max(needed, Math.min(limit, bytes.length * 2)));
  bytes.copy(next);
  return next;
}

function grownEnds(ends: Uint32Array): Uint32Array {
  const next = new Uint32Array(ends.length * 2);
  next.set(ends);
  return next;
}

function refusal(fileName: string, what: string) {
  return xlsxRefusal(
    fileName,
    'XLSX_TOO_MANY_STRINGS',
    `the workbook has ${what}; save the data sheet alone, or as CSV UTF-8`,
  );
}
