import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { Response } from 'express';
import type pg from 'pg';
import type { ImportRecord } from '../db/queries/imports';
import { errorsAfter } from '../db/queries/ledger';
import { errorReportHeader, errorReportLine } from '../imports/error-report';
import { escapeFormula } from '../domain/formula-escape';
import { writeXlsxReport } from './xlsx-report';

/** The report module escaped the record's values; the header and reasons come from the file too. */
const neutralise = escapeFormula;

/** The report's header: the file's own columns, then where and why. */
const reportHeader = (imp: ImportRecord): string[] => errorReportHeader(imp).map(neutralise);

/** Every rejected record in row order, read a page at a time. */
async function* reportLines(pool: pg.Pool, imp: ImportRecord): AsyncGenerator<string[]> {
  for (let after = 0; ;) {
    const page = await errorsAfter(pool, imp.id, after, 1000);
    if (page.length === 0) return;
    for (const row of page) yield errorReportLine(imp, row).map(neutralise);
    after = page[page.length - 1].rowNumber;
  }
}

/**
 * The download's name, from the uploaded file's display name: letters, digits, `.`, `-`, `_` and
 * spaces only (no quotes, slashes, controls or bidi marks), capped; Express encodes the rest per RFC 6266.
 */
export function reportFileName(imp: Pick<ImportRecord, 'id' | 'fileName'>, extension: 'csv' | 'xlsx'): string {
  const stem = imp.fileName
    .replace(/\.[^.]*$/, '')
    .normalize('NFC')
    .replace(/[^\p{L}\p{M}\p{N}._ -]+/gu, '_')
    .replace(/^[.\s_-]+/, '')
    .slice(0, 80)
    .trim();
  return `${stem ? `${stem}-` : ''}import-${imp.id}-errors.${extension}`;
}

export async function sendCsvReport(pool: pg.Pool, imp: ImportRecord, res: Response): Promise<void> {
  res.type('text/csv; charset=utf-8').attachment(reportFileName(imp, 'csv'));
  // A BOM so Excel opens Thai text as UTF-8.
  res.write('\ufeff');
  async function* rows() {
    yield reportHeader(imp);
    yield* reportLines(pool, imp);
  }
  // Every field quoted: a `;` inside a value cannot start a new cell in a spreadsheet that splits on it.
  await pipeline(Readable.from(rows()), stringify({ quoted: true }), res);
}

export async function sendXlsxReport(pool: pg.Pool, imp: ImportRecord, res: Response): Promise<void> {
  res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').attachment(reportFileName(imp, 'xlsx'));
  await writeXlsxReport(res, reportHeader(imp), reportLines(pool, imp));
}
