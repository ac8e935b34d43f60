import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import ExcelJS from 'exceljs';
import yauzl from 'yauzl';
import { FileRejectedError } from '../errors';
import type { RawRecord } from './read-records';
import { MAX_COLUMNS } from './read-records';

/** Zip-bomb limits, checked on the central directory and again while inflating. */
export const XLSX_LIMITS = { maxEntries: 2_000, maxUncompressedBytes: 2 * 1024 ** 3, maxRatio: 200, maxSheets: 100 };

/**
 * Checks the ZIP before any XML is parsed: entry count, declared and actual uncompressed sizes,
 * the parts of an .xlsx, and no DTD or ENTITY declaration in any XML part (entity expansion).
 */
export async function inspectXlsx(path: string, fileName: string): Promise<{ sha256: string; bytes: number }> {
  const zip = await openZip(path, fileName);
  const names = new Set<string>();
  let total = 0;
  try {
    if (zip.entryCount > XLSX_LIMITS.maxEntries) throw reject(fileName, 'XLSX_TOO_MANY_ENTRIES', `the workbook has ${zip.entryCount} parts; at most ${XLSX_LIMITS.maxEntries} are read`);
    for await (const entry of entries(zip)) {
      names.add(entry.fileName);
      total += entry.uncompressedSize;
      if (total > XLSX_LIMITS.maxUncompressedBytes || entry.uncompressedSize > Math.max(1 << 20, entry.compressedSize * XLSX_LIMITS.maxRatio)) {
        throw reject(fileName, 'XLSX_TOO_LARGE', 'the workbook expands to more than the allowed size (or compresses suspiciously well)');
      }
      if (/\.(xml|rels)$/i.test(entry.fileName)) await assertNoDtd(zip, entry, fileName);
    }
  } finally {
    zip.close();
  }
  if (!names.has('[Content_Types].xml') || !names.has('xl/workbook.xml')) {
    throw new FileRejectedError('UNSUPPORTED_FILE_TYPE', `${fileName}: this is a ZIP file but not an Excel workbook (.xlsx)`);
  }
  const sheets = [...names].filter((n) => /^xl\/worksheets\/[^/]+\.xml$/i.test(n)).length;
  if (sheets > XLSX_LIMITS.maxSheets) {
    throw reject(fileName, 'XLSX_TOO_MANY_SHEETS', `the workbook has ${sheets} sheets; at most ${XLSX_LIMITS.maxSheets} are read: keep the data sheet alone in its own workbook`);
  }
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

/**
 * Streams one sheet (the first, or `sheet` by name or 1-based position) as the CSV reader does:
 * the header, then every non-empty row with its sheet row number as the line. Every cell is text:
 * strings as stored (leading zeros kept), numbers in full, dates as yyyy-mm-dd (no time zone),
 * formulas by their cached value.
 */
export async function* readXlsxRecords(path: string, fileName: string, sheet?: string): AsyncGenerator<RawRecord | { header: string[] }> {
  try {
    yield* readSheet(path, fileName, sheet);
  } catch (err) {
    if (err instanceof FileRejectedError) throw err;
    throw new FileRejectedError('INVALID_XLSX', `${fileName}: the workbook cannot be read`, 422, { cause: err instanceof Error ? err.name : 'unknown' });
  }
}

async function* readSheet(path: string, fileName: string, sheet?: string): AsyncGenerator<RawRecord | { header: string[] }> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, { sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', worksheets: 'emit', entries: 'ignore' });
  let position = 0;
  let found = false;
  for await (const worksheet of reader) {
    position += 1;
    const ws = worksheet as unknown as AsyncIterable<ExcelJS.Row> & { name: string };
    const wanted = sheet === undefined ? position === 1 : ws.name === sheet || String(position) === sheet;
    if (!wanted || found) {
      for await (const _row of ws) void _row;
      continue;
    }
    found = true;
    let rowNumber = 0;
    let width = 0;
    for await (const row of ws) {
      const fields: string[] = [];
      row.eachCell({ includeEmpty: false }, (cell, col) => {
        if (col > MAX_COLUMNS) throw reject(fileName, 'TOO_MANY_COLUMNS', `row ${row.number} has more than ${MAX_COLUMNS} columns`);
        fields[col - 1] = cellAsText(cell);
      });
      const filled = Array.from({ length: Math.max(fields.length, width) }, (_, i) => fields[i] ?? '');
      if (filled.every((f) => f.trim() === '')) continue;
      if (width === 0) {
        width = filled.length;
        yield { header: filled };
        continue;
      }
      rowNumber += 1;
      yield { rowNumber, lineNumber: row.number, fields: filled };
    }
  }
  if (!found) throw reject(fileName, 'XLSX_SHEET_NOT_FOUND', sheet === undefined ? 'the workbook has no sheet' : `the workbook has no sheet "${sheet}"`);
}

export function cellAsText(cell: ExcelJS.Cell): string {
  return valueAsText(cell.value, cell.numFmt);
}

function valueAsText(value: ExcelJS.CellValue, numFmt: string | undefined): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return dateText(value);
  if (typeof value === 'number') return numberText(value, numFmt);
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('formula' in value || 'sharedFormula' in value) return valueAsText((value as { result?: ExcelJS.CellValue }).result ?? null, numFmt);
  if ('text' in value) return String((value as { text: unknown }).text);
  if ('error' in value) return String(value.error);
  return '';
}

