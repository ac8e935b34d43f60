import type { Readable } from 'node:stream';
import { SaxesParser } from 'saxes';
import { FileRejectedError } from '../../errors';
import { xlsxRefusal, type XlsxLimits } from './xlsx-limits';

/** What one part's reader does with the parser's events; names arrive without their namespace prefix. */
export interface XmlHandlers {
  open(name: string, attributes: Record<string, string>): void;
  close(name: string): void;
  text?(text: string): void;
}

const DTD = /<!(DOCTYPE|ENTITY)/i;
const LT = 0x3c;
const GT = 0x3e;

/**
 * Parses one part of the workbook, yielding after each chunk so the caller can hand on what the
 * chunk produced. A DTD is refused (no entity can expand), and no text run or tag may exceed
 * `maxMarkupRunBytes`: the parser buffers a run whole before it emits it.
 */
export async function* parseXmlPart(
  stream: Readable,
  fileName: string,
  part: string,
  limits: XlsxLimits,
  handlers: XmlHandlers,
): AsyncGenerator<void> {
  const parser = new SaxesParser({ position: false });
  parser.on('doctype', () => {
    throw dtd(fileName, part);
  });
  parser.on('opentag', (tag) => handlers.open(localName(tag.name), tag.attributes as Record<string, string>));
  parser.on('closetag', (tag) => handlers.close(localName(tag.name)));
  if (handlers.text) parser.on('text', handlers.text);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let run = 0;
  let tail = '';
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      // Looked for in the raw bytes too: a declaration the parser would first fail on is still a DTD.
      const text = tail + chunk.toString('latin1');
      if (DTD.test(text)) throw dtd(fileName, part);
      tail = chunk.toString('latin1', Math.max(0, chunk.length - 16));
      run = markupRun(chunk, run, limits.maxMarkupRunBytes);
      if (run > limits.maxMarkupRunBytes)
        throw xlsxRefusal(
          fileName,
          'XLSX_TEXT_TOO_LONG',
          `the part ${part} has a text or tag longer than ${limits.maxMarkupRunBytes} bytes`,
        );
      parser.write(decoder.decode(chunk, { stream: true }));
      yield;
    }
    parser.write(decoder.decode());
    parser.close();
    yield;
  } catch (err) {
    stream.destroy();
    if (err instanceof FileRejectedError) throw err;
    throw new FileRejectedError('INVALID_XLSX', `${fileName}: the part ${part} is not well-formed XML`, 422, {
      part,
      cause: err instanceof Error ? err.message.slice(0, 200) : 'unknown',
    });
  }
}

/**
 * Bytes since the last `<` or `>` once `chunk` is read, or the run that went past `max` before the
 * chunk's first markup character; runs wholly inside a chunk are shorter than the chunk itself.
 */
function markupRun(chunk: Buffer, before: number, max: number): number {
  const lt = chunk.indexOf(LT);
  const gt = chunk.indexOf(GT);
  if (lt === -1 && gt === -1) return before + chunk.length;
  const first = lt === -1 ? gt : gt === -1 ? lt : Math.min(lt, gt);
  if (before + first > max) return before + first;
  return chunk.length - 1 - Math.max(chunk.lastIndexOf(LT), chunk.lastIndexOf(GT));
}

function dtd(fileName: string, part: string) {
  return xlsxRefusal(fileName, 'XLSX_DTD', `the part ${part} contains a DTD or ENTITY declaration, which is not read`);
}

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon === -1 ? name : name.slice(colon + 1);
}
