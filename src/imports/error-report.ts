import type { ImportRecord } from '../db/queries/imports';
import type { ErrorPage } from '../db/queries/ledger';

import { escapeFormula } from '../domain/formula-escape';

/** Header of the CSV error report: the file's own columns, then where and why. */
export function errorReportHeader(imp: ImportRecord): string[] {
  return [...imp.header.filter((h) => h.column !== null).map((h) => h.original), 'row_number', 'line_number', 'errors'];
}

export function errorReportLine(imp: ImportRecord, row: ErrorPage): string[] {
  const values = imp.header.filter((h) => h.column !== null).map((h) => escapeFormula(row.record[h.column!] ?? ''));
  const reasons = row.errors.map((e) => `${e.field}: ${e.message} [${e.code}]`).join('; ');
  return [...values, String(row.rowNumber), String(row.lineNumber), reasons];
}
