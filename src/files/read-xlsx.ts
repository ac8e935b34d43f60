import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { FileRejectedError } from '../errors';
import type { RawRecord } from './read-records';
import { MAX_COLUMNS, MAX_RECORD_BYTES } from './read-records';
import { readCellStyles } from './xlsx/cell-styles';
import { readSharedStrings } from './xlsx/shared-strings';
import { readSheetRows, type SheetContext } from './xlsx/sheet-rows';
import { findWorkbookParts } from './xlsx/workbook-parts';
import { XLSX_LIMITS, xlsxRefusal, type XlsxLimits } from './xlsx/xlsx-limits';
import { ZipParts } from './xlsx/zip-parts';

export { XLSX_LIMITS };

/**
 * Checks the ZIP before any XML is parsed (entry count, part names against the allow-list,
 * duplicates, declared sizes and ratio, each local header against the central directory) and
 * hashes the file. The same checks run again, with the inflated bytes counted, when it is read.
 */
export async function inspectXlsx(
  path: string,
  fileName: string,
  limits: XlsxLimits = XLSX_LIMITS,
): Promise<{ sha256: string; bytes: number }> {
  const zip = await ZipParts.open(path, fileName, limits);
  try {
    await findWorkbookParts(zip, fileName, limits);
  } finally {
    zip.close();
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
 * the header, then every non-empty row with its sheet row number as the line. Only the parts the
 * workbook's relationships name are read, each through the counted stream of `ZipParts`.
 */
export async function* readXlsxRecords(
  path: string,
  fileName: string,
  sheet?: string,
  limits: XlsxLimits = XLSX_LIMITS,
): AsyncGenerator<RawRecord | { header: string[] }> {
  const zip = await ZipParts.open(path, fileName, limits);
  try {
    const parts = await findWorkbookParts(zip, fileName, limits);
    const index = parts.sheets.findIndex((s, i) =>
      sheet === undefined ? i === 0 : s.name === sheet || String(i + 1) === sheet,
    );
    if (index === -1)
      throw xlsxRefusal(
        fileName,
        'XLSX_SHEET_NOT_FOUND',
        sheet === undefined ? 'the workbook has no sheet' : `the workbook has no sheet "${sheet}"`,
      );
    const ctx: SheetContext = {
      zip,
      fileName,
      limits,
      strings: await readSharedStrings(zip, parts.sharedStrings, fileName, limits),
      styles: await readCellStyles(zip, parts.styles, fileName, limits),
      date1904: parts.date1904,
      maxColumns: MAX_COLUMNS,
      maxRecordChars: MAX_RECORD_BYTES,
    };
    yield* records(ctx, parts.sheets[index].part);
  } catch (err) {
    if (err instanceof FileRejectedError) throw err;
    throw new FileRejectedError('INVALID_XLSX', `${fileName}: the workbook cannot be read`, 422, {
      cause: err instanceof Error ? err.name : 'unknown',
    });
  } finally {
    zip.close();
  }
}

async function* records(ctx: SheetContext, part: string): AsyncGenerator<RawRecord | { header: string[] }> {
  let rowNumber = 0;
  let width = 0;
  for await (const rows of readSheetRows(ctx, part)) {
    for (const row of rows) {
      const filled = Array.from({ length: Math.max(row.fields.length, width) }, (_, i) => row.fields[i] ?? '');
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
}