/** Excel serials are read as UTC midnight: the UTC fields are the date the sheet shows. */
function dateText(d: Date): string {
  const iso = d.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

/** A number cell formatted with leading zeros ("0000000000") keeps them, as the sheet shows. */
function numberText(n: number, numFmt: string | undefined): string {
  const text = Number.isInteger(n) ? BigInt(n).toString() : String(n);
  if (numFmt && /^0+$/.test(numFmt) && Number.isInteger(n) && n >= 0) return text.padStart(numFmt.length, '0');
  return text;
}

function reject(fileName: string, code: string, message: string): FileRejectedError {
  return new FileRejectedError(code, `${fileName}: ${message}`);
}

function openZip(path: string, fileName: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, rejectP) =>
    yauzl.open(path, { lazyEntries: true, autoClose: false, validateEntrySizes: true }, (err, zip) => (err || !zip ? rejectP(reject(fileName, 'UNSUPPORTED_FILE_TYPE', 'this is a ZIP file but not a readable Excel workbook (.xlsx); save the sheet as .xlsx or CSV UTF-8')) : resolve(zip))),
  );
}

async function* entries(zip: yauzl.ZipFile): AsyncGenerator<yauzl.Entry> {
  for (;;) {
    const entry = await new Promise<yauzl.Entry | null>((resolve, rejectP) => {
      zip.once('entry', resolve);
      zip.once('end', () => resolve(null));
      zip.once('error', rejectP);
      zip.readEntry();
    });
    zip.removeAllListeners('entry').removeAllListeners('end').removeAllListeners('error');
    if (!entry) return;
    yield entry;
  }
}

const DTD = /<!(DOCTYPE|ENTITY)/i;

async function assertNoDtd(zip: yauzl.ZipFile, entry: yauzl.Entry, fileName: string): Promise<void> {
  const stream = await new Promise<NodeJS.ReadableStream>((resolve, rejectP) => zip.openReadStream(entry, (err, s) => (err || !s ? rejectP(err) : resolve(s))));
  let tail = '';
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const text = tail + chunk.toString('latin1');
      if (DTD.test(text)) throw reject(fileName, 'XLSX_DTD', 'the workbook contains a DTD or ENTITY declaration, which is not read');
      tail = text.slice(-16);
    }
  } catch (err) {
    if (err instanceof FileRejectedError) throw err;
    throw reject(fileName, 'INVALID_XLSX', 'a part of the workbook cannot be inflated');
  }
}
