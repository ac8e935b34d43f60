import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { from as copyFrom } from 'pg-copy-streams';
import type pg from 'pg';
import type { Queryable } from '../queryable';
import { copyText, type CopyValue } from '../copy-rows';
import { distinctValues } from './distinct-values';

export interface StagedRow {
  rowNumber: number;
  lineNumber: number;
  record: Record<string, string>;
  problems: string[] | null;
}

/** Records per COPY data chunk: one protocol message per record costs more than the record itself. */
const LINES_PER_CHUNK = 2_000;

/**
 * COPYs parsed records, given in batches, into import_rows in text format. The record travels as
 * JSON, which never contains a raw tab or line break: copyText only doubles its backslashes, so a
 * value that is "\." alone, or holds tabs, cannot truncate or shift the load.
 */
export async function copyStagedRows(
  client: pg.PoolClient,
  importId: number,
  batches: AsyncIterable<StagedRow[]>,
): Promise<number> {
  let count = 0;
  const columns: ((row: StagedRow) => CopyValue)[] = [
    () => importId,
    (row) => row.rowNumber,
    (row) => row.lineNumber,
    (row) => JSON.stringify(row.record),
    (row) => (row.problems ? `{${row.problems.join(',')}}` : null),
  ];
  async function* chunks() {
    let text = '';
    let lines = 0;
    for await (const rows of batches) {
      text += copyText(rows, columns);
      count += rows.length;
      lines += rows.length;
      if (lines >= LINES_PER_CHUNK) {
        yield text;
        text = '';
        lines = 0;
      }
    }
    if (lines > 0) yield text;
  }
  const copy = client.query(
    copyFrom(`COPY import_rows (import_id, row_number, line_number, record, problems) FROM STDIN`),
  );
  await pipeline(Readable.from(chunks()), copy);
  return count;
}

/** Staged rows with row numbers in [firstRow, lastRow], in file order. */
export async function readStagedRows(
  db: Queryable,
  importId: number,
  firstRow: number,
  lastRow: number,
): Promise<StagedRow[]> {
  const { rows } = await db.query<StagedRow>(
    `SELECT row_number AS "rowNumber", line_number AS "lineNumber", record, problems
     FROM import_rows WHERE import_id = $1 AND row_number BETWEEN $2 AND $3 ORDER BY row_number`,
    [importId, firstRow, lastRow],
  );
  return rows;
}

export async function readStagedRowsByNumber(
  db: Queryable,
  importId: number,
  rowNumbers: number[],
): Promise<StagedRow[]> {
  const { rows } = await db.query<StagedRow>(
    `SELECT r.row_number AS "rowNumber", r.line_number AS "lineNumber", r.record, r.problems
     FROM ${distinctValues('$2::int[]')} JOIN import_rows r ON r.import_id = $1 AND r.row_number = u.v ORDER BY r.row_number`,
    [importId, rowNumbers],
  );
  return rows;
}

export async function countStagedRows(db: Queryable, importId: number): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM import_rows WHERE import_id = $1`, [
    importId,
  ]);
  return rows[0].n;
}

/** The row number of the n-th record that passed validation (or the last one, if fewer). */
export async function nthValidRowNumber(db: Queryable, importId: number, n: number): Promise<number | null> {
  const { rows } = await db.query<{ row: number | null }>(
    `SELECT max(row_number) AS row FROM (
       SELECT r.row_number FROM import_rows r
       WHERE r.import_id = $1 AND NOT EXISTS (
         SELECT 1 FROM import_outcomes o WHERE o.import_id = r.import_id AND o.row_number = r.row_number AND o.phase = 'validate')
       ORDER BY r.row_number LIMIT $2) first_valid`,
    [importId, n],
  );
  return rows[0].row;
}
