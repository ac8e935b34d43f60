import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { from as copyFrom } from 'pg-copy-streams';
import type pg from 'pg';
import type { Queryable } from '../queryable';
import { STAGED_ROWS_TARGET, stagedCopyData, type StagedCopyData, type StagedRow } from '../staged-row-text';
import { distinctValues } from './distinct-values';

export type { StagedCopyData, StagedRow } from '../staged-row-text';

/** COPYs staged rows, given as COPY data in batches (stagedCopyData), into import_rows; answers how many rows they held. */
export async function copyStagedData(client: pg.PoolClient, batches: AsyncIterable<StagedCopyData>): Promise<number> {
  let count = 0;
  async function* chunks() {
    for await (const batch of batches) {
      count += batch.rows;
      if (batch.rows > 0) yield batch.data;
    }
  }
  await pipeline(Readable.from(chunks()), client.query(copyFrom(`COPY ${STAGED_ROWS_TARGET} FROM STDIN`)));
  return count;
}

/** copyStagedData of rows not yet turned into COPY data. */
export async function copyStagedRows(
  client: pg.PoolClient,
  importId: number,
  batches: AsyncIterable<StagedRow[]>,
): Promise<number> {
  async function* data() {
    for await (const rows of batches) yield stagedCopyData(importId, rows);
  }
  return copyStagedData(client, data());
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
