import { FileRejectedError } from '../../errors';
import type { NumberStyle } from './cell-styles';
import type { SharedStrings } from './shared-strings';
import { parseXmlPart } from './xml-part';
import type { XlsxLimits } from './xlsx-limits';
import type { ZipParts } from './zip-parts';

/** One `<row>` of the sheet: its number in the sheet and its cells as text, by 0-based column. */
export interface SheetRow {
  number: number;
  fields: string[];
}

export interface SheetContext {
  zip: ZipParts;
  fileName: string;
  limits: XlsxLimits;
  strings: SharedStrings;
  styles: NumberStyle[];
  date1904: boolean;
  maxColumns: number;
  /** Characters of one row's cells together, as a CSV record is bounded in bytes. */
  maxRecordChars: number;
}

interface Cell {
  column: number;
  type: string;
  style: number;
  value: string;
  inInline: boolean;
}

/**
 * Streams a worksheet part row by row. Every cell is text: strings as stored (leading zeros kept),
 * numbers in full, dates as yyyy-mm-dd (no time zone), formulas by their cached value.
 */
export async function* readSheetRows(ctx: SheetContext, part: string): AsyncGenerator<SheetRow[]> {
  let rows: SheetRow[] = [];
  let row: SheetRow | null = null;
  let cell: Cell | null = null;
  let capture = false;
  let phonetic = false;
  let rowChars = 0;
  let lastRow = 0;
  let lastColumn = 0;
  const handlers = {
    open(name: string, a: Record<string, string>) {
      if (name === 'row') {
        lastRow = a.r ? positiveInt(a.r, ctx, `row ${lastRow + 1}`) : lastRow + 1;
        row = { number: lastRow, fields: [] };
        lastColumn = 0;
        rowChars = 0;
      } else if (name === 'c' && row) {
        lastColumn = a.r ? columnOf(a.r, ctx, row.number) : lastColumn + 1;
        cell = { column: lastColumn, type: a.t ?? 'n', style: Number(a.s ?? 0), value: '', inInline: false };
      } else if (cell && name === 'v') capture = true;
      else if (cell && name === 'is') cell.inInline = true;
      else if (cell?.inInline && name === 't' && !phonetic) capture = true;
      else if (name === 'rPh') phonetic = true;
    },
    close(name: string) {
      if (name === 'v' || name === 't') capture = false;
      else if (name === 'rPh') phonetic = false;
      else if (name === 'c' && cell && row) {
        const text = cellText(cell, ctx, row.number);
        if (text !== '') {
          if (cell.column > ctx.maxColumns)
            throw refuse(ctx, 'TOO_MANY_COLUMNS', `row ${row.number} has more than ${ctx.maxColumns} columns`);
          row.fields[cell.column - 1] = text;
        }
        cell = null;
      } else if (name === 'row' && row) {
        rows.push(row);
        row = null;
      }
    },
    text(text: string) {
      if (!capture || !cell || !row) return;
      rowChars += text.length;
      if (rowChars > ctx.maxRecordChars)
        throw refuse(ctx, 'RECORD_TOO_LARGE', `row ${row.number} holds more than ${ctx.maxRecordChars} characters`);
      cell.value += text;
    },
  };
  for await (const _ of parseXmlPart(await ctx.zip.stream(part), ctx.fileName, part, ctx.limits, handlers)) {
    if (rows.length === 0) continue;
    yield rows;
    rows = [];
  }
}

function cellText(cell: Cell, ctx: SheetContext, rowNumber: number): string {
  const v = cell.value;
  switch (cell.type) {
    case 's': {
      if (v === '') return '';
      const text = ctx.strings.at(Number(v));
      if (text === undefined)
        throw refuse(
          ctx,
          'INVALID_XLSX',
          `row ${rowNumber} refers to shared string ${v.slice(0, 12)}, which the workbook does not have`,
        );
      return text;
    }
    case 'inlineStr':
    case 'str':
    case 'e':
      return v;
    case 'b':
      return v === '' ? '' : v === '1' || v === 'true' ? 'TRUE' : 'FALSE';
    case 'd':
      return isoDateText(v);
    default:
      return numberCellText(v, ctx.styles[cell.style], ctx.date1904);
  }
}

function numberCellText(v: string, style: NumberStyle | undefined, date1904: boolean): string {
  if (v === '') return '';
  const n = Number(v);
  if (!Number.isFinite(n)) return v;
  if (style?.kind === 'date') return dateText(new Date(Math.round((n - 25569 + (date1904 ? 1462 : 0)) * 86_400_000)));
  const text = Number.isInteger(n) ? BigInt(n).toString() : String(n);
  // A number cell formatted with leading zeros ("0000000000") keeps them, as the sheet shows.
  if (style?.kind === 'zeros' && Number.isInteger(n) && n >= 0) return text.padStart(style.width, '0');
  return text;
}

function isoDateText(v: string): string {
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? v : dateText(d);
}

/** Excel serials are read as UTC midnight: the UTC fields are the date the sheet shows. */
function dateText(d: Date): string {
  if (Number.isNaN(d.getTime())) return '';
  const iso = d.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

/** Column of a cell reference ("B7" is 2); Excel's last column is XFD (16,384). */
function columnOf(ref: string, ctx: SheetContext, rowNumber: number): number {
  const m = /^([A-Z]{1,3})[0-9]*$/.exec(ref);
  if (!m)
    throw refuse(
      ctx,
      'INVALID_XLSX',
      `row ${rowNumber} has a cell with the reference ${JSON.stringify(ref.slice(0, 12))}`,
    );
  let column = 0;
  for (const ch of m[1]) column = column * 26 + (ch.charCodeAt(0) - 64);
  return column;
}

function positiveInt(text: string, ctx: SheetContext, where: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1)
    throw refuse(ctx, 'INVALID_XLSX', `${where} has the row number ${JSON.stringify(text.slice(0, 12))}`);
  return n;
}

function refuse(ctx: SheetContext, code: string, message: string): FileRejectedError {
  return new FileRejectedError(code, `${ctx.fileName}: ${message}`);
}
