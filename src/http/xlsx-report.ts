import { EventEmitter } from 'node:events';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import ExcelJS from 'exceljs';

/** Excel opens at most this many rows a sheet: a longer report goes on in sheets "errors 2", "errors 3", … each with the header. */
export const EXCEL_MAX_ROWS = 1_048_576;

/** Sheet XML the zip may hold uncompressed before the writer waits for it (a few pages of rows). */
export const MAX_BACKLOG_BYTES = 4 * 1024 * 1024;

export interface XlsxReportLimits {
  rowsPerSheet?: number;
  maxBacklogBytes?: number;
}

/**
 * Streams `header` and `rows` to `out` as a workbook, at the pace `out` takes it: a slow client or a
 * million rows hold no more than `maxBacklogBytes` of XML in memory. Stops reading rows as soon as
 * `out` is destroyed (the client went away): 'aborted'.
 */
export async function writeXlsxReport(
  out: Writable,
  header: string[],
  rows: AsyncIterable<string[]>,
  limits: XlsxReportLimits = {},
): Promise<'done' | 'aborted'> {
  const rowsPerSheet = limits.rowsPerSheet ?? EXCEL_MAX_ROWS;
  const maxBacklog = limits.maxBacklogBytes ?? MAX_BACKLOG_BYTES;
  // Strings are written as text cells, never formulas.
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: false });
  let sheets = 0;
  let sheet!: ExcelJS.Worksheet;
  let backlog!: ZipInput;
  let inSheet = 0;
  /** The next sheet, its header written: "errors", then "errors 2", … */
  function openSheet(): void {
    sheets += 1;
    sheet = workbook.addWorksheet(sheets === 1 ? 'errors' : `errors ${sheets}`);
    sheet.addRow(header).commit();
    backlog = zipInput(sheet, workbook);
    inSheet = 1;
  }
  openSheet();
  for await (const row of rows) {
    if (inSheet === rowsPerSheet) {
      sheet.commit();
      openSheet();
    }
    sheet.addRow(row).commit();
    inSheet += 1;
    if (out.destroyed) return 'aborted';
    if (backlog.bytes() > maxBacklog && (await backlog.drained(out)) === 'gone') return 'aborted';
  }
  sheet.commit();
  await workbook.commit();
  await finished(out);
  return 'done';
}

interface ZipInput {
  bytes(): number;
  /** Resolves when the zip has taken all of it, or 'gone' when `out` closed first; rejects when the zip fails. */
  drained(out: Writable): Promise<'drained' | 'gone'>;
}

/**
 * exceljs (4.4) hands a sheet's XML to its zip without waiting: the sheet's buffer writes into the
 * PassThrough that archiver reads the entry from and drops write()'s answer. Written faster than
 * deflate or the client take it, a whole report piles up there, in the api's memory. This reaches that PassThrough so the writer can wait on it; test/unit/xlsx-report.test.ts
 * fails if an upgrade moves it.
 */
function zipInput(sheet: ExcelJS.Worksheet, workbook: ExcelJS.stream.xlsx.WorkbookWriter): ZipInput {
  const input = (sheet as unknown as { stream?: { pipes?: unknown[] } }).stream?.pipes?.[0] as
    (EventEmitter & { _writableState?: { length: number } }) | undefined;
  const zip = (workbook as unknown as { zip?: unknown }).zip;
  if (
    !(input instanceof EventEmitter) ||
    typeof input._writableState?.length !== 'number' ||
    !(zip instanceof EventEmitter)
  ) {
    throw new Error('exceljs no longer exposes the zip input of a sheet: the Excel report cannot pace itself');
  }
  const state = input._writableState;
  return {
    bytes: () => state.length,
    drained: (out) =>
      new Promise((resolve, reject) => {
        const stopListening = () => {
          input.off('drain', onDrain);
          out.off('close', onGone);
          zip.off('error', onError);
        };
        const onDrain = () => (stopListening(), resolve('drained'));
        const onGone = () => (stopListening(), resolve('gone'));
        const onError = (err: Error) => (stopListening(), reject(err));
        input.once('drain', onDrain);
        out.once('close', onGone);
        zip.once('error', onError);
      }),
  };
}
