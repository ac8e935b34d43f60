import { parseXmlPart } from './xml-part';
import { xlsxRefusal, type XlsxLimits } from './xlsx-limits';
import type { ZipParts } from './zip-parts';

/** How a number cell of a style reads as text: as a date, padded with leading zeros to a width, or as is. */
export type NumberStyle = { kind: 'date' } | { kind: 'zeros'; width: number } | { kind: 'plain' };

const PLAIN: NumberStyle = { kind: 'plain' };
const DATE: NumberStyle = { kind: 'date' };

/** Excel's built-in date and time formats (ids 14–22, 45–47, and the East Asian 27–36, 50–58). */
function isBuiltInDate(id: number): boolean {
  return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) || (id >= 50 && id <= 58);
}

/** A format is a date when a date or time letter remains once quoted text, escapes and [brackets] are gone. */
export function isDateFormat(code: string): boolean {
  const bare = code
    .replace(/\[[^\]]*]/g, '')
    .replace(/"[^"]*"/g, '')
    .replace(/\\./g, '');
  return /[ymdhsb]/i.test(bare) && !/^General$/i.test(bare);
}

function styleOf(numFmtId: number, custom: Map<number, string>): NumberStyle {
  const code = custom.get(numFmtId);
  if (code === undefined) return isBuiltInDate(numFmtId) ? DATE : PLAIN;
  if (/^0+$/.test(code)) return { kind: 'zeros', width: code.length };
  return isDateFormat(code) ? DATE : PLAIN;
}

/** Each cell style's number style, by the `s` index cells carry; styles.xml's `cellXfs` in order. */
export async function readCellStyles(
  zip: ZipParts,
  part: string | undefined,
  fileName: string,
  limits: XlsxLimits,
): Promise<NumberStyle[]> {
  if (!part) return [];
  const custom = new Map<number, string>();
  const xfFormats: number[] = [];
  let inCellXfs = false;
  const handlers = {
    open(name: string, a: Record<string, string>) {
      if (name === 'numFmt') {
        if (custom.size >= limits.maxStyles) throw tooMany(fileName, limits);
        custom.set(Number(a.numFmtId), a.formatCode ?? '');
      } else if (name === 'cellXfs') inCellXfs = true;
      else if (name === 'xf' && inCellXfs) {
        if (xfFormats.length >= limits.maxStyles) throw tooMany(fileName, limits);
        xfFormats.push(Number(a.numFmtId ?? 0));
      }
    },
    close(name: string) {
      if (name === 'cellXfs') inCellXfs = false;
    },
  };
  for await (const _ of parseXmlPart(await zip.stream(part), fileName, part, limits, handlers)) void _;
  return xfFormats.map((id) => styleOf(id, custom));
}

function tooMany(fileName: string, limits: XlsxLimits) {
  return xlsxRefusal(
    fileName,
    'XLSX_TOO_MANY_STYLES',
    `the workbook has more than ${limits.maxStyles} cell styles or number formats`,
  );
}
